import * as assert from 'node:assert/strict';
import { deserializeTenant, serializeTenant } from '../../sandbox/src/tenant/persistence';
import { sandboxFixture, type SandboxFixture } from './fixture';
import { validateGraphResponse } from './graphConformance';
import { deliberatelyInvalid } from './graphRequestChecks';

/**
 * Deleting a user as Entra does (docs/FIDELITY.md, "Offboarding"): DELETE /users/{id} moves the user to deleted items
 * for 30 days with its licences, mailbox and memberships, where it can be listed, restored or purged; a user holding a
 * directory role is a sensitive target. Offboarding relies on each of these answers.
 */
describe('Sandbox Microsoft Graph: deleted users go to deleted items, as in Entra', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let app: string;
    let admin: string;
    const graph = (p: string) => `${f.sandbox.graphUrl}/v1.0${p}`;
    const e3 = '6fd2c87f-b296-42f0-b197-1e91e994b900';
    const serviceSupport = 'f023fd81-a637-4b56-95fd-791ac0226033';
    const state = () => f.sandbox.state();

    before(async () => {
        // Loading the reference takes seconds of CPU in this process, beside the sandbox: done first, it cannot stall a
        // kept-alive connection between two requests of a test (a POST is not retried).
        await validateGraphResponse('GET', '/organization', 200, { value: [] });
        f = await sandboxFixture();
        app = await f.appToken();
        // "Directory.AccessAsUser.All … and the calling user must have a higher privileged administrator role" (user-delete.md).
        admin = await f.delegatedToken('admin@contoso.com', ['User.ReadWrite.All', 'Directory.AccessAsUser.All', 'RoleManagement.ReadWrite.Directory', 'Group.ReadWrite.All']);
    });
    after(() => f.stop());

    async function send(method: string, p: string, body?: unknown, token = app, headers: Record<string, string> = {}) {
        const answer = await f.transport.send({ method, url: graph(p), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
        const text = answer.body.toString('utf8');
        const json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
        if (!headers['x-test-deliberately-invalid']) {
            const check = await validateGraphResponse(method, p, answer.status, json);
            assert.deepEqual(check.errors, [], `${method} ${p} → ${answer.status} conforms to the reference`);
        }
        return { status: answer.status, json: json ?? {}, error: (json?.error ?? {}) as { code?: string; message?: string } };
    }

    /** A licensed service account with a mailbox, in a security group: what a recipe makes. */
    async function serviceAccount(upn: string): Promise<{ id: string; groupId: string }> {
        const user = await send('POST', '/users', { accountEnabled: true, displayName: upn, mailNickname: upn.split('@')[0], userPrincipalName: upn, usageLocation: 'NL', passwordProfile: { password: 'Xy7!pLm2#Qw9' } });
        assert.equal(user.status, 201);
        const id = String(user.json.id);
        assert.equal((await send('POST', `/users/${id}/assignLicense`, { addLicenses: [{ skuId: e3, disabledPlans: [] }], removeLicenses: [] })).status, 200);
        const group = await send('POST', '/groups', { displayName: `${upn} group`, mailEnabled: false, securityEnabled: true, mailNickname: `${upn.split('@')[0]}-group` });
        const groupId = String(group.json.id);
        assert.equal((await send('POST', `/groups/${groupId}/members/$ref`, { '@odata.id': `${f.sandbox.graphUrl}/v1.0/directoryObjects/${id}` })).status, 204);
        return { id, groupId };
    }
    const consumed = () => state().skus.find(s => s.skuId === e3)?.consumedUnits ?? -1;

    it('DELETE /users/{id} moves the user to deleted items: gone from /users, listed with its deletedDateTime, readable by id', async () => {
        const { id } = await serviceAccount('sa-gone@contoso.com');
        assert.equal((await send('DELETE', `/users/${id}`)).status, 204);
        assert.equal((await send('GET', `/users/${id}`)).status, 404);
        const list = await send('GET', '/directory/deletedItems/microsoft.graph.user');
        assert.equal(list.status, 200);
        const listed = (list.json.value as { id: string; userPrincipalName: string; deletedDateTime: string }[]).find(u => u.id === id);
        assert.equal(listed?.userPrincipalName, 'sa-gone@contoso.com');
        assert.ok(listed && Date.parse(listed.deletedDateTime) > 0, 'deletedDateTime is a date');
        const one = await send('GET', `/directory/deletedItems/${id}`);
        assert.equal(one.status, 200);
        assert.equal(one.json['@odata.type'], '#microsoft.graph.user');
        assert.equal(one.json.userPrincipalName, 'sa-gone@contoso.com');
    });

    it('lists deleted items with the type cast only, which the list page says is required', async () => {
        assert.equal((await send('GET', '/directory/deletedItems', undefined, app, deliberatelyInvalid)).status, 400);
        assert.equal((await send('GET', '/directory/deletedItems/microsoft.graph.user')).status, 200);
    });

    it('keeps the licence consumed while the user is deleted, and restore gives back licence, mailbox and group membership', async () => {
        const { id, groupId } = await serviceAccount('sa-back@contoso.com');
        const before = consumed();
        assert.ok(state().mailboxes.has(id), 'the licence gave a mailbox');
        assert.equal((await send('DELETE', `/users/${id}`)).status, 204);
        assert.equal(consumed(), before, 'a deleted user still holds its licence ("their assigned resources freed" only after 30 days)');
        assert.equal(state().mailboxes.has(id), false, 'the mailbox is soft-deleted with the user');
        assert.equal(state().groups.get(groupId)?.members.includes(id), false, 'a deleted user is no member');
        const restored = await send('POST', `/directory/deletedItems/${id}/restore`);
        assert.equal(restored.status, 200);
        assert.equal(restored.json.id, id);
        assert.equal(restored.json['@odata.type'], '#microsoft.graph.user');
        assert.equal((await send('GET', `/users/${id}`)).status, 200);
        assert.ok(state().mailboxes.has(id), 'the mailbox is back');
        assert.deepEqual(state().users.get(id)?.assignedLicenses.map(l => l.skuId), [e3]);
        assert.ok(state().groups.get(groupId)?.members.includes(id), 'the membership is back');
        assert.equal((await send('GET', `/directory/deletedItems/${id}`)).status, 404);
    });

    it('refuses to delete a user holding a directory role with User.ReadWrite.All alone; the role comes back on restore', async () => {
        const { id } = await serviceAccount('sa-roles@contoso.com');
        assert.equal((await send('POST', '/roleManagement/directory/roleAssignments', { roleDefinitionId: serviceSupport, principalId: id, directoryScopeId: '/' })).status, 201);
        const appOnly = await send('DELETE', `/users/${id}`);
        assert.equal(appOnly.status, 403, 'an Exchange Administrator app with User.ReadWrite.All may not delete a role holder');
        assert.equal(appOnly.error.code, 'Authorization_RequestDenied');
        // A Global Administrator with Directory.AccessAsUser.All may; the role assignment waits with the deleted user.
        assert.equal((await send('DELETE', `/users/${id}`, undefined, admin)).status, 204);
        assert.equal(state().roleAssignments.some(a => a.principalId === id), false);
        assert.equal((await send('POST', `/directory/deletedItems/${id}/restore`)).status, 403, 'restoring a role holder is as sensitive');
        assert.equal((await send('POST', `/directory/deletedItems/${id}/restore`, undefined, admin)).status, 200);
        assert.ok(state().roleAssignments.some(a => a.principalId === id && a.roleDefinitionId === serviceSupport), 'the role is back: a deleted account\'s privileges are latent, not gone');
    });

    it('purges only for a signed-in admin (application permissions are not supported), and frees the licence', async () => {
        const { id } = await serviceAccount('sa-purge@contoso.com');
        assert.equal((await send('DELETE', `/users/${id}`)).status, 204);
        const held = consumed();
        assert.equal((await send('DELETE', `/directory/deletedItems/${id}`)).status, 403);
        assert.equal((await send('DELETE', `/directory/deletedItems/${id}`, undefined, admin)).status, 204);
        assert.equal(consumed(), held - 1);
        assert.equal((await send('POST', `/directory/deletedItems/${id}/restore`)).status, 404, 'a purged user cannot come back');
    });

    it('refuses to restore a user whose UPN a new user took meanwhile', async () => {
        const { id } = await serviceAccount('sa-taken@contoso.com');
        assert.equal((await send('DELETE', `/users/${id}`)).status, 204);
        const newcomer = await send('POST', '/users', { accountEnabled: true, displayName: 'Newcomer', mailNickname: 'sa-taken2', userPrincipalName: 'sa-taken@contoso.com', passwordProfile: { password: 'Xy7!pLm2#Qw9' } });
        assert.equal(newcomer.status, 201, 'a deleted user does not hold on to its UPN');
        const restore = await send('POST', `/directory/deletedItems/${id}/restore`);
        assert.equal(restore.status, 400);
        assert.match(restore.error.message ?? '', /userPrincipalName/);
    });

    it('keeps deleted users in the saved state file', () => {
        const copy = deserializeTenant(serializeTenant(state()));
        assert.deepEqual(copy.deletedUsers?.map(d => d.user.userPrincipalName).sort(), state().deletedUsers?.map(d => d.user.userPrincipalName).sort());
        assert.ok((copy.deletedUsers?.length ?? 0) > 0);
    });

    it('purges a deleted user by itself after 30 days, freeing its licence', async () => {
        const { id } = await serviceAccount('sa-expire@contoso.com');
        assert.equal((await send('DELETE', `/users/${id}`)).status, 204);
        const held = consumed();
        f.sandbox.advanceClock(30 * 86_400_000 + 1000);
        const fresh = await f.appToken();
        const list = await send('GET', '/directory/deletedItems/microsoft.graph.user', undefined, fresh);
        assert.equal((list.json.value as { id: string }[]).some(u => u.id === id), false);
        assert.ok(consumed() < held, 'the licence is freed');
        assert.equal((await send('POST', `/directory/deletedItems/${id}/restore`, undefined, fresh)).status, 404);
    });
});
