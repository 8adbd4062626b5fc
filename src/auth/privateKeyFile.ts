import { chmod, writeFile } from 'node:fs/promises';

/**
 * Writes a private key and its certificate (the PEM an app-only client reads) readable by its owner only. `mode` on
 * writeFile applies only when the file is created: a file the admin chose to overwrite keeps its old permissions, so
 * they are set again after writing.
 */
export async function writePrivateKeyFile(file: string, privateKeyPem: string, certificatePem: string): Promise<void> {
    await writeFile(file, `${privateKeyPem.trim()}\n${certificatePem.trim()}\n`, { encoding: 'utf8', mode: 0o600 });
    await chmod(file, 0o600);
}
