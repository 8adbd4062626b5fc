import * as assert from 'node:assert/strict';
import { AppOnlySignIn } from '../../../../src/auth/AppOnlySignIn';
import { msalNetworkModule } from '../../../../src/auth/msalNetwork';
import { inMemorySecrets } from '../../../../src/auth/SecretStore';
import { newDistributionGroup } from '../../../../src/exchange/cmdlets';
import { grantAppRole } from '../../../../src/graph/applications';
import { GraphClient } from '../../../../src/graph/GraphClient';
import { GraphRequestError } from '../../../../src/graph/GraphRequestError';
import { parseRecipe, type Recipe } from '../../../../src/provisioning/recipes/recipe';
import { applyRecipe, credentialsHandedOver } from '../../../../src/provisioning/recipes/recipeApply';
import { planRecipe } from '../../../../src/provisioning/recipes/recipePlan';
import { appCredentialStep } from '../../../../src/provisioning/steps/appCredentials';
import { runStep } from '../../../../src/provisioning/steps/runStep';
import { verifyRecipe } from '../../../../src/provisioning/recipes/recipeVerify';
import { grantAppRole as grantInSandbox, resourceServicePrincipal, servicePrincipalOf } from '../../../../sandbox/src/tenant/applications';
import { serializeTenant } from '../../../../sandbox/src/tenant/persistence';
import { sandboxCloud } from '../../graph/clientFixture';
import { recipeSandbox } from '../recipes/recipeSandbox';

const calendarApp = 'MyTimetable Calendar Integration';
const reportingApp = 'SAM360 Reporting';
const scopeGroup = 'Calendar Integration Staff';

function recipeOf(body: object): Recipe {
    const { recipe, problems } = parseRecipe(JSON.stringify(body));
    assert.deepEqual(problems, []);
    assert.ok(recipe);
    return recipe;
}

describe('App-only recipes: registration, credential, permissions, roles and mailbox access scoped with RBAC for Applications', function () {
    this.timeout(180_000);
    const t = recipeSandbox();
    /** What the apply's callbacks received: the private keys (by app) and the secrets shown. */
    let keys: Map<string, { privateKeyPem: string; certificatePem: string; thumbprint: string }>;
    let secrets: Map<string, string>;
    const options = () => t.options({
        keepPrivateKey: (application, privateKeyPem, certificatePem, thumbprint) => { keys.set(application, { privateKeyPem, certificatePem, thumbprint }); return Promise.resolve(`/keys/${application}.key.pem`); },
        revealSecret: (application, secretText) => { secrets.set(application, secretText); return Promise.resolve(); },
    });
    beforeEach(() => {
        keys = new Map();
        secrets = new Map();
        // The automation app the tests run as is given what registering apps and consenting needs, as an admin would
        // (application-post-applications.md, serviceprincipal-post-approleassignments.md).
        const state = t.f.sandbox.state();
        const client = servicePrincipalOf(state, t.f.sandbox.confidentialClient.clientId);
        const graphSp = resourceServicePrincipal(state, '00000003-0000-0000-c000-000000000000');
        assert.ok(client);
        for (const value of ['Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All']) {
            const role = graphSp.appRoles.find(r => r.value === value);
            assert.ok(role, value);
            grantInSandbox(state, client, graphSp, role.id, new Date().toISOString());
        }
    });

    /** Three enabled users with mailboxes: two for the scope's group, one outside it. */
    function people(): { members: string[]; outsider: string } {
        const state = t.f.sandbox.state();
        const upns = [...state.mailboxes.values()].map(m => state.users.get(m.userId)).filter(u => u?.accountEnabled && u.userPrincipalName !== 'admin@contoso.com' && state.mailboxes.get(u.id)?.recipientTypeDetails === 'UserMailbox').map(u => u?.userPrincipalName ?? '');
        assert.ok(upns.length >= 3);
        return { members: upns.slice(0, 2), outsider: upns[2] };
    }

    const calendarRecipe = (members: string[], ensure?: 'absent') => recipeOf({
        name: 'Calendar integration — app-only, scoped to a group',
        mailEnabledGroups: [{ name: scopeGroup, primarySmtpAddress: 'calendar-integration-staff@contoso.com', members, ...(ensure ? { ensure } : {}) }],
        applications: [{ displayName: calendarApp, owners: ['admin@contoso.com'], credential: { type: 'certificate' }, mailboxAccess: [{ role: 'Application Calendars.ReadWrite', membersOf: scopeGroup }], ...(ensure ? { ensure } : {}) }],
    });
    const reportingRecipe = (ensure?: 'absent') => recipeOf({
        name: 'Reporting and inventory — app-only, read-only',
        applications: [{ displayName: reportingApp, credential: { type: 'clientSecret', validDays: 30 }, graphPermissions: ['User.Read.All', 'Organization.Read.All'], exchangeManagement: true, directoryRoles: ['Global Reader'], ...(ensure ? { ensure } : {}) }],
    });

    async function planThenApplyThenPlan(recipe: Recipe) {
        const first = await planRecipe(t.deps(), recipe);
        assert.equal(first.applicable, true, JSON.stringify(first.steps.filter(s => s.status === 'blocked')));
        const summary = await applyRecipe(t.deps(), recipe, options());
        assert.equal(summary.failure, undefined, JSON.stringify(summary.failure));
        const again = await planRecipe(t.deps(), recipe);
        assert.deepEqual(again.steps.filter(s => s.status !== 'done').map(s => [s.id, s.status, s.detail]), [], 'a second plan has nothing to do');
        return { first, summary };
    }

    it('the calendar recipe plans every step, applies, and plans again with nothing to do; verify runs Test-ServicePrincipalAuthorization', async () => {
        const { members } = people();
        const recipe = calendarRecipe(members);
        const { first, summary } = await planThenApplyThenPlan(recipe);
        assert.deepEqual(first.steps.map(s => [s.id, s.kind, s.status]), [
            ['/mailEnabledGroups/0', 'createMailGroup', 'create'],
            ['/mailEnabledGroups/0/members/0', 'addMailGroupMember', 'create'],
            ['/mailEnabledGroups/0/members/1', 'addMailGroupMember', 'create'],
            ['/applications/0', 'registerApplication', 'create'],
            ['/applications/0/credential', 'addAppCredential', 'create'],
            ['/applications/0/mailboxAccess/0', 'scopeMailboxAccess', 'create'],
        ]);
        assert.deepEqual(credentialsHandedOver(first), [{ application: calendarApp, type: 'certificate' }]);
        assert.match(first.steps[4].detail, /private key is written once to a file you choose/);
        assert.deepEqual([...keys.keys()], [calendarApp], 'the private key went to the callback, once');
        assert.match(summary.steps[4].detail, new RegExp(`written to /keys/${calendarApp}\\.key\\.pem`));
        assert.ok(!t.logger.lines.some(l => l.includes('PRIVATE KEY')), 'the private key is never logged');

        const state = t.f.sandbox.state();
        const app = state.apps.find(a => a.displayName === calendarApp);
        assert.ok(app);
        assert.equal(app.signInAudience, 'AzureADMyOrg');
        assert.equal(app.certificates.length, 1);
        assert.equal(state.exchangeServicePrincipals?.filter(sp => sp.appId === app.appId).length, 1);
        assert.deepEqual(state.managementScopes?.map(s => s.name), [`${calendarApp} — members of ${scopeGroup}`]);
        assert.deepEqual(state.exchangeAppRoleAssignments?.map(a => [a.role, a.customResourceScope]), [['Application Calendars.ReadWrite', `${calendarApp} — members of ${scopeGroup}`]]);

        const verification = await verifyRecipe(t.deps(), recipe);
        assert.equal(verification.inSync, true, JSON.stringify(verification.steps.filter(s => !s.inSync)));
        const scoped = verification.steps.find(s => s.kind === 'scopeMailboxAccess');
        assert.match(scoped?.detail ?? '', /Test-ServicePrincipalAuthorization: .*\(member\) in scope, .*\(not a member\) outside it/);
    });

    it('THE SCOPE HOLDS: the created app, signed in with the key the apply handed over, writes a member\'s calendar and is refused another\'s; a tenant-wide Calendars.ReadWrite then blocks the plan', async () => {
        const { members, outsider } = people();
        const recipe = calendarRecipe(members);
        await planThenApplyThenPlan(recipe);
        const key = keys.get(calendarApp);
        assert.ok(key);
        const app = t.f.sandbox.state().apps.find(a => a.displayName === calendarApp);
        assert.ok(app);
        // The real msal-node confidential client, with the certificate and key the admin's file would hold.
        const signIn = new AppOnlySignIn(
            { cloud: sandboxCloud(t.f), clientId: app.appId, tenant: t.f.sandbox.tenantId, network: msalNetworkModule(r => t.f.transport.send(r)), logger: t.logger, secrets: inMemorySecrets() },
            { kind: 'certificate', certificatePem: key.certificatePem, privateKeyPem: key.privateKeyPem },
        );
        const graph = new GraphClient({ cloud: sandboxCloud(t.f), tokens: { getAccessToken: request => signIn.acquire(request.resource) }, transport: t.f.transport, logger: t.logger });
        const event = { subject: 'Timetable: Maths 3B', start: { dateTime: '2026-12-01T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-12-01T10:00:00', timeZone: 'UTC' } };
        const call = { scopes: ['.default'] };
        const inside = members[0];
        const made = await graph.post<{ id: string; subject: string }>(`/users/${encodeURIComponent(inside)}/calendar/events`, event, call);
        assert.equal(made.subject, event.subject);
        const read = await graph.get<{ value: { id: string }[] }>(`/users/${encodeURIComponent(inside)}/calendar/events`, call);
        assert.ok(read.value.some(e => e.id === made.id), 'the member\'s calendar shows the event');
        for (const attempt of [() => graph.get(`/users/${encodeURIComponent(outsider)}/calendar/events`, call), () => graph.post(`/users/${encodeURIComponent(outsider)}/calendar/events`, event, call)]) {
            await assert.rejects(attempt(), (e: unknown) => e instanceof GraphRequestError && e.status === 403);
        }

        // Someone grants the app Calendars.ReadWrite for the whole tenant in Entra: the scope now limits nothing.
        const graphSp = t.f.sandbox.state().servicePrincipals?.find(sp => sp.appId === '00000003-0000-0000-c000-000000000000');
        const role = graphSp?.appRoles?.find(r => r.value === 'Calendars.ReadWrite');
        assert.ok(graphSp && role);
        await grantAppRole(t.graph, app.servicePrincipalId, graphSp.id, role.id);
        const plan = await planRecipe(t.deps(), recipe);
        const blocked = plan.steps.find(s => s.kind === 'scopeMailboxAccess');
        assert.equal(blocked?.status, 'blocked');
        assert.equal(blocked?.path, '/applications/0/mailboxAccess/0/role');
        assert.match(blocked?.detail ?? '', /add up, so a scope .* would limit nothing.*Remove Calendars\.ReadWrite from the recipe's graphPermissions/);
        // And indeed: with the tenant-wide grant, the same app reaches the outsider's calendar.
        const signInAgain = new AppOnlySignIn(
            { cloud: sandboxCloud(t.f), clientId: app.appId, tenant: t.f.sandbox.tenantId, network: msalNetworkModule(r => t.f.transport.send(r)), logger: t.logger, secrets: inMemorySecrets() },
            { kind: 'certificate', certificatePem: key.certificatePem, privateKeyPem: key.privateKeyPem },
        );
        const wide = new GraphClient({ cloud: sandboxCloud(t.f), tokens: { getAccessToken: request => signInAgain.acquire(request.resource) }, transport: t.f.transport, logger: t.logger });
        await wide.get(`/users/${encodeURIComponent(outsider)}/calendar/events`, call);
    });

    it('the reporting recipe: a client secret shown once, Graph and Exchange permissions with consent, Global Reader; plans again with nothing to do', async () => {
        const { first } = await planThenApplyThenPlan(reportingRecipe());
        assert.deepEqual(first.steps.map(s => [s.id, s.kind, s.status]), [
            ['/applications/0', 'registerApplication', 'create'],
            ['/applications/0/credential', 'addAppCredential', 'create'],
            ['/applications/0/graphPermissions/0', 'grantAppPermission', 'create'],
            ['/applications/0/graphPermissions/1', 'grantAppPermission', 'create'],
            ['/applications/0/exchangeManagement', 'grantAppPermission', 'create'],
            ['/applications/0/directoryRoles/0', 'assignAppRole', 'create'],
        ]);
        const secret = secrets.get(reportingApp);
        assert.ok(secret, 'the secret was handed to revealSecret');
        assert.ok(!t.logger.lines.some(l => l.includes(secret)), 'the secret is never logged');
        const state = t.f.sandbox.state();
        const app = state.apps.find(a => a.displayName === reportingApp);
        assert.ok(app);
        // The admin centre's "API permissions" page lists them as configured.
        assert.deepEqual(app.requiredResourceAccess?.map(r => [r.resourceAppId, r.resourceAccess.length]), [['00000003-0000-0000-c000-000000000000', 2], ['00000002-0000-0ff1-ce00-000000000000', 1]]);
        // The app signs in with the secret it was given, and its token carries what was granted.
        const signIn = new AppOnlySignIn(
            { cloud: sandboxCloud(t.f), clientId: app.appId, tenant: t.f.sandbox.tenantId, network: msalNetworkModule(r => t.f.transport.send(r)), logger: t.logger, secrets: inMemorySecrets() },
            { kind: 'secret', secret },
        );
        const token = JSON.parse(Buffer.from((await signIn.acquire('graph')).split('.')[1], 'base64url').toString()) as { roles?: string[]; wids?: string[] };
        assert.deepEqual([...(token.roles ?? [])].sort(), ['Organization.Read.All', 'User.Read.All']);
        assert.ok(token.wids?.includes('f2ef992c-3afb-46b9-b7cf-a126ee74c451'), 'Global Reader in wids');
    });

    it('an unknown Graph permission is blocked, naming the closest values', async () => {
        const plan = await planRecipe(t.deps(), recipeOf({ name: 'Typo', applications: [{ displayName: reportingApp, graphPermissions: ['User.Raed.All'] }] }));
        const step = plan.steps.find(s => s.id === '/applications/0/graphPermissions/0');
        assert.equal(step?.status, 'blocked');
        assert.match(step?.detail ?? '', /no application permission "User\.Raed\.All"\. Did you mean "User\.Read\.All"/);
    });

    it('two registrations with the recipe\'s name are blocked, naming both application ids', async () => {
        await t.graph.post('/applications', { displayName: reportingApp }, { scopes: ['Application.ReadWrite.All'] });
        await t.graph.post('/applications', { displayName: reportingApp }, { scopes: ['Application.ReadWrite.All'] });
        const ids = t.f.sandbox.state().apps.filter(a => a.displayName === reportingApp).map(a => a.appId);
        const plan = await planRecipe(t.deps(), reportingRecipe());
        assert.equal(plan.applicable, false);
        const step = plan.steps.find(s => s.id === '/applications/0');
        assert.equal(step?.status, 'blocked');
        for (const id of ids) assert.match(step?.detail ?? '', new RegExp(id));
    });

    it('offboarding (ensure absent) removes everything the recipes made: the tenant equals its start', async () => {
        const before = serializeTenant(t.f.sandbox.state());
        const { members } = people();
        await applyRecipe(t.deps(), calendarRecipe(members), options());
        await applyRecipe(t.deps(), reportingRecipe(), options());
        assert.notEqual(serializeTenant(t.f.sandbox.state()), before);
        for (const recipe of [calendarRecipe(members, 'absent'), reportingRecipe('absent')]) {
            const plan = await planRecipe(t.deps(), recipe);
            assert.equal(plan.applicable, true, JSON.stringify(plan.steps));
            const summary = await applyRecipe(t.deps(), recipe, options());
            assert.equal(summary.failure, undefined, JSON.stringify(summary.failure));
            assert.ok(summary.steps.every(s => s.outcome === 'removed'), JSON.stringify(summary.steps.map(s => [s.id, s.outcome, s.detail])));
            assert.deepEqual((await planRecipe(t.deps(), recipe)).steps.filter(s => s.status !== 'done').map(s => s.id), []);
        }
        const after = JSON.parse(serializeTenant(t.f.sandbox.state())) as Record<string, unknown>;
        const start = JSON.parse(before) as Record<string, unknown>;
        // Exchange's RBAC lists are absent in a tenant that never had one and empty once emptied: the same tenant.
        const text = (v: unknown) => JSON.stringify(Array.isArray(v) && !v.length ? undefined : v);
        assert.deepEqual([...new Set([...Object.keys(after), ...Object.keys(start)])].filter(k => text(after[k]) !== text(start[k])), [], 'no part of the tenant differs from its start');
    });

    it('an answer lost on the app\'s creation does not make two apps', async () => {
        t.f.sandbox.loseAnswerOnce('POST', /\/applications$/);
        const summary = await applyRecipe(t.deps(), reportingRecipe(), options());
        assert.equal(summary.failure, undefined, JSON.stringify(summary.failure));
        assert.equal(t.f.sandbox.stats().graph.faults, 1, 'the answer was lost');
        assert.equal(t.f.sandbox.state().apps.filter(a => a.displayName === reportingApp).length, 1, 'one app, never two');
        assert.equal(summary.steps[0].outcome, 'created');
        assert.match(summary.steps[0].detail, /made by an earlier try whose answer was lost|service principal made/);
    });

    it('an answer lost on addPassword: the secret nobody got is removed, and the one shown is the one the app has', async () => {
        t.f.sandbox.loseAnswerOnce('POST', /\/addPassword$/);
        const summary = await applyRecipe(t.deps(), reportingRecipe(), options());
        assert.equal(summary.failure, undefined, JSON.stringify(summary.failure));
        const app = t.f.sandbox.state().apps.find(a => a.displayName === reportingApp);
        assert.equal(app?.secrets.length, 1, 'one secret, the one shown');
        assert.equal(app.secrets[0].hint, secrets.get(reportingApp)?.slice(0, 3));
        assert.match(summary.steps[1].detail, /made by a try whose answer was lost .* removed/);
    });

    it('verify reports drift when the scope does not hold: an organisation-wide assignment of the same role lets the app reach a non-member', async () => {
        const { members } = people();
        const recipe = calendarRecipe(members);
        await applyRecipe(t.deps(), recipe, options());
        const app = t.f.sandbox.state().apps.find(a => a.displayName === calendarApp);
        assert.ok(app);
        // Someone assigns the role again without a scope, in Exchange: the whole organisation.
        await t.exo.invoke('New-ManagementRoleAssignment', { App: app.appId, Role: 'Application Calendars.ReadWrite', Name: 'Calendars everywhere' });
        const verification = await verifyRecipe(t.deps(), recipe);
        const scoped = verification.steps.find(s => s.kind === 'scopeMailboxAccess');
        assert.equal(scoped?.inSync, false);
        assert.match(scoped?.detail ?? '', /not a member, is in scope: something else grants Application Calendars\.ReadWrite beyond the group/);
        assert.equal(verification.inSync, false);
    });

    it('rolls a certificate that ends within 30 days: a second one is added and the first kept (Graph returns its key on $select)', async () => {
        const { members } = people();
        const recipe = calendarRecipe(members);
        await applyRecipe(t.deps(), recipe, options());
        const app = t.f.sandbox.state().apps.find(a => a.displayName === calendarApp);
        assert.ok(app?.certificates[0]);
        const first = app.certificates[0].thumbprint;
        app.certificates[0].expiresDateTime = new Date(Date.now() + 10 * 86_400_000).toISOString();
        const plan = await planRecipe(t.deps(), recipe);
        const step = plan.steps.find(s => s.kind === 'addAppCredential');
        assert.equal(step?.status, 'create');
        assert.match(step?.detail ?? '', /the current one ends on .*, within 30 days/);
        keys.clear();
        const summary = await applyRecipe(t.deps(), recipe, options());
        assert.equal(summary.failure, undefined, JSON.stringify(summary.failure));
        assert.deepEqual(t.f.sandbox.state().apps.find(a => a.displayName === calendarApp)?.certificates.map(c => c.thumbprint === first), [true, false], 'the old certificate is kept beside the new one');
        assert.equal(keys.size, 1, 'the new key went to the callback');
    });

    it('says so when the scope\'s group nests another group: Exchange takes in direct members only', async () => {
        const { members } = people();
        const recipe = calendarRecipe(members);
        await applyRecipe(t.deps(), recipe, options());
        // Someone puts a group into the scope's group (as Entra allows).
        await newDistributionGroup(t.exo, { Name: 'Inner Staff', PrimarySmtpAddress: 'inner-staff@contoso.com', Type: 'Security' });
        const groups = [...t.f.sandbox.state().groups.values()];
        const inner = groups.find(g => g.displayName === 'Inner Staff');
        const outer = groups.find(g => g.displayName === scopeGroup);
        assert.ok(inner && outer);
        outer.members.push(inner.id);
        const step = (await planRecipe(t.deps(), recipe)).steps.find(s => s.kind === 'scopeMailboxAccess');
        assert.equal(step?.status, 'done');
        assert.match(step?.detail ?? '', /Inner Staff is a group inside Calendar Integration Staff; the scope takes in direct members only/);
    });

    it('the credential step run on its own (as "Add Credential…" / "Remove Credential…" would): removes every secret, then adds one shown once', async () => {
        await applyRecipe(t.deps(), reportingRecipe(), options());
        const secretsOf = () => t.f.sandbox.state().apps.find(a => a.displayName === reportingApp)?.secrets.length;
        assert.equal(secretsOf(), 1);
        const removed = await runStep(appCredentialStep, { graph: t.graph }, { application: reportingApp, type: 'clientSecret', validDays: 90, ensure: 'absent' });
        assert.equal(removed.written.outcome, 'removed');
        assert.equal(secretsOf(), 0);
        let shown = '';
        const added = await runStep(appCredentialStep, { graph: t.graph }, { application: reportingApp, type: 'clientSecret', validDays: 90 }, { revealSecret: (_app, text) => { shown = text; return Promise.resolve(); } });
        assert.equal(added.written.outcome, 'created');
        assert.equal(secretsOf(), 1);
        assert.equal(t.f.sandbox.state().apps.find(a => a.displayName === reportingApp)?.secrets[0].hint, shown.slice(0, 3));
    });
});
