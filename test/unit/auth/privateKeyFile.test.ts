import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writePrivateKeyFile } from '../../../src/auth/privateKeyFile';

describe('A private key file (the one copy of an app certificate\'s key)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'm365p-key-'));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const key = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----';
    const cert = '-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----';

    it('is written with the key, then its certificate, readable by its owner only', async () => {
        const file = path.join(dir, 'new.pem');
        await writePrivateKeyFile(file, `${key}\n`, cert);
        assert.equal(fs.readFileSync(file, 'utf8'), `${key}\n${cert}\n`);
        assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    });

    it('an existing file the admin chose to overwrite loses its looser permissions', async () => {
        const file = path.join(dir, 'old.pem');
        fs.writeFileSync(file, 'an older key', { mode: 0o644 });
        fs.chmodSync(file, 0o644);
        await writePrivateKeyFile(file, key, cert);
        assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'writeFile\'s mode alone would have left 0644');
        assert.match(fs.readFileSync(file, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
    });
});
