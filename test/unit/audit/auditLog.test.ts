import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { audited } from '../../../src/platform/audit';
import type { TenantSession } from '../../../src/platform/tenantSession';
import { AuditLog, type AuditEntry, type AuditRecord } from '../../../src/audit/auditLog';
import { redactSecrets } from '../../../src/audit/auditRedaction';

// A made-up token in the JWT form Entra issues (header.payload.signature, each base64url): never a real one.
const jwt = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20iLCJzdWIiOiJ4In0.c2lnbmF0dXJlLW9mLWEtZmFrZS10b2tlbg';

describe('Audit log: secrets are removed from free text, names are kept, and a change is always written', () => {
    const newLog = (onUnwritten?: (record: AuditRecord, error: Error) => void) => new AuditLog(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-audit-')), 'audit.jsonl'), onUnwritten);
    const base = { who: 'admin@contoso.com', tenant: 't', result: 'succeeded' as const };

    describe('redaction of free text', () => {
        const removed: [string, string, RegExp][] = [
            ['an access token', `request failed with ${jwt} attached`, /^request failed with \[token removed\] attached$/],
            ['an Authorization header value', 'sent Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789._-~+/==', /Bearer \[token removed\]$/],
            ['a password in a JSON body Graph echoed', '{"passwordProfile":{"password":"Zq9#hunter2-xY","forceChangePasswordNextSignIn":false}}', /"password":"\[removed\]"/],
            ['an escaped quote inside the password', '{"password": "a\\"b c"}', /^\{"password": "\[removed\]"\}$/],
            ['a client secret in a form body', 'grant_type=client_credentials&client_secret=Abc~123.xyz&scope=x', /client_secret=\[removed\]&scope=x/],
            ['a password parameter', 'password=hunter2 was refused', /^password=\[removed\] was refused$/],
            ['a refresh token parameter', 'refresh_token=0.AAAA-bbbb', /^refresh_token=\[removed\]$/],
        ];
        for (const [what, text, expected] of removed) {
            it(`removes ${what}`, () => {
                const redacted = redactSecrets(text);
                assert.match(redacted, expected);
                assert.doesNotMatch(redacted, /hunter2|Abc~123|abcdefghijklmnop|eyJ0eXAi|a\\"b c|0\.AAAA/);
            });
        }
        const kept = ['Reset password: helpdesk', 'Role "Bearer Helpers" was not found: check its name.', 'eyJenkins@contoso.com is already taken.', 'object id 9f0c1d2e-0000-4000-8000-000000000001', 'Password policy: DisablePasswordExpiration'];
        for (const text of kept) it(`keeps "${text}"`, () => assert.equal(redactSecrets(text), text));
    });

    describe('the writer', () => {
        const names: [string, string][] = [
            ['createServiceAccount', 'eyJhbGciOiJIUzI1NiJ9.svc-import@contoso.com'],
            ['applyRecipe', 'Reset password: helpdesk (helpdesk.m365recipe.json)'],
            ['assignDirectoryRole', 'svc@contoso.com → Bearer Token Administrators'],
            ['addRoleGroupMember', 'svc@contoso.com → client_secret rotation'],
        ];
        for (const [action, target] of names) {
            it(`writes "${target}" as it is, outcome succeeded`, async () => {
                const log = newLog();
                assert.equal(await log.append({ ...base, action, target }), true);
                assert.deepEqual((await log.read()).map(r => [r.action, r.target, r.result]), [[action, target, 'succeeded']]);
            });
        }

        it('redacts the detail instead of refusing the line', async () => {
            const log = newLog();
            assert.equal(await log.append({ ...base, action: 'resetPassword', target: 'svc@contoso.com', result: 'failed', detail: `PATCH with passwordProfile {"password": "hunter2"} and Bearer ${jwt} failed` }), true);
            const [line] = await log.read();
            assert.equal(line.result, 'failed');
            assert.doesNotMatch(fs.readFileSync(log.file, 'utf8'), /hunter2|eyJ0eXAi/);
            assert.match(line.detail ?? '', /"password": "\[removed\]"/);
        });

        it('writes only the record\'s own fields: anything else given is not written', async () => {
            const log = newLog();
            const entry = { ...base, action: 'createServiceAccount', target: 'svc@contoso.com', password: 'hunter2', passwordProfile: { password: 'hunter2' } } as AuditEntry;
            await log.append(entry);
            assert.doesNotMatch(fs.readFileSync(log.file, 'utf8'), /hunter2|password/i);
        });

        it('never throws when the line cannot be written (disk full, folder not writable): it says so, with the line', async () => {
            const unwritten: [AuditRecord, Error][] = [];
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-audit-'));
            fs.writeFileSync(path.join(dir, 'not-a-folder'), '');
            // The log's folder is a file: mkdir and append fail as they would on a full or read-only disk.
            const log = new AuditLog(path.join(dir, 'not-a-folder', 'audit.jsonl'), (record, error) => unwritten.push([record, error]));
            assert.equal(await log.append({ ...base, action: 'createServiceAccount', target: 'svc@contoso.com' }), false);
            assert.equal(unwritten.length, 1);
            assert.equal(unwritten[0][0].target, 'svc@contoso.com');
            assert.match(unwritten[0][1].message, /EEXIST|ENOTDIR/);
        });
    });

    describe('audited(): the change\'s outcome is what the caller gets, whatever happens to its line', () => {
        const session = { account: { username: 'admin@contoso.com', tenantId: 't' } } as unknown as TenantSession;

        for (const target of ['eyJhbGciOiJIUzI1NiJ9.svc-import@contoso.com', 'Reset password: helpdesk (helpdesk.m365recipe.json)', 'svc@contoso.com → Bearer Token Administrators']) {
            it(`a change to "${target}" is reported as succeeded and audited as succeeded`, async () => {
                const log = newLog();
                assert.equal(await audited(log, session, 'change', target, () => Promise.resolve('done')), 'done');
                assert.deepEqual((await log.read()).map(r => [r.target, r.result]), [[target, 'succeeded']]);
            });
        }

        it('a change whose line cannot be written still returns its result, and the admin is told', async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-audit-'));
            fs.writeFileSync(path.join(dir, 'full'), '');
            const told: AuditRecord[] = [];
            const log = new AuditLog(path.join(dir, 'full', 'audit.jsonl'), record => told.push(record));
            assert.equal(await audited(log, session, 'createServiceAccount', 'svc@contoso.com', () => Promise.resolve(42)), 42);
            assert.deepEqual(told.map(r => [r.action, r.result]), [['createServiceAccount', 'succeeded']]);
        });

        it('a failed change is audited with its error redacted, and the caller gets the change\'s own error', async () => {
            const log = newLog();
            const failure = new Error(`Graph said no to Bearer ${jwt}`);
            await assert.rejects(audited(log, session, 'resetPassword', 'svc@contoso.com', () => Promise.reject(failure)), e => e === failure);
            const [line] = await log.read();
            assert.equal(line.result, 'failed');
            assert.equal(line.detail, 'Graph said no to Bearer [token removed]');
        });

        it('a summary that throws still leaves the change\'s line and its result', async () => {
            const log = newLog();
            assert.equal(await audited(log, session, 'applyRecipe', 'r', () => Promise.resolve(1), () => { throw new Error('bug in the summary'); }), 1);
            assert.deepEqual((await log.read()).map(r => r.result), ['succeeded']);
        });
    });
});
