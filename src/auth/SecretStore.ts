/** The slice of VS Code's SecretStorage the auth layer needs; tests pass an in-memory one. */
export interface SecretStore {
    get(key: string): Thenable<string | undefined> | Promise<string | undefined>;
    store(key: string, value: string): Thenable<void> | Promise<void>;
    delete(key: string): Thenable<void> | Promise<void>;
}

/** Non-secret state that survives restarts (VS Code's globalState): which accounts exist and which is active. */
export interface StateStore {
    get<T>(key: string): T | undefined;
    update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

/**
 * A store in memory only, for a process that runs once (the command line, the smoke run): msal's token cache lives in
 * it, nothing is written to disk, so nothing outlives the process.
 */
export function inMemorySecrets(): SecretStore {
    const values = new Map<string, string>();
    return {
        get: key => Promise.resolve(values.get(key)),
        store: (key, value) => Promise.resolve(void values.set(key, value)),
        delete: key => Promise.resolve(void values.delete(key)),
    };
}
