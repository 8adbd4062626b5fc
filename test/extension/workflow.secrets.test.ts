import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandIds } from '../../src/constants';
import type { RecipePasswords } from '../../src/platform/recipeStore';
import type { AuditLog } from '../../src/audit/auditLog';
import type { RecipeApplySummary } from '../../src/provisioning/recipes/recipeApply';
import { consentAsAdmin, extensionApi, provisioningWriteScopes } from './sandbox';

// Runs after sign-in (files run in name order; M365P_TEST_FILES=signIn.test,workflow.secrets runs just these). The
// real Create Service Account command, with the password store and the audit writer watched: the order of what
// happens to the new password and to the audit line is the point.

type Event = string;

/** Records store/take of passwords and audit lines, in order, until `restore` is called. */
function watch(passwords: RecipePasswords, audit: AuditLog, events: Event[]): () => void {
    const store = passwords.store.bind(passwords);
    const take = passwords.take.bind(passwords);
    const append = audit.append.bind(audit);
    passwords.store = async (tenantId, upn, password) => {
        await store(tenantId, upn, password);
        events.push(`password kept for ${upn}`);
    };
    passwords.take = async (tenantId, upn) => {
        const password = await take(tenantId, upn);
        events.push(`password ${password ? 'revealed' : 'missing'} for ${upn}`);
        return password;
    };
    audit.append = async entry => {
        const written = await append(entry);
        events.push(`audit ${entry.action} ${entry.target} ${entry.result} ${written ? 'written' : 'not written'}`);
        return written;
    };
    return () => {
        // The instance's own properties hide the class's methods; deleting them brings the methods back.
        delete (passwords as Partial<RecipePasswords>).store;
        delete (passwords as Partial<RecipePasswords>).take;
        delete (audit as Partial<AuditLog>).append;
    };
}

describe('Secrets and the audit log through the real commands', function () {
    this.timeout(120_000);

    before(async () => {
        await consentAsAdmin({ graph: provisioningWriteScopes });
    });

    it('creates an account whose name looks like a token: reported and audited as succeeded, its password kept before the audit line and revealed once', async () => {
        const api = await extensionApi();
        const upn = 'eyJhbGciOiJIUzI1NiJ9.svc-import@contoso.com';
        const events: Event[] = [];
        const restore = watch(api.container.recipePasswords, api.container.audit, events);
        try {
            const created = await vscode.commands.executeCommand<{ userPrincipalName: string }>(CommandIds.createServiceAccount, undefined, { displayName: 'Import Service Account', userPrincipalName: upn, usageLocation: 'NL' });
            assert.equal(created?.userPrincipalName, upn, 'the command reports success');
        } finally {
            restore();
        }
        assert.deepEqual(events, [`password kept for ${upn}`, `audit createServiceAccount ${upn} succeeded written`, `password revealed for ${upn}`]);
        const lines = fs.readFileSync(api.container.audit.file, 'utf8').trim().split('\n').map(l => JSON.parse(l) as { action: string; target: string; result: string });
        assert.ok(lines.some(l => l.action === 'createServiceAccount' && l.target === upn && l.result === 'succeeded'));
        assert.equal(api.container.recipePasswords.waiting(api.container.accounts.active()?.tenantId ?? '').filter(w => w.userPrincipalName === upn).length, 0, 'revealed once, then no longer kept');
    });

    it('an account created while the audit log cannot be written (disk full) is still reported as created, and its password revealed', async () => {
        const api = await extensionApi();
        const upn = 'svc-auditless@contoso.com';
        const file = api.container.audit.file;
        const kept = `${file}.kept-by-test`;
        const events: Event[] = [];
        // A folder where the log file should be: every append fails, as on a full or read-only disk.
        if (fs.existsSync(file)) fs.renameSync(file, kept);
        fs.mkdirSync(file, { recursive: true });
        const restore = watch(api.container.recipePasswords, api.container.audit, events);
        try {
            const created = await vscode.commands.executeCommand<{ userPrincipalName: string }>(CommandIds.createServiceAccount, undefined, { displayName: 'Auditless Service Account', userPrincipalName: upn, usageLocation: 'NL' });
            assert.equal(created?.userPrincipalName, upn, 'the change is reported as made');
        } finally {
            restore();
            fs.rmdirSync(file);
            if (fs.existsSync(kept)) fs.renameSync(kept, file);
        }
        assert.deepEqual(events, [`password kept for ${upn}`, `audit createServiceAccount ${upn} succeeded not written`, `password revealed for ${upn}`]);
        const user = await api.container.sessions.active()?.directory.user(upn);
        assert.equal(user?.userPrincipalName, upn);
    });

    it('applies a recipe called "Reset password: helpdesk": reported and audited as succeeded, the new account\'s password kept for its reveal', async () => {
        const api = await extensionApi();
        const upn = 'sa-reset-helpdesk@contoso.com';
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'm365-secrets-')), 'helpdesk.m365recipe.json');
        fs.writeFileSync(file, JSON.stringify({ name: 'Reset password: helpdesk', serviceAccounts: [{ userPrincipalName: upn, displayName: 'Helpdesk Reset Service Account', usageLocation: 'NL' }] }, null, 4));
        const events: Event[] = [];
        const restore = watch(api.container.recipePasswords, api.container.audit, events);
        let applied: RecipeApplySummary | undefined;
        try {
            applied = await vscode.commands.executeCommand<RecipeApplySummary>(CommandIds.applyRecipe, vscode.Uri.file(file), { confirmed: true });
        } finally {
            restore();
        }
        assert.ok(applied && !applied.failure && !applied.cancelled && applied.changes >= 1, 'the apply reports success');
        // The password is kept the moment Entra accepts it; then the step's own audit line, then the recipe's summary.
        assert.deepEqual(events.slice(0, 3), [
            `password kept for ${upn}`,
            `audit createServiceAccount ${upn} succeeded written`,
            `audit applyRecipe Reset password: helpdesk (${vscode.workspace.asRelativePath(vscode.Uri.file(file))}) succeeded written`,
        ]);
        const tenantId = api.container.accounts.active()?.tenantId ?? '';
        assert.ok(api.container.recipePasswords.waiting(tenantId).some(w => w.userPrincipalName === upn), 'the password waits to be revealed');
        assert.deepEqual(await vscode.commands.executeCommand(CommandIds.revealRecipePassword, { userPrincipalName: upn }), { userPrincipalName: upn });
    });

    it('refuses to sign in to a cloud the open workspace\'s settings choose, naming the setting and where it belongs', async () => {
        const { signInTargetFromSettings } = await import('../../src/platform/signInTarget');
        const config = vscode.workspace.getConfiguration('m365Provisioner');
        // What a cloned repository's .vscode/settings.json could say.
        await config.update('customCloud.graphEndpoint', 'https://graph.evil.test', vscode.ConfigurationTarget.Workspace);
        try {
            assert.throws(() => signInTargetFromSettings(), /m365Provisioner\.customCloud\.graphEndpoint is set in this workspace's settings.*Move it to your user settings/);
            assert.equal(await vscode.commands.executeCommand(CommandIds.signIn), undefined, 'the Sign In command refuses before any sign-in');
        } finally {
            await config.update('customCloud.graphEndpoint', undefined, vscode.ConfigurationTarget.Workspace);
        }
        assert.equal(signInTargetFromSettings().customCloud?.graphEndpoint, (await import('./sandbox')).sandbox.graphUrl, 'the user settings apply again');
    });
});
