/** A cmdlet that failed, with the text PowerShell would show and Exchange's exception type. */
export class ExchangeCommandError extends Error {
    constructor(
        readonly cmdlet: string,
        readonly status: number,
        message: string,
        readonly exceptionType: string,
        readonly requestId: string | undefined,
    ) {
        super(message);
        this.name = 'ExchangeCommandError';
    }

    get isNotFound(): boolean {
        return this.status === 404 || /ManagementObjectNotFoundException|couldn't be found/.test(`${this.exceptionType} ${this.message}`);
    }

    /** Exchange has not yet received a directory object created moments ago (wait and try again). */
    get isNotYetReplicated(): boolean {
        return /^Couldn't find object /.test(this.message);
    }

    /** The permission entry or membership is already there (an idempotent caller treats it as done). */
    get isAlreadyExists(): boolean {
        return /AlreadyExists/.test(this.exceptionType) || /An existing permission entry was found|is already a member/.test(this.message);
    }

    get isAccessDenied(): boolean {
        return this.status === 401 || this.status === 403;
    }
}

export function exchangeErrorFrom(cmdlet: string, status: number, body: unknown, requestId: string | undefined): ExchangeCommandError {
    const error = (body as { error?: { message?: string; details?: { message?: string }[]; innererror?: { internalException?: { message?: string; type?: string } } } } | undefined)?.error;
    const message = error?.details?.[0]?.message ?? error?.innererror?.internalException?.message ?? error?.message ?? `Exchange answered ${status} to ${cmdlet}.`;
    const type = error?.innererror?.internalException?.type ?? /^\|([^|]+)\|/.exec(error?.message ?? '')?.[1] ?? '';
    return new ExchangeCommandError(cmdlet, status, message, type, requestId);
}
