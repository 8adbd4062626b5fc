import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ExchangeAdminClient } from '../../../../src/exchange/ExchangeAdminClient';
import { GraphClient } from '../../../../src/graph/GraphClient';
import { filterEquals, filterParam } from '../../../../src/graph/odata';
import { assignDirectoryRole } from '../../../../src/provisioning/steps/directoryRoles';
import { ProvisioningInputError } from '../../../../src/provisioning/errors';
import { characterCount, checkDisplayName, checkGroupName, checkUsageLocation, isoCountryCodes } from '../../../../src/provisioning/fields';
import { assignLicence } from '../../../../src/provisioning/steps/licences';
import { addMailGroupMember } from '../../../../src/provisioning/steps/mailGroups';
import { serializeTenant } from '../../../../sandbox/src/tenant/persistence';
import { sandboxFixture, type SandboxFixture } from '../../../sandbox/fixture';
import { recordingLogger, sandboxClients } from '../../graph/clientFixture';

describe('The provisioning fields, defined once', () => {
    it('counts characters as Entra does (code points), not UTF-16 units', () => {
        assert.equal(characterCount('😀'.repeat(200)), 200);
        assert.equal(checkDisplayName('😀'.repeat(200)), undefined, '200 emoji are 400 UTF-16 units but 200 characters: allowed');
        assert.equal(checkDisplayName('é'.repeat(256)), undefined);
        assert.match(checkDisplayName('😀'.repeat(257)) ?? '', /257 characters/);
        assert.equal(checkGroupName('x'.repeat(64)), undefined);
    });

    it('takes every assigned ISO 3166-1 alpha-2 code and only those, in any case', () => {
        assert.equal(isoCountryCodes.size, 249);
        for (const code of ['US', 'gb', 'Nl', 'AX', 'SS', 'ZW']) assert.equal(checkUsageLocation(code), undefined, code);
        for (const code of ['UK', 'EU', 'AA', 'ZZ', 'QQ']) assert.ok(checkUsageLocation(code), code);
    });

    it('builds every $filter with one helper: OData quotes doubled, then the whole expression URL-encoded', () => {
        assert.equal(filterParam(filterEquals('displayName', "R&D #1 O'Brien")), `$filter=${encodeURIComponent("displayName eq 'R&D #1 O''Brien'")}`);
        assert.ok(!filterParam(filterEquals('displayName', 'a&b#c')).slice('$filter='.length).match(/[&#\s]/));
        // No query is spliced by hand anywhere else: a `$filter=` in the source is the helper's own.
        const src = path.resolve(__dirname, '../../../../../src');
        const offenders: string[] = [];
        const walk = (dir: string) => {
            for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
                const file = path.join(dir, entry.name);
                if (entry.isDirectory()) walk(file);
                else if (/\.ts$/.test(entry.name) && !file.endsWith(path.join('graph', 'odata.ts'))) {
                    fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
                        if (/\$filter=/.test(line) && !/^\s*(\*|\/\/)/.test(line)) offenders.push(`${path.relative(src, file)}:${i + 1}`);
                    });
                }
            }
        };
        walk(src);
        assert.deepEqual(offenders, [], 'every $filter goes through filterParam');
    });
});

/**
 * An account a step is given that nobody has: said at once, in the admin's words, and nothing changes. A wait would
 * call `sleep`, which here fails the test: no timing is measured, the refusal simply must not wait.
 */
describe('Unknown accounts given to the steps', function () {
    this.timeout(60_000);
    let f: SandboxFixture;
    let graph: GraphClient;
    let exo: ExchangeAdminClient;
    const neverWait = { sleep: () => Promise.reject(new Error('the step waited for replication')) };

    before(async () => {
        f = await sandboxFixture();
        const logger = recordingLogger();
        ({ graph: graph, exchange: exo } = sandboxClients(f, logger));
    });
    after(() => f.stop());

    async function refusedAtOnce(work: () => Promise<unknown>, message: RegExp, field: string): Promise<void> {
        const before = serializeTenant(f.sandbox.state());
        await assert.rejects(work, (e: Error) => {
            assert.ok(e instanceof ProvisioningInputError, `${e.name}: ${e.message}`);
            assert.match(e.message, message);
            assert.equal(e.field, field);
            return true;
        });
        assert.equal(serializeTenant(f.sandbox.state()), before);
    }

    it('a directory role for a user nobody has', () => refusedAtOnce(() => assignDirectoryRole(graph, 'ghost@contoso.com', 'f023fd81-a637-4b56-95fd-791ac0226033', neverWait), /no user or group ghost@contoso\.com in this tenant/, 'user'));
    it('a directory role for an object id nobody has', () => refusedAtOnce(() => assignDirectoryRole(graph, '00000000-1111-4222-8333-444444444444', 'f023fd81-a637-4b56-95fd-791ac0226033', neverWait), /no user or group 00000000-1111-4222-8333-444444444444/, 'user'));
    it('a licence for a user nobody has (not Graph\'s raw 404)', () => refusedAtOnce(() => assignLicence(graph, { userId: 'ghost@contoso.com', sku: 'ENTERPRISEPACK', plans: 'all' }), /There is no user ghost@contoso\.com in this tenant\. Check/, 'user'));
    it('a mail-enabled group member nobody has', () => refusedAtOnce(() => addMailGroupMember(exo, 'admin@contoso.com', 'ghost@contoso.com', neverWait), /no user ghost@contoso\.com in this tenant/, 'member'));
});
