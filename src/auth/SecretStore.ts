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
