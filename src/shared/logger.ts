/**
 * The logger the VS Code-free layers (auth/, graph/, exchange/, provisioning/) are given. The extension passes an
 * adapter over its LogOutputChannel; tests pass one that records lines. Callers never pass tokens or secrets.
 */
export interface Logger {
    trace(message: string, ...args: unknown[]): void;
    debug(message: string, ...args: unknown[]): void;
    info(message: string, ...args: unknown[]): void;
    warn(message: string, ...args: unknown[]): void;
    error(message: string | Error, ...args: unknown[]): void;
}
