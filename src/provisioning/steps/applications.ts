import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { addApplicationOwner, createApplication, createServicePrincipal, deleteApplication, exchangeOnlineAppId, microsoftGraphAppId, updateApplication, writeApplicationsScopes } from '../../graph/applications';
import { GraphRequestError } from '../../graph/GraphRequestError';
import { ProvisioningInputError } from '../errors';
import { applicationNamed, type AppFound } from './applicationLookup';
import type { AppRegistrationWant } from './applicationWants';
import { isAbsent, type Step, type WriteContext } from './contract';
import type { TenantReads } from './tenantReads';

/** An application permission as requiredResourceAccess lists it: the API's app id and the permission's app role id. */
interface AccessEntry { resourceAppId: string; id: string; permission: string }

export interface AppRegistrationHave extends AppFound {
    /** Owners the recipe names: UPN and object id (undefined: an account the recipe makes, not there yet). */
    owners: { upn: string; id?: string }[];
    /** Owners the registration has now, by object id. */
    ownerIds: string[];
    /** The recipe's permissions as requiredResourceAccess entries (unknown ones are the permission steps' to refuse). */
    access: AccessEntry[];
}

const o = (ctx: WriteContext) => (ctx.signal ? { signal: ctx.signal } : {});

/** requiredResourceAccess entries the registration lacks. */
function missingAccess(app: MicrosoftGraph.Application | undefined, access: AccessEntry[]): AccessEntry[] {
    const has = new Set((app?.requiredResourceAccess ?? []).flatMap(r => (r.resourceAccess ?? []).map(a => `${r.resourceAppId ?? ''}|${a.id ?? ''}|${a.type ?? ''}`.toLowerCase())));
    return access.filter(a => !has.has(`${a.resourceAppId}|${a.id}|Role`.toLowerCase()));
}

/** The registration's requiredResourceAccess with `add` merged in (what it lists already is kept). */
function withAccess(app: MicrosoftGraph.Application | undefined, add: AccessEntry[]): MicrosoftGraph.RequiredResourceAccess[] {
    const list = (app?.requiredResourceAccess ?? []).map(r => ({ resourceAppId: r.resourceAppId ?? '', resourceAccess: [...(r.resourceAccess ?? [])].map(a => ({ id: a.id ?? '', type: a.type ?? 'Role' })) }));
    for (const a of add) {
        let entry = list.find(r => r.resourceAppId.toLowerCase() === a.resourceAppId.toLowerCase());
        if (!entry) list.push(entry = { resourceAppId: a.resourceAppId, resourceAccess: [] });
        entry.resourceAccess.push({ id: a.id, type: 'Role' });
    }
    return list;
}

async function wantedAccess(reads: TenantReads, want: AppRegistrationWant): Promise<AccessEntry[]> {
    const access: AccessEntry[] = [];
    for (const p of want.permissions ?? []) {
        const api = await reads.resourceServicePrincipal(p.api);
        const role = (api?.appRoles ?? []).find(r => r.value === p.permission && (r.allowedMemberTypes ?? []).includes('Application'));
        if (role?.id) access.push({ resourceAppId: p.api === 'Microsoft Graph' ? microsoftGraphAppId : exchangeOnlineAppId, id: role.id, permission: p.permission });
    }
    return access;
}

/**
 * An app registration for one organisation only (`signInAudience: AzureADMyOrg`: "Users with a Microsoft work or
 * school account in my organization's Microsoft Entra tenant", docs-contrib resources/application.md), its service
 * principal (without one, client credentials fail with AADSTS7000229), its owners, and the permissions the recipe gives
 * listed in requiredResourceAccess, so the admin centre's "API permissions" page shows them as configured and granted.
 * Removing it deletes the registration; Entra keeps it 30 days in deleted items (application-delete.md), restorable.
 */
export const appRegistrationStep: Step<AppRegistrationWant, AppRegistrationHave> = {
    kind: 'registerApplication',
    label: 'Register application',
    writeScopes: writeApplicationsScopes,
    target: want => want.displayName.trim(),
    async read(reads, want) {
        const found = await applicationNamed(reads, want.displayName);
        if (isAbsent(want)) return { ...found, owners: [], ownerIds: [], access: [] };
        const owners = await Promise.all((want.owners ?? []).map(async (upn, i) => {
            const user = await reads.user(upn);
            if (!user?.id && !reads.expected(upn)) throw new ProvisioningInputError(`There is no account ${upn.trim()} in this tenant to own the app registration. Give the user principal name of an admin who may roll its credentials.`, 'owner', `/owners/${i}`);
            return { upn: upn.trim(), ...(user?.id ? { id: user.id } : {}) };
        }));
        const ownerIds = found.application?.id ? (await reads.applicationOwners(found.application.id)).map(d => d.id ?? '') : [];
        return { ...found, owners, ownerIds, access: await wantedAccess(reads, want) };
    },
    compare(want, have) {
        const name = want.displayName.trim();
        const app = have.application;
        if (isAbsent(want)) {
            return app
                ? { status: 'remove', detail: `Delete the app registration ${name} (application id ${app.appId ?? '?'}) and its service principal: every sign-in with its credentials stops. Entra keeps it in deleted items for 30 days, where it can be restored.` }
                : { status: 'done', detail: `There is no app registration ${name}.` };
        }
        const owners = have.owners.map(x => x.upn);
        const access = have.access.map(a => a.permission);
        if (!app) return { status: 'create', detail: `Register ${name} for this organisation only, with its service principal${owners.length ? `, owned by ${owners.join(', ')}` : ''}${access.length ? `, listing ${access.join(', ')} as its API permissions` : ''}.` };
        const todo = [
            have.servicePrincipal ? '' : 'make its service principal (enterprise application)',
            ...have.owners.filter(x => !x.id || !have.ownerIds.includes(x.id)).map(x => `add owner ${x.upn}`),
            ...missingAccess(app, have.access).map(a => `list ${a.permission} as an API permission`),
        ].filter(Boolean);
        if (todo.length) return { status: 'change', detail: `${name} (application id ${app.appId ?? '?'}) is registered: ${todo.join('; ')}.` };
        return { status: 'done', detail: `${name} is registered (application id ${app.appId ?? '?'}), with its service principal${owners.length ? ` and owners ${owners.join(', ')}` : ''}.` };
    },
    async write(ctx, want, have) {
        const name = want.displayName.trim();
        let app = have.application;
        const made: string[] = [];
        if (!app?.id) {
            app = await createApplication(ctx.graph, { displayName: name, signInAudience: 'AzureADMyOrg', requiredResourceAccess: withAccess(undefined, have.access) }, o(ctx));
            made.push(`registered (application id ${app.appId ?? '?'})`);
        } else {
            const missing = missingAccess(app, have.access);
            if (missing.length) {
                await updateApplication(ctx.graph, app.id, { requiredResourceAccess: withAccess(app, missing) }, o(ctx));
                made.push(`${missing.map(a => a.permission).join(', ')} listed as API permissions`);
            }
        }
        if (!app.id || !app.appId) throw new Error(`Entra answered without the new registration's ids for ${name}.`);
        if (!have.servicePrincipal) {
            try {
                await createServicePrincipal(ctx.graph, app.appId, o(ctx));
                made.push('service principal made');
            } catch (error) {
                // One service principal per app: made by a try whose answer was lost, or by someone else meanwhile.
                if (!(error instanceof GraphRequestError && error.status === 409) && !(error instanceof GraphRequestError && /already exists/i.test(error.message))) throw error;
            }
        }
        for (const owner of have.owners) {
            const id = owner.id ?? ctx.accountIds.get(owner.upn.toLowerCase());
            if (!id || have.ownerIds.includes(id)) continue;
            try {
                await addApplicationOwner(ctx.graph, app.id, id, o(ctx));
                made.push(`owner ${owner.upn} added`);
            } catch (error) {
                if (!(error instanceof GraphRequestError && /already exist/i.test(error.message))) throw error;
            }
        }
        if (!made.length) return { outcome: 'alreadyInPlace', detail: `${name} is registered (application id ${app.appId}).` };
        // A later try that finds the registration without its service principal: the lost try registered it.
        const lostTryMadeIt = ctx.afterLostAnswer === true && have.application !== undefined && !have.servicePrincipal;
        if (lostTryMadeIt) made.unshift('registered by a try whose answer was lost');
        return { outcome: have.application && !lostTryMadeIt ? 'changed' : 'created', detail: `${name}: ${made.join('; ')}.` };
    },
    async remove(ctx, want, have) {
        const name = want.displayName.trim();
        if (!have.application?.id) return { outcome: 'alreadyInPlace', detail: `There is no app registration ${name}.` };
        try {
            await deleteApplication(ctx.graph, have.application.id, o(ctx));
        } catch (error) {
            if (!(error instanceof GraphRequestError && error.isNotFound)) throw error;
        }
        return { outcome: 'removed', detail: `${name} deleted (application id ${have.application.appId ?? '?'}): Entra keeps it in deleted items for 30 days, where it can be restored.` };
    },
};
