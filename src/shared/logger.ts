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

/** A logger that prefixes every line with a component tag such as `[Graph]`. */
export function taggedLogger(logger: Logger, tag: string): Logger {
    const prefix = `[${tag}] `;
    return {
        trace: (m, ...a) => logger.trace(prefix + m, ...a),
        debug: (m, ...a) => logger.debug(prefix + m, ...a),
        info: (m, ...a) => logger.info(prefix + m, ...a),
        warn: (m, ...a) => logger.warn(prefix + m, ...a),
        error: (m, ...a) => logger.error(typeof m === 'string' ? prefix + m : m, ...a),
    };
}
