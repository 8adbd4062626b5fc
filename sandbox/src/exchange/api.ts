import type { RequestHandler, SandboxContext, SandboxRequest, SandboxResponse } from '../contracts';
import { cmdlets, knownParameters, type Parameters } from './cmdlets';
import { runExchangeBatch } from './batch';
import { accessDenied, errorAnswer, ExchangeError, invalidParameter } from './errors';
import { dropRecipientIndex } from './recipients';

const globalAdministrator = '62e90394-69f5-4237-9190-012177145e10';
const globalReader = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
const exchangeAdministrator = '29232cdf-9323-42fd-ade2-1d097af3e4de';
/** Cmdlets that add, remove or rename no recipient (any other drops the per-request name index). */
const keepsRecipientNames = /^(Get-|(Add|Set|Remove)-MailboxFolderPermission$|(Add|Remove)-(DistributionGroup|RoleGroup)Member$)/;

/**
 * The Exchange Online admin API (`POST /adminapi/beta/{tenantId}/InvokeCommand`) that ExchangeOnlineManagement v3
 * uses, over the same tenant model as Graph: cmdlets with PowerShell's parameter binding, Exchange RBAC, paging by
 * `Prefer: odata.maxpagesize`, warnings in `@adminapi.warnings`, and Exchange's error texts and body forms (errors.ts); and `$batch` (batch.ts),
 * up to 10 InvokeCommand requests in one.
 */
export function createExchangeApi(ctx: SandboxContext): RequestHandler {
    const failed = (request: SandboxRequest, error: unknown): SandboxResponse => {
        if (!(error instanceof ExchangeError)) throw error;
        return errorAnswer(ctx, error, request.requestId);
    };
    const invokeOne = (request: SandboxRequest): SandboxResponse => {
        try {
            return invoke(ctx, request);
        } catch (error) {
            return failed(request, error);
        }
    };
    return async request => {
        const batch = /^\/adminapi\/beta\/([^/]+)\/(?:\$|%24)batch$/i.exec(request.path);
        if (!batch) return invokeOne(request);
        try {
            if (request.method !== 'POST') throw new ExchangeError(405, 'Microsoft.OData.ODataException', 'The $batch endpoint accepts only POST.');
            checkTenant(ctx, batch[1]);
            return await runExchangeBatch(ctx, request, invokeOne);
        } catch (error) {
            return failed(request, error);
        }
    };
}

/** The tenant in the URL must be the token's tenant (its id or one of its verified domains). */
function checkTenant(ctx: SandboxContext, segment: string): void {
    const tenant = decodeURIComponent(segment).toLowerCase();
    if (tenant !== ctx.state.tenantId && !ctx.state.domains.some(d => d.isVerified && d.id === tenant)) {
        throw new ExchangeError(401, 'UnauthorizedAccessException', `The tenant '${tenant}' in the request does not match the token's tenant.`);
    }
}

function invoke(ctx: SandboxContext, request: SandboxRequest): SandboxResponse {
    const match = /^\/adminapi\/beta\/([^/]+)\/InvokeCommand$/i.exec(request.path);
    if (!match || request.method !== 'POST') throw new ExchangeError(404, 'NotFound', `No Exchange admin endpoint ${request.method} ${request.path}.`);
    checkTenant(ctx, match[1]);
    const input = (request.body as { CmdletInput?: { CmdletName?: string; Parameters?: Parameters } } | undefined)?.CmdletInput;
    const name = Object.keys(cmdlets).find(c => c.toLowerCase() === (input?.CmdletName ?? '').toLowerCase());
    if (!name) {
        throw new ExchangeError(400, 'System.Management.Automation.CommandNotFoundException', `The term '${input?.CmdletName ?? ''}' is not recognized as the name of a cmdlet, function, script file, or operable program.`);
    }
    authorise(ctx, request, name);
    const parameters = bind(name, input?.Parameters ?? {});
    let result;
    try {
        result = cmdlets[name](ctx, parameters, request.principal);
    } finally {
        if (!keepsRecipientNames.test(name)) dropRecipientIndex();
    }

    // Paging: the same command is POSTed again to @odata.nextLink with a skiptoken.
    const pageSize = Math.min(1000, Number(/odata\.maxpagesize=(\d+)/.exec(request.headers.prefer ?? '')?.[1] ?? 1000));
    const skip = Number(Buffer.from(request.url.searchParams.get('$skiptoken') ?? '', 'base64url').toString('utf8').split(':')[1] ?? 0);
    const page = result.value.slice(skip, skip + pageSize);
    const body: Record<string, unknown> = { '@odata.context': `${request.url.origin}/exchange/adminapi/beta/${ctx.state.tenantId}/$metadata#Collection(Exchange.GenericHashTable)` };
    if (skip + pageSize < result.value.length) {
        const next = new URL(request.url.href);
        next.searchParams.set('$skiptoken', Buffer.from(`exo:${skip + pageSize}:page`).toString('base64url'));
        body['@odata.nextLink'] = next.href;
    }
    if (result.warnings?.length) {
        body['adminapi.warnings@odata.type'] = '#Collection(String)';
        body['@adminapi.warnings'] = result.warnings;
    }
    body.value = page;
    return { status: 200, headers: { 'content-type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8', 'request-id': request.requestId }, body };
}

/** PowerShell binds parameter names case-insensitively and refuses names the cmdlet does not have. */
function bind(cmdlet: string, given: Parameters): Parameters {
    const known = knownParameters[cmdlet] ?? [];
    const bound: Parameters = {};
    for (const [name, value] of Object.entries(given)) {
        const canonical = known.find(k => k.toLowerCase() === name.toLowerCase());
        if (!canonical) throw invalidParameter(`A parameter cannot be found that matches parameter name '${name}'.`);
        bound[canonical] = value;
    }
    return bound;
}

/**
 * Exchange RBAC: Organization Management members, Global and Exchange Administrators may run everything; Global
 * Readers and View-Only Organization Management may run Get- cmdlets; apps need Exchange.ManageAsApp and an Entra role.
 */
function authorise(ctx: SandboxContext, request: SandboxRequest, cmdlet: string): void {
    const principal = request.principal;
    const readOnly = cmdlet.startsWith('Get-');
    const principalId = principal.kind === 'delegated' ? principal.userId ?? '' : ctx.state.apps.find(a => a.appId === principal.appId)?.servicePrincipalId ?? '';
    const roles = ctx.state.roleAssignments.filter(a => a.principalId === principalId).map(a => a.roleDefinitionId);
    const inRoleGroup = (name: string) => ctx.state.roleGroups.some(g => g.displayName === name && g.members.includes(principalId));
    if (principal.kind === 'application') {
        if (!principal.roles.includes('Exchange.ManageAsApp')) {
            throw new ExchangeError(401, 'UnauthorizedAccessException', 'The app does not have the Exchange.ManageAsApp application permission on Office 365 Exchange Online.');
        }
        if (!roles.includes(exchangeAdministrator) && !roles.includes(globalAdministrator) && !(readOnly && roles.includes(globalReader))) {
            throw new ExchangeError(401, 'UnauthorizedAccessException', 'The role assigned to application isn\'t supported in this scenario. Assign the app an Entra role such as Exchange Administrator.');
        }
        return;
    }
    const admin = roles.includes(globalAdministrator) || roles.includes(exchangeAdministrator) || inRoleGroup('Organization Management');
    const reader = roles.includes(globalReader) || inRoleGroup('View-Only Organization Management');
    if (admin || (readOnly && reader)) return;
    throw accessDenied(cmdlet);
}
