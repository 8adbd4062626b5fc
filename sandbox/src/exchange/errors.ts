/** An Exchange cmdlet error as the REST admin API returns it; `message` is what PowerShell shows. */
export class ExchangeError extends Error {
    constructor(readonly status: number, readonly exceptionType: string, message: string) {
        super(message);
    }
}

const server = 'AM0PR01MB0001.EURPRD01.PROD.OUTLOOK.COM';

export const notFound = (identity: string) =>
    new ExchangeError(404, 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException', `The operation couldn't be performed because object '${identity}' couldn't be found on '${server}'.`);
/** What Exchange says about a directory object it has not received yet (the guide's "try again in 30 minutes"). */
export const notReplicated = (identity: string) =>
    new ExchangeError(404, 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException', `Couldn't find object "${identity}". Please make sure that it was spelled correctly or specify a different object.`);
export const ambiguous = (identity: string) =>
    new ExchangeError(400, 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectAmbiguousException', `The operation couldn't be performed because '${identity}' matches multiple entries.`);
export const invalidParameter = (message: string) => new ExchangeError(400, 'Microsoft.Exchange.Configuration.Tasks.ParameterBindingException', message);
export const accessDenied = (cmdlet: string) =>
    new ExchangeError(403, 'Microsoft.Exchange.Configuration.Tasks.AccessDeniedException', `The user has insufficient access rights to run '${cmdlet}'. Ask an Exchange administrator to add you to a role group that grants it.`);

export function errorBody(error: ExchangeError, requestId: string): Record<string, unknown> {
    const code = error.status === 404 ? 'NotFound' : error.status === 403 ? 'Forbidden' : 'BadRequest';
    return {
        error: {
            code,
            message: `|${error.exceptionType}|${error.message}`,
            details: [{ code: 'Context', message: error.message, target: '' }],
            innererror: {
                message: error.message,
                type: 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException',
                internalException: { message: error.message, type: error.exceptionType },
                'request-id': requestId,
            },
        },
    };
}
