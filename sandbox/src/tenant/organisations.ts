import { stableGuid } from './random';

/** The tenant id Contoso (tenant 1) has always had: tests, state files and the demo rely on it. */
export const contosoTenantId = '6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
/** Contoso's app-only app and own registration keep the ids they have always had (tests and docs name them). */
export const contosoConfidentialClientId = 'b7a1c2d3-0000-4000-8000-00000000a99a';
export const contosoOwnRegistrationClientId = 'c3d4e5f6-0000-4000-8000-00000000b0a7';

/** Who a sandbox tenant is: everything the seed needs to make one organisation distinct from the others. */
export interface Organisation {
    /** 1-based position in the sandbox (tenant 1 is Contoso). */
    index: number;
    name: string;
    /** The default, verified custom domain (`contoso.com`). */
    domain: string;
    /** The `.onmicrosoft.com` domain every tenant starts with. */
    initialDomain: string;
    tenantId: string;
    countryLetterCode: string;
    /** Seeds the organisation's ids and people; Contoso's is `contoso`, so its ids never change. */
    seed: string;
    /** Shifts the name lists so that each organisation's staff are different people. */
    peopleOffset: number;
    confidentialClientId: string;
    ownRegistrationClientId: string;
}

/** Microsoft's own fictitious companies (after Contoso, Fabrikam and Northwind Traders, which the issue names). */
const names: readonly [string, string, string][] = [
    ['Contoso', 'contoso', 'US'],
    ['Fabrikam', 'fabrikam', 'US'],
    ['Northwind Traders', 'northwindtraders', 'US'],
    ['Adventure Works', 'adventureworks', 'US'],
    ['Tailspin Toys', 'tailspintoys', 'GB'],
    ['Wide World Importers', 'wideworldimporters', 'US'],
    ['Woodgrove Bank', 'woodgrovebank', 'GB'],
    ['Litware', 'litware', 'DE'],
    ['Proseware', 'proseware', 'NL'],
    ['Alpine Ski House', 'alpineskihouse', 'FR'],
    ['Coho Winery', 'cohowinery', 'ES'],
    ['Lucerne Publishing', 'lucernepublishing', 'DE'],
    ['Relecloud', 'relecloud', 'US'],
    ['Trey Research', 'treyresearch', 'GB'],
    ['Wingtip Toys', 'wingtiptoys', 'US'],
    ['Fourth Coffee', 'fourthcoffee', 'JP'],
    ['Humongous Insurance', 'humongousinsurance', 'US'],
    ['Blue Yonder Airlines', 'blueyonderairlines', 'US'],
    ['Consolidated Messenger', 'consolidatedmessenger', 'GB'],
    ['VanArsdel', 'vanarsdel', 'NL'],
];

/** The most tenants one sandbox serves (each is a full organisation in memory). */
export const maxTenants = 100;

/**
 * The organisation at a 1-based position: deterministic, so tenant 3 has the same id, domains and people every run.
 * Past the named companies, numbered ones (`Sandbox Organisation 21`, `sandboxorg21.com`).
 */
export function organisation(index: number): Organisation {
    if (!Number.isInteger(index) || index < 1 || index > maxTenants) throw new Error(`A sandbox tenant is numbered 1..${maxTenants} (got ${index}).`);
    const [name, slug, countryLetterCode] = names[index - 1] ?? [`Sandbox Organisation ${index}`, `sandboxorg${index}`, 'US'];
    if (index === 1) {
        return { index, name, domain: `${slug}.com`, initialDomain: `${slug}.onmicrosoft.com`, tenantId: contosoTenantId, countryLetterCode, seed: 'contoso', peopleOffset: 0, confidentialClientId: contosoConfidentialClientId, ownRegistrationClientId: contosoOwnRegistrationClientId };
    }
    return {
        index,
        name,
        domain: `${slug}.com`,
        initialDomain: `${slug}.onmicrosoft.com`,
        // Deterministic from the name, as the brief for the fleet tests asks (a real tenant id is random).
        tenantId: stableGuid('sandbox-tenant', name),
        countryLetterCode,
        seed: slug,
        peopleOffset: index - 1,
        confidentialClientId: stableGuid(slug, 'app/automation'),
        ownRegistrationClientId: stableGuid(slug, 'app/own-registration'),
    };
}
