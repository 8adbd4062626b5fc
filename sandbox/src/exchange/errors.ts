import type { SandboxContext, SandboxResponse } from '../contracts';
import type { ExchangeErrorForm } from '../knobs/knobs';

/**
 * An Exchange cmdlet error: the HTTP status, Exchange's exception type and the text PowerShell shows. `code` is the
 * `ExNNNNNN` error id real Exchange puts before the type in the pipe form of `details[0].message`; empty where no
 * public body shows the id for that error (real bodies also carry an empty one: `"|Type|text"`).
 */
export class ExchangeError extends Error {
    constructor(readonly status: number, readonly exceptionType: string, message: string, readonly code = '') {
        super(message);
    }
}

const server = 'AM0PR01MB0001.EURPRD01.PROD.OUTLOOK.COM';
const notFoundType = 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException';

/**
 * `-Identity` names an object Exchange does not have (never had, or has not received from Entra yet: Exchange says the
 * same for both). Text and id: a real pinned body, `Ex6F9304|…ManagementObjectNotFoundException|The operation
 * couldn't be performed because object '…' couldn't be found on '…'.` (quoted in issue 13; public client test fixtures
 * of the admin API), and Microsoft's blog "Office 365: Troubleshooting distribution lists" (Get-Recipient output).
 */
export const notFound = (identity: string) =>
    new ExchangeError(404, notFoundType, `The operation couldn't be performed because object '${identity}' couldn't be found on '${server}'.`, 'Ex6F9304');

/**
 * A recipient named in another parameter (`-Member`, `-User`, `-ManagedBy`, `-Members`) that Exchange does not have —
 * again whether it never existed or was created minutes ago and has not reached Exchange yet. Real text and id from a
 * public Q&A quoting Exchange Online v3's output: `Ex94914C|Microsoft.Exchange.Configuration.Tasks.
 * ManagementObjectNotFoundException|Couldn't find object "…". Please make sure that it was spelled correctly or specify a
 * different object.`; the same text is in Microsoft's troubleshooting table for Entra provisioning errors.
 */
export const recipientNotFound = (name: string) =>
    new ExchangeError(404, notFoundType, `Couldn't find object "${name}". Please make sure that it was spelled correctly or specify a different object.`, 'Ex94914C');

/** A name several recipients carry: office-docs-powershell issue #5073 (Add-DistributionGroupMember -Member) describes it. */
export const ambiguous = (identity: string) =>
    new ExchangeError(400, 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectAmbiguousException', `The operation couldn't be performed because '${identity}' matches multiple entries.`);
export const invalidParameter = (message: string) => new ExchangeError(400, 'Microsoft.Exchange.Configuration.Tasks.ParameterBindingException', message);

/**
 * A caller without the Exchange RBAC role for the cmdlet. Real Exchange can answer 403 with an empty or NUL-filled body
 * (facts gathered for issue 13); the sandbox sends no JSON at all for it (`forbiddenBody`), so the client must say what
 * is missing itself. The text below is kept for the sandbox's own log only.
 */
export const accessDenied = (cmdlet: string) =>
    new ExchangeError(403, 'Microsoft.Exchange.Configuration.Tasks.AccessDeniedException', `The user has insufficient access rights to run '${cmdlet}'.`);

/*
 * How `details[0].message` carries the type and text (`ExchangeErrorForm`, a knob): `pipe` (`ExNNNNNN|Type|text`),
 * `json` (a JSON string `{"Message","TypeName","StackTrace","InnerError"}`), `bare` (no `details`; the type and text only
 * in `innererror.internalexception`). `mixed` picks one per error by a draw from the sandbox's seed (`faultSeed`).
 */

/** The fixed `error.message` real Exchange sends: "Error executing cmdlet" for cmdlet failures, "Invalid Operation" for authorisation. */
function fixedMessage(error: ExchangeError): string {
    return error.status === 401 || error.status === 403 ? 'Invalid Operation' : 'Error executing cmdlet';
}

function errorCode(status: number): string {
    return status === 404 ? 'NotFound' : status === 401 ? 'Unauthorized' : status === 403 ? 'AccessDenied' : status === 405 ? 'MethodNotAllowed' : 'BadRequest';
}

/**
 * The InvokeCommand error body, in one of the real forms (office-docs and public clients' pinned bodies, issue 13):
 * `{"error":{"code","message":"Error executing cmdlet","details":[{"code":"Client"|"Context","target":"","message"}],
 * "innererror":{"message","type":"Microsoft.Exchange.Admin.OData.Core.ODataServiceException","internalexception"?}}}`.
 * The pipe form follows the pinned body with `"code":"Client"` and no internalexception; the JSON form the pinned
 * ADObjectAlreadyExistsException body with `"code":"Context"`; the bare form has no details and carries the type and
 * text only in `innererror.internalexception` (lower-case key).
 */
export function errorBody(error: ExchangeError, requestId: string, form: Exclude<ExchangeErrorForm, 'mixed'>): Record<string, unknown> {
    const message = fixedMessage(error);
    const innererror: Record<string, unknown> = { message, type: 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException', 'request-id': requestId };
    const body: Record<string, unknown> = { code: errorCode(error.status), message };
    if (form === 'pipe') {
        body.details = [{ code: 'Client', target: '', message: `${error.code}|${error.exceptionType}|${error.message}` }];
    } else if (form === 'json') {
        body.details = [{ code: 'Context', target: '', message: JSON.stringify({ Message: error.message, TypeName: error.exceptionType, StackTrace: null, InnerError: null }) }];
    } else {
        innererror.internalexception = { message: error.message, type: error.exceptionType };
    }
    body.innererror = innererror;
    return { error: body };
}

/** A 403 for a missing RBAC role: an empty body (`pipe`, `bare`) or one of NUL bytes (`json`), never JSON. */
export function forbiddenBody(form: Exclude<ExchangeErrorForm, 'mixed'>): string {
    return form === 'json' ? '\u0000'.repeat(32) : '';
}

/** The form of this error: the knob's, or under `mixed` a draw from the tenant's seeded stream (knob `faultSeed`). */
function formFor(ctx: SandboxContext): Exclude<ExchangeErrorForm, 'mixed'> {
    const wanted = ctx.knobs.exchangeErrorForm;
    if (wanted !== 'mixed') return wanted;
    return (['pipe', 'json', 'bare'] as const)[Math.floor(ctx.chance('exchange-error-form') * 3)];
}

/** The whole answer for a failed command, in the form the `exchangeErrorForm` knob asks for. */
export function errorAnswer(ctx: SandboxContext, error: ExchangeError, requestId: string): SandboxResponse {
    const form = formFor(ctx);
    if (error.status === 403) return { status: 403, headers: { 'request-id': requestId }, body: forbiddenBody(form) };
    return { status: error.status, headers: { 'request-id': requestId }, body: errorBody(error, requestId, form) };
}
