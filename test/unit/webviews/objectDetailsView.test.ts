import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DetailsSources } from '../../../src/graph/objectDetails';
import { groupDetails, userDetails } from '../../../src/graph/objectDetails';
import { dispatchRequest, RequestRefusedError } from '../../../src/webviews/rpc';
import { detailsHtml, escapeHtml } from '../../../src/webviews/objectDetails/detailsHtml';
import { copyableValues, detailsValidators, isDetailsView, type DetailsRequests, type DetailsView } from '../../../src/webviews/objectDetails/protocol';
import { menuEntryApplies, treeActionsFor, type MenuManifest } from '../../../src/webviews/objectDetails/treeActions';
import { contextValue } from '../../../src/tree/contextValues';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as MenuManifest;
const titles = (cv: string) => treeActionsFor(manifest, cv).map(a => `${a.danger ? '!' : ''}${a.title}`);

const hostile = '<img src=x onerror="alert(1)">';
const page = (overrides: { list?: unknown[]; user?: Record<string, unknown> } = {}) => ({ items: overrides.list ?? [] });

/** Graph's answers for one user, as the Directory view's reads return them; only what userDetails reads. */
function sourcesFor(user: Record<string, unknown>, lists: { groups?: unknown[]; roles?: unknown[]; licences?: unknown[]; members?: unknown[] } = {}): DetailsSources {
    const directory = {
        user: () => Promise.resolve(user),
        group: () => Promise.resolve(user),
        memberOf: () => Promise.resolve(page({ list: lists.groups ?? [] })),
        rolesOf: () => Promise.resolve(page({ list: lists.roles ?? [] })),
        licenceDetails: () => Promise.resolve(page({ list: lists.licences ?? [] })),
        groupMembers: () => Promise.resolve({ items: lists.members ?? [], nextLink: 'https://graph.example/next' }),
    };
    return { directory, exchange: {} } as unknown as DetailsSources;
}

const viewOf = async (details: DetailsView['details'], cv = contextValue('user', { serviceAccount: true })): Promise<DetailsView> =>
    Promise.resolve({ details, tenant: 'Contoso (contoso.com)', actions: treeActionsFor(manifest, cv), readAt: '2026-11-30T02:00:00.000Z' });

describe('Details view: the object as sections, the tree\'s actions, every value escaped', () => {
    describe('the tree\'s actions for a row, read from package.json', () => {
        /** `expected` appear in this order (other engineers' new entries may sit between them), dangerous ones last. */
        const assertOffers = (cv: string, expected: string[]) => {
            const shown = titles(cv);
            const positions = expected.map(t => shown.indexOf(t));
            assert.ok(positions.every(p => p >= 0), `${expected.join(', ')} in ${shown.join(', ')}`);
            assert.deepEqual([...positions].sort((a, b) => a - b), positions, `in menu order: ${shown.join(', ')}`);
            const firstDanger = shown.findIndex(t => t.startsWith('!'));
            assert.ok(firstDanger < 0 || shown.slice(firstDanger).every(t => t.startsWith('!')), `dangerous last: ${shown.join(', ')}`);
        };

        it('a service account gets every change the tree offers it, in menu order, Offboard last as dangerous', () => {
            assertOffers(contextValue('user', { licensed: true, serviceAccount: true }), ['Reset Password…', 'Assign Directory Role…', 'Add to Exchange Role Group…', 'Assign Licence…', 'Add to Mail-Enabled Group…', '!Offboard Service Account…']);
        });

        it('a user that is not a service account gets no Reset Password or Offboard; a group gets the calendar grants', () => {
            assertOffers(contextValue('user', { licensed: true }), ['Assign Directory Role…', 'Add to Exchange Role Group…', 'Assign Licence…', 'Add to Mail-Enabled Group…']);
            assert.ok(!titles(contextValue('user', { licensed: true })).some(t => /Reset Password|Offboard/.test(t)));
            assertOffers(contextValue('group'), ['Grant Calendar Access to Members…', '!Revoke Calendar Access from Members…']);
            assertOffers(contextValue('roleGroup'), ['Add to Exchange Role Group…']);
            assert.ok(!titles(contextValue('licence')).some(t => /Assign|Add|Reset/.test(t)), 'a licence row has none of a user\'s actions');
        });

        it('leaves out what the view does itself (copy, admin centre, refresh, details) and the folders\' filters', () => {
            const commands = treeActionsFor(manifest, contextValue('user', { serviceAccount: true })).map(a => a.command);
            for (const own of ['copyId', 'copyUpn', 'openInAdminCentre', 'showDetails', 'refresh', 'filter']) assert.ok(!commands.includes(`m365Provisioner.directory.${own}`), own);
        });

        it('offers an entry only where the tree would: another view, an unknown term or a bad regex is not offered', () => {
            assert.equal(menuEntryApplies('view == m365Provisioner.directory && viewItem =~ /^m365Provisioner:user\\b/', 'm365Provisioner:user+licensed'), true);
            assert.equal(menuEntryApplies('view == m365Provisioner.accounts && viewItem =~ /^m365Provisioner:user\\b/', 'm365Provisioner:user'), false);
            assert.equal(menuEntryApplies('view == m365Provisioner.directory && viewItem =~ /^m365Provisioner:user\\b/', 'm365Provisioner:userLicence'), false);
            assert.equal(menuEntryApplies('view == m365Provisioner.directory && config.some.setting', 'm365Provisioner:user'), false);
            assert.equal(menuEntryApplies('view == m365Provisioner.directory && viewItem =~ /(/', 'm365Provisioner:user'), false);
        });
    });

    describe('objectDetails → sections', () => {
        it('a user: identity, account state, licences with their plans, roles with the privileged badge, groups', async () => {
            const details = await userDetails(sourcesFor(
                { id: 'u1', displayName: 'Lidia Holloway', userPrincipalName: 'lidiah@contoso.com', accountEnabled: false, employeeType: 'ServiceAccount' },
                {
                    groups: [{ displayName: 'Staff', securityEnabled: true, mailEnabled: false }],
                    roles: [{ roleDefinitionId: 'r', directoryScopeId: '/', roleDefinition: { displayName: 'Global Administrator', templateId: '62e90394-69f5-4237-9190-012177145e10' } }],
                    licences: [{ skuPartNumber: 'ENTERPRISEPACK', servicePlans: [{ servicePlanName: 'EXCHANGE_S_ENTERPRISE', provisioningStatus: 'Success' }, { servicePlanName: 'TEAMS1', provisioningStatus: 'Disabled' }] }],
                },
            ), 'u1');
            assert.equal(details.kind, 'Service account');
            assert.deepEqual(details.sections.map(s => s.heading), ['Identity', 'Account state', 'Licences and service plans', 'Directory roles', 'Group memberships (direct)']);
            assert.deepEqual(details.sections[1].facts?.[0], { label: 'Sign-in', value: 'blocked' });
            assert.deepEqual(details.sections[2].items, [{ text: 'Office 365 E3', detail: 'Enabled plans (1 of 2): Exchange Online (Plan 2) (EXCHANGE_S_ENTERPRISE). Disabled: Microsoft Teams (TEAMS1)' }]);
            assert.deepEqual(details.sections[3].items, [{ text: 'Global Administrator', detail: 'scope whole tenant', badge: 'privileged' }]);
            assert.deepEqual(copyableValues(await viewOf(details)), [{ label: 'User principal name', value: 'lidiah@contoso.com' }, { label: 'Object id', value: 'u1' }]);
        });

        it('a group\'s first page of members says there are more', async () => {
            const details = await groupDetails(sourcesFor({ id: 'g1', displayName: 'Staff', securityEnabled: true }, { members: [{ displayName: 'Adele Vance', '@odata.type': '#microsoft.graph.user', userPrincipalName: 'adelev@contoso.com' }] }), 'g1');
            const members = details.sections.find(s => s.heading === 'Direct members');
            assert.deepEqual(members?.items, [{ text: 'Adele Vance', detail: 'user, adelev@contoso.com' }]);
            assert.match(members?.more ?? '', /first 100/);
        });
    });

    describe('the page: every tenant value is text, never markup', () => {
        it('a display name, a UPN, a group, a role and a tenant name holding HTML show as text', async () => {
            const details = await userDetails(sourcesFor(
                { id: 'u"2', displayName: hostile, userPrincipalName: `x"><script>alert(2)</script>@contoso.com`, jobTitle: '</dd><b>boss</b>' },
                { groups: [{ displayName: '<svg onload=alert(3)>' }], roles: [{ roleDefinitionId: '<i>r</i>', directoryScopeId: '<u>/x</u>' }], licences: [{ skuPartNumber: '<marquee>', servicePlans: [{ servicePlanName: '<blink>' }] }] },
            ), 'u2');
            assert.equal(details.name, hostile, 'the model keeps the name as the tenant gave it');
            const html = detailsHtml({ ...(await viewOf(details)), tenant: '<em>Evil</em>' });
            for (const markup of ['<img', '<script', '<svg', '<b>', '<i>', '<u>', '<marquee', '<blink', '<em>', 'onerror="']) assert.ok(!html.includes(markup), `${markup} is escaped`);
            assert.ok(html.includes(`<h1>${escapeHtml(hostile)}</h1>`));
            assert.ok(html.includes('&#60;img src=x onerror=&#34;alert(1)&#34;&#62;'));
            // The copy button's value is a quoted attribute: its quotes are escaped too.
            assert.ok(html.includes(`data-copy="x&#34;&#62;&#60;script&#62;alert(2)&#60;/script&#62;@contoso.com"`));
        });

        it('draws each section\'s heading, the copy buttons and the actions, dangerous ones after a separator', async () => {
            const details = await userDetails(sourcesFor({ id: 'u1', displayName: 'Lidia Holloway', userPrincipalName: 'lidiah@contoso.com', employeeType: 'ServiceAccount' }), 'u1');
            const html = detailsHtml(await viewOf(details));
            assert.match(html, /<div class="kind">Service account · Contoso \(contoso\.com\)<\/div>/);
            for (const heading of ['Identity', 'Account state', 'Licences and service plans', 'Directory roles', 'Group memberships (direct)']) assert.match(html, new RegExp(`<h2>${heading.replace(/[()]/g, '\\$&')}`));
            assert.match(html, /data-copy="lidiah@contoso\.com" title="Copy User principal name"/);
            assert.match(html, /<p class="empty">No licence<\/p>/);
            assert.match(html, /data-run="m365Provisioner\.serviceAccounts\.resetPassword">Reset Password…<\/button>.*<span class="separator"><\/span><button type="button" class="secondary danger" data-run="m365Provisioner\.serviceAccounts\.offboard">/s);
        });
    });

    describe('the messages', () => {
        const run = (method: string, params: unknown) => dispatchRequest<DetailsRequests>(detailsValidators, { view: () => Promise.resolve({} as DetailsView), refresh: () => Promise.resolve({} as DetailsView), copy: () => Promise.resolve(null), openInAdminCentre: () => Promise.resolve(null), run: () => Promise.resolve(null) }, method, params, new AbortController().signal);

        it('the host refuses malformed requests before any handler runs', async () => {
            for (const [method, params] of [['run', { command: 'workbench.action.terminal.new' }], ['run', { command: 'm365Provisioner.x', extra: 1 }], ['copy', { value: 42 }], ['copy', { value: 'x'.repeat(5000) }], ['refresh', { force: true }], ['deleteEverything', {}]] as const) {
                await assert.rejects(run(method, params), RequestRefusedError, `${method} ${JSON.stringify(params).slice(0, 60)}`);
            }
            assert.equal(await run('run', { command: 'm365Provisioner.serviceAccounts.resetPassword' }), null);
        });

        it('the page draws only a well-formed view', async () => {
            const view = await viewOf(await userDetails(sourcesFor({ id: 'u1', displayName: 'Lidia' }), 'u1'));
            assert.equal(isDetailsView(view), true);
            assert.equal(isDetailsView({ ...view, actions: [{ command: 1 }] }), false);
            assert.equal(isDetailsView({ ...view, details: { ...view.details, sections: [{ heading: 'x', facts: [{ label: 'a', value: {} }] }] } }), false);
            assert.equal(isDetailsView(null), false);
        });
    });
});
