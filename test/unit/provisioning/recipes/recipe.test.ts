import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ExchangeAdminClient } from '../../../../src/exchange/ExchangeAdminClient';
import { GraphClient } from '../../../../src/graph/GraphClient';
import { assignLicence } from '../../../../src/provisioning/steps/licences';
import { addMailGroupMember, createMailEnabledSecurityGroup } from '../../../../src/provisioning/steps/mailGroups';
import { offsetOf, parseRecipe, type Recipe } from '../../../../src/provisioning/recipes/recipe';
import { planRecipe } from '../../../../src/provisioning/recipes/recipePlan';
import { createServiceAccount } from '../../../../src/provisioning/steps/serviceAccounts';
import { sandboxFixture, type SandboxFixture } from '../../../sandbox/fixture';
import { calendarGuide } from './guideRecipes';
import { recordingLogger, sandboxClients } from '../../graph/clientFixture';
import { transitiveMembers } from '../../../../sandbox/src/graph/api';

/** The second guide (calendar integration) as a recipe file, naming its schema. */
const calendarIntegration = { $schema: './m365recipe.schema.json', ...structuredClone(calendarGuide) };

const text = (value: unknown) => JSON.stringify(value, null, 4);

describe('Recipes', function () {
    this.timeout(60_000);

    describe('parseRecipe: every problem with the JSON pointer of the value to fix', () => {
        it('reads the calendar-integration recipe and fills in the default access right (Editor)', () => {
            const { recipe, problems } = parseRecipe(text(calendarIntegration));
            assert.deepEqual(problems, []);
            assert.equal(recipe?.calendarGrants?.[0].accessRight, 'Editor');
        });

        it('reports schema violations: a missing field, an unknown field, a value outside the list, a bad country code', () => {
            const bad = structuredClone(calendarIntegration) as Record<string, unknown> & typeof calendarIntegration;
            delete (bad as { name?: string }).name;
            (bad.serviceAccounts[0] as Record<string, unknown>).password = 'nope';
            bad.serviceAccounts[0].usageLocation = 'NLD';
            (bad.calendarGrants[0] as Record<string, unknown>).accessRight = 'Editors';
            const source = text(bad);
            const { recipe, problems } = parseRecipe(source);
            assert.equal(recipe, undefined);
            const byPath = new Map(problems.map(p => [p.path, p]));
            assert.deepEqual([...byPath.keys()].sort(), ['/calendarGrants/0/accessRight', '/name', '/serviceAccounts/0/password', '/serviceAccounts/0/usageLocation'], JSON.stringify(problems, null, 2));
            assert.match(byPath.get('/name')?.message ?? '', /"name" is missing/);
            assert.match(byPath.get('/serviceAccounts/0/password')?.message ?? '', /not a recipe field here.*userPrincipalName/);
            assert.match(byPath.get('/calendarGrants/0/accessRight')?.message ?? '', /access right "Editors" is not one Exchange knows: use one of Owner, .*Editor/);
            assert.match(byPath.get('/serviceAccounts/0/usageLocation')?.message ?? '', /usage location "NLD" is not an ISO 3166-1 country code: use NL/, 'the actions\' own check, more precise than the schema\'s pattern');
            // The offset points at the value, for the editor's squiggle.
            const usage = byPath.get('/serviceAccounts/0/usageLocation')?.offset ?? -1;
            assert.equal(source.slice(usage, usage + 5), '"NLD"');
        });

        it('reports "all or a list" once for enabledPlans of the wrong form', () => {
            const bad = structuredClone(calendarIntegration);
            (bad.serviceAccounts[0].licence as { enabledPlans: unknown }).enabledPlans = 'some';
            const { problems } = parseRecipe(text(bad));
            assert.deepEqual(problems.map(p => p.path), ['/serviceAccounts/0/licence/enabledPlans']);
            assert.match(problems[0].message, /"all"/);
        });

        it('checks values as the actions do: a UPN with a space, a group alias with a space, the same account twice', () => {
            const bad = structuredClone(calendarIntegration);
            bad.serviceAccounts[0].userPrincipalName = 'sa mytt@contoso.com';
            bad.serviceAccounts.push({ ...calendarIntegration.serviceAccounts[0] }, { ...calendarIntegration.serviceAccounts[0] });
            bad.mailEnabledGroups[0].primarySmtpAddress = 'sa mytt group@contoso.com';
            const { recipe, problems } = parseRecipe(text(bad));
            assert.equal(recipe, undefined);
            assert.deepEqual(problems.map(p => p.path), ['/serviceAccounts/0/userPrincipalName', '/serviceAccounts/2/userPrincipalName', '/mailEnabledGroups/0/primarySmtpAddress'], JSON.stringify(problems, null, 2));
            assert.match(problems[0].message, /may hold only letters, digits/);
            assert.match(problems[1].message, /already the account at \/serviceAccounts\/1/);
            assert.match(problems[2].message, /alias "sa mytt group" is not valid/);
        });

        it('reports a JSON syntax error once, with its offset', () => {
            const source = '{\n  "name": "x",\n  "serviceAccounts": [,]\n}';
            const { recipe, problems } = parseRecipe(source);
            assert.equal(recipe, undefined);
            assert.equal(problems.length, 1);
            assert.equal(problems[0].path, '');
            assert.match(problems[0].message, /not valid JSON/);
            assert.equal(problems[0].offset, source.indexOf('[,') + 1);
        });

        it('finds the offset of a pointer, escaped keys and missing members included', () => {
            const source = '{ "a/b": [1, {"c": "x\\"y"}, [2]], "d": true }';
            assert.equal(offsetOf(source, '/a~1b/1/c'), source.indexOf('"x'));
            assert.equal(offsetOf(source, '/a~1b/2/0'), source.indexOf('2]'));
            assert.equal(offsetOf(source, '/d'), source.indexOf('true'));
            assert.equal(offsetOf(source, '/missing'), 0);
        });

        it('the schema ships in media/ and is the one package.json gives the editor for *.m365recipe.json', () => {
            const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../../package.json'), 'utf8')) as { contributes: { jsonValidation?: { fileMatch: string[]; url: string }[] } };
            const entry = manifest.contributes.jsonValidation?.find(v => v.fileMatch.includes('*.m365recipe.json'));
            assert.equal(entry?.url, './media/m365recipe.schema.json');
            const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../../media/m365recipe.schema.json'), 'utf8')) as { $schema: string };
            assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
        });
    });

    describe('planRecipe against the sandbox tenant', () => {
        let f: SandboxFixture;
        let graph: GraphClient;
        let exo: ExchangeAdminClient;
        const noWait = { sleep: () => Promise.resolve() };
        const recipe = (value: unknown): Recipe => {
            const parsed = parseRecipe(text(value));
            assert.deepEqual(parsed.problems, []);
            assert.ok(parsed.recipe);
            return parsed.recipe;
        };
        const snapshot = () => {
            const s = f.sandbox.state();
            return JSON.stringify({ users: s.users.size, groups: s.groups.size, roles: s.roleAssignments.length, licences: [...s.users.values()].map(u => u.assignedLicenses.length + (u.usageLocation ?? '')).join(), skus: s.skus.map(k => k.consumedUnits) });
        };
        const staffUsers = () => {
            const s = f.sandbox.state();
            const staff = [...s.groups.values()].find(g => g.displayName === 'Staff');
            assert.ok(staff);
            return staff;
        };

        before(async () => {
            f = await sandboxFixture();
            const logger = recordingLogger();
            ({ graph: graph, exchange: exo } = sandboxClients(f, logger));
        });
        after(() => f.stop());

        it('plans the calendar integration on a fresh tenant: every step to create, in order, and nothing written', async () => {
            assert.ok(staffUsers());
            const before = snapshot();
            const plan = await planRecipe({ graph, exchange: exo }, recipe(calendarIntegration));
            assert.equal(snapshot(), before, 'planning writes nothing');
            assert.deepEqual(plan.steps.map(s => [s.kind, s.status]), [
                ['createServiceAccount', 'create'],
                ['assignLicence', 'create'],
                ['createMailGroup', 'create'],
                ['addMailGroupMember', 'create'],
                ['grantCalendarAccess', 'create'],
            ], JSON.stringify(plan.steps, null, 2));
            assert.ok(plan.applicable);
            const grant = plan.steps[4];
            assert.equal(grant.id, '/calendarGrants/0');
            assert.ok((grant.count ?? 0) > 0);
            assert.match(grant.detail, new RegExp(`^${grant.count ?? 0} members;`));
            assert.match(grant.target, /\(Editor\)/);
        });

        it('after the steps are applied, plans them again as done; the calendar grant is left to check per mailbox', async () => {
            const account = calendarIntegration.serviceAccounts[0];
            const group = calendarIntegration.mailEnabledGroups[0];
            const created = await createServiceAccount(graph, account);
            await assignLicence(graph, { userId: created.user.id ?? '', sku: account.licence.sku, plans: account.licence.enabledPlans });
            await createMailEnabledSecurityGroup(exo, group);
            await addMailGroupMember(exo, group.primarySmtpAddress, account.userPrincipalName, noWait);

            const plan = await planRecipe({ graph, exchange: exo }, recipe(calendarIntegration));
            const bulk = plan.steps.filter(s => s.kind === 'grantCalendarAccess');
            assert.deepEqual(plan.steps.filter(s => s.kind !== 'grantCalendarAccess').map(s => [s.kind, s.status]), [
                ['createServiceAccount', 'done'],
                ['assignLicence', 'done'],
                ['createMailGroup', 'done'],
                ['addMailGroupMember', 'done'],
            ], JSON.stringify(plan.steps, null, 2));
            assert.equal(bulk.length, 1);
            assert.equal(bulk[0].status, 'change');
            assert.match(bulk[0].detail, /^\d+ members; to check per mailbox at apply\.$/);
            // What the Apply review says the bulk step touches: the members with a mailbox, counted by the plan's read.
            const staff = [...f.sandbox.state().groups.values()].find(g => g.displayName === 'Staff')?.id ?? '';
            const mailboxes = transitiveMembers(f.sandbox.state(), staff).filter(id => f.sandbox.state().users.get(id)?.mail).length;
            assert.ok(mailboxes > 0);
            assert.equal(bulk[0].touches, `${calendarIntegration.calendarGrants[0].grantee} gets Editor on ${mailboxes} mailboxes in Staff`);
        });

        it('a changed setting is planned as a change', async () => {
            const changed = structuredClone(calendarIntegration);
            changed.mailEnabledGroups[0].hiddenFromAddressLists = false;
            changed.serviceAccounts[0].licence.enabledPlans = ['EXCHANGE_S_ENTERPRISE', 'SHAREPOINTENTERPRISE'];
            const plan = await planRecipe({ graph, exchange: exo }, recipe(changed));
            assert.deepEqual(plan.steps.filter(s => s.status === 'change').map(s => s.kind), ['assignLicence', 'createMailGroup', 'grantCalendarAccess']);
        });

        it('a calendar grant on a group with no members, or none with a mailbox, is planned as nothing to share, saying why', async () => {
            const newGroup = (name: string) => graph.post<{ id: string }>('/groups', { displayName: name, mailEnabled: false, mailNickname: name.replace(/\s/g, ''), securityEnabled: true }, { scopes: ['Group.ReadWrite.All'] });
            await newGroup('Calendar Empty');
            const noMailboxes = await newGroup('Calendar No Mailboxes');
            const withoutMailbox = [...f.sandbox.state().users.values()].find(u => !u.mail && !f.sandbox.state().mailboxes.has(u.id));
            assert.ok(withoutMailbox, 'the seed has a user without a mailbox');
            await graph.post(`/groups/${noMailboxes.id}/members/$ref`, { '@odata.id': `${f.sandbox.graphUrl}/v1.0/directoryObjects/${withoutMailbox.id}` }, { scopes: ['GroupMember.ReadWrite.All'] });
            const plan = await planRecipe({ graph, exchange: exo }, recipe({
                name: 'Nothing to share',
                serviceAccounts: [{ userPrincipalName: 'admin@contoso.com', displayName: 'Contoso Administrator', usageLocation: 'US' }],
                calendarGrants: [
                    { membersOf: 'Calendar Empty', grantee: 'admin@contoso.com', accessRight: 'Reviewer' },
                    { membersOf: 'Calendar No Mailboxes', grantee: 'admin@contoso.com', accessRight: 'Reviewer' },
                ],
            }));
            const grants = plan.steps.filter(step => step.kind === 'grantCalendarAccess');
            assert.deepEqual(grants.map(step => [step.id, step.status]), [['/calendarGrants/0', 'done'], ['/calendarGrants/1', 'done']], JSON.stringify(plan.steps, null, 2));
            assert.match(grants[0].detail, /Calendar Empty has no members \(nested groups included\), so no calendar will be shared\. Add the people/);
            assert.match(grants[1].detail, /None of the 1 members of Calendar No Mailboxes has a mailbox, so no calendar will be shared/);
        });

        it('refuses what the tenant does not have, pointing at the field: unknown role, SKU, plan, domain and group', async () => {
            const bad = {
                name: 'Broken',
                serviceAccounts: [
                    { userPrincipalName: 'svc-recipe@contoso.com', displayName: 'Svc', usageLocation: 'US', directoryRoles: ['Service Support Admin'], exchangeRoleGroups: ['View Only Org Management'], licence: { sku: 'SPE_E5', enabledPlans: 'all' } },
                    { userPrincipalName: 'svc-recipe@fabrikam.com', displayName: 'Svc 2', usageLocation: 'US', licence: { sku: 'ENTERPRISEPACK', enabledPlans: ['TEAMS1'] } },
                    { userPrincipalName: 'svc-recipe3@contoso.com', displayName: 'Svc 3', usageLocation: 'US', licence: { sku: 'DEVELOPERPACK', enabledPlans: 'all' } },
                ],
                calendarGrants: [{ membersOf: 'Nonexistent', grantee: 'admin@contoso.com', accessRight: 'Reviewer' }],
            };
            const before = snapshot();
            const plan = await planRecipe({ graph, exchange: exo }, recipe(bad));
            assert.equal(snapshot(), before);
            assert.equal(plan.applicable, false);
            const blocked = new Map(plan.steps.filter(s => s.status === 'blocked').map(s => [s.path, s.detail]));
            assert.deepEqual([...blocked.keys()].sort(), [
                '/calendarGrants/0/membersOf',
                '/serviceAccounts/0/directoryRoles/0',
                '/serviceAccounts/0/exchangeRoleGroups/0',
                '/serviceAccounts/0/licence/sku',
                '/serviceAccounts/1/licence/enabledPlans/0',
                '/serviceAccounts/1/userPrincipalName',
                '/serviceAccounts/2/licence/sku',
            ], JSON.stringify(plan.steps, null, 2));
            assert.match(blocked.get('/serviceAccounts/0/directoryRoles/0') ?? '', /no directory role "Service Support Admin".*Service Support Administrator/);
            assert.match(blocked.get('/calendarGrants/0/membersOf') ?? '', /No group is called "Nonexistent"/);
            assert.match(blocked.get('/serviceAccounts/1/userPrincipalName') ?? '', /fabrikam\.com is not a verified domain/);
            assert.match(blocked.get('/serviceAccounts/2/licence/sku') ?? '', /no free licence/);
        });
    });
});
