import { missingRoleMessage } from './exchangeRoles';

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

    /**
     * Exchange does not have the object: `-Identity` ("couldn't be found on '…'") or a recipient named in another
     * parameter (`Couldn't find object "…"`), a folder, or a permission entry. Exchange says the same for an object
     * created minutes ago that it has not received yet: only a caller that knows it has just created the object can
     * decide to wait (see `waitForExchangeToSee`).
     */
    get isNotFound(): boolean {
        return this.status === 404 || /ManagementObjectNotFoundException/.test(this.exceptionType) || /couldn't be found|Couldn't find object/.test(this.message);
    }

    /**
     * Exchange does not know a recipient named in `-Member`, `-User` and the like: `Couldn't find object "…"`, what
     * real Exchange answers when that recipient was created moments ago and has not reached it yet (or does not exist at
     * all: the text is the same). An `-Identity` that is not there is `isNotFound` only.
     */
    get isNotYetReplicated(): boolean {
        return /^Couldn't find object /.test(this.message);
    }

    /** The permission entry, membership or object is already there (an idempotent caller treats it as done). */
    get isAlreadyExists(): boolean {
        return /AlreadyExists/.test(this.exceptionType) || /An existing permission entry was found|is already a member|already exists|is already being used/.test(this.message);
    }

    /** The name matches several recipients (Exchange will not guess): give a unique one, e.g. the primary SMTP address. */
    get isAmbiguous(): boolean {
        return /Ambiguous/.test(this.exceptionType) || /matches multiple entries/.test(this.message);
    }

    get isAccessDenied(): boolean {
        return this.status === 401 || this.status === 403;
    }
}

interface ErrorBody {
    error?: {
        code?: string;
        message?: string;
        details?: { code?: string; message?: string }[];
        innererror?: { message?: string; type?: string; internalexception?: { message?: string; type?: string }; internalException?: { message?: string; type?: string } };
    };
}

/** The exception type and text of one `details[].message`: `ExNNNNNN|Type|text` (the id may be empty), a JSON string, or plain text. */
function readDetail(detail: string): { type: string; message: string } {
    const pipe = /^(?:Ex[0-9A-Fa-f]+)?\|([^|]*)\|([\s\S]*)$/.exec(detail);
    if (pipe) return { type: pipe[1], message: pipe[2] };
    if (detail.trimStart().startsWith('{')) {
        try {
            const nested = JSON.parse(detail) as { Message?: unknown; TypeName?: unknown };
            if (typeof nested.Message === 'string') return { type: typeof nested.TypeName === 'string' ? nested.TypeName : '', message: nested.Message };
        } catch {
            // Not JSON after all: shown as it is.
        }
    }
    return { type: '', message: detail };
}

/** An answer with nothing in it: no body, or only NUL bytes and blanks (what a 403 for a missing role can be). */
const isBlank = (text: string) => /^[\s\0]*$/.test(text);

/**
 * Reads a failed InvokeCommand answer in every form real Exchange sends (issue 13, docs/FIDELITY.md): the exception
 * type and text from `error.innererror.internalexception` when present, else from `error.details[0].message` (pipe
 * form or nested JSON), and `error.message` (a fixed "Error executing cmdlet" / "Invalid Operation") only when nothing
 * else says more. `body` is the parsed JSON, or the raw text when it was not JSON. A 401/403 with an empty or NUL-filled
 * body becomes a message naming the cmdlet and the Exchange role it needs; no answer is ever a blank message.
 */
export function exchangeErrorFrom(cmdlet: string, status: number, body: unknown, requestId: string | undefined): ExchangeCommandError {
    // An answer that says nothing: for 401/403 that is a missing Exchange role, so name the role.
    const withoutDetails = () => status === 401 || status === 403 ? missingRoleMessage(cmdlet, status) : `Exchange answered ${status} to ${cmdlet} without details.`;
    let parsed: unknown = body;
    if (typeof body === 'string') {
        if (isBlank(body)) return new ExchangeCommandError(cmdlet, status, withoutDetails(), '', requestId);
        try {
            parsed = JSON.parse(body);
        } catch {
            return new ExchangeCommandError(cmdlet, status, `Exchange answered ${status} to ${cmdlet}: ${body.replace(/\0/g, '').trim().slice(0, 300)}`, '', requestId);
        }
    }
    const error = (parsed as ErrorBody | undefined)?.error;
    if (!error) return new ExchangeCommandError(cmdlet, status, withoutDetails(), '', requestId);
    const internal = error.innererror?.internalexception ?? error.innererror?.internalException;
    const detail = typeof error.details?.[0]?.message === 'string' ? readDetail(error.details[0].message) : undefined;
    const type = internal?.type || detail?.type || '';
    const message = internal?.message || detail?.message || error.message || withoutDetails();
    return new ExchangeCommandError(cmdlet, status, message, type, requestId);
}
