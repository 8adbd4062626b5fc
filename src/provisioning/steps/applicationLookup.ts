import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { applicationsNamed, servicePrincipalOf } from '../../graph/applications';
import { ProvisioningInputError } from '../errors';
import type { WriteContext } from './contract';
import type { TenantReads } from './tenantReads';

/** The registration a step hangs on and its service principal, as the plan read them (both undefined: not made yet). */
export interface AppFound {
    application?: MicrosoftGraph.Application;
    servicePrincipal?: MicrosoftGraph.ServicePrincipal;
}

/**
 * The registration with this display name. Entra does not keep names unique, and a recipe names its app by display
 * name, so two registrations with one name are refused, naming both application ids: the admin renames or deletes
 * one (acting on a guess could give permissions to the wrong app).
 */
export async function applicationNamed(reads: TenantReads, displayName: string): Promise<AppFound> {
    const found = await reads.applicationsNamed(displayName);
    if (found.length > 1) {
        throw new ProvisioningInputError(`${found.length} app registrations are named "${displayName.trim()}" (application ids ${found.map(a => a.appId ?? '?').join(' and ')}). Rename or delete the one the recipe is not about in the Entra admin centre (App registrations), then plan again.`, 'application', '');
    }
    const application = found[0];
    const servicePrincipal = application?.appId ? await reads.servicePrincipal(application.appId) : undefined;
    return { ...(application ? { application } : {}), ...(servicePrincipal ? { servicePrincipal } : {}) };
}

/** What a write needs of the app: its object id, application id and service principal id. */
export interface AppIds { id: string; appId: string; servicePrincipalId: string; displayName: string }

/**
 * The app at write time: what the plan read, else (the registration step of this apply made it after the plan) one
 * fresh lookup. Fails clearly when it is not there: the registration step before this one did not run or failed.
 */
export async function appAtWrite(ctx: WriteContext, displayName: string, have: AppFound): Promise<AppIds> {
    let application = have.application;
    let servicePrincipal = have.servicePrincipal;
    const o = ctx.signal ? { signal: ctx.signal } : {};
    if (!application?.id) application = (await applicationsNamed(ctx.graph, displayName.trim(), o)).find(a => a.displayName?.toLowerCase() === displayName.trim().toLowerCase());
    if (!application?.id || !application.appId) throw new Error(`There is no app registration "${displayName.trim()}" in the tenant (it is made by the recipe's registration step, which has not run). Apply again.`);
    if (!servicePrincipal?.id) servicePrincipal = await servicePrincipalOf(ctx.graph, application.appId, o);
    if (!servicePrincipal?.id) throw new Error(`The app registration "${displayName.trim()}" has no service principal (enterprise application) yet. Apply again: the registration step makes it.`);
    return { id: application.id, appId: application.appId, servicePrincipalId: servicePrincipal.id, displayName: application.displayName ?? displayName.trim() };
}

const dayMs = 86_400_000;

/** A credential still valid this many days counts as in place; one closer to its end is rolled (the tree flags it too). */
export const credentialRenewDays = 30;

/**
 * Days before its end a credential of this lifetime is rolled: 30, or half its lifetime when that is shorter, so a
 * credential the recipe asks to last 30 days or less counts as in place when just made (else every plan would add one).
 */
export const renewWithinDays = (validDays: number): number => Math.min(credentialRenewDays, Math.floor(validDays / 2));

/** Whether a credential's end is more than `days` away. */
export const validLongEnough = (endDateTime: string | null | undefined, days: number, now = Date.now()): boolean =>
    endDateTime !== undefined && endDateTime !== null && Date.parse(endDateTime) - now > days * dayMs;
