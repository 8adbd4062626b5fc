/*
 * Reads Microsoft's "Product names and service plan identifiers for licensing" table
 * (MicrosoftDocs/entra-docs, docs/identity/users/licensing-service-plan-reference.md) into the names we show: each
 * product's name by its String ID (Graph's subscribedSku.skuPartNumber) and each service plan's friendly name by its
 * servicePlanName. Plain text in, plain data out (no Node, no vscode): scripts/refresh-licence-names.mjs runs it on
 * the page and writes licenceNames.json; the unit tests run it on rows of the real page.
 */

/** A product's name as the admin centres show it, with its GUID (subscribedSku.skuId). */
export type ProductEntry = [name: string, skuId: string];
/** A service plan's friendly name, with its GUID (servicePlanInfo.servicePlanId). */
export type ServicePlanEntry = [friendlyName: string, servicePlanId: string];

export interface LicenceNameTable {
    /** By String ID (skuPartNumber). */
    products: Record<string, ProductEntry>;
    /** By service plan name (servicePlanName). Plans the page names only by their raw name are left out. */
    servicePlans: Record<string, ServicePlanEntry>;
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "EXCHANGE_S_ENTERPRISE (efb87545-…)" items of one cell, split at `<br/>`; the name may hold brackets of its own. */
function namedIds(cell: string): { name: string; id: string }[] {
    return cell
        .split(/<br\s*\/?>/i)
        .map(part => /^(.*?)\s*\(\s*([0-9a-f-]{36})\s*\)\s*$/i.exec(part.trim()))
        .filter((m): m is RegExpExecArray => m !== null && guid.test(m[2]))
        .map(m => ({ name: m[1].replace(/\s+/g, ' ').trim(), id: m[2].toLowerCase() }));
}

/** The cells of one table row, trimmed (the page mixes tabs and spaces around the pipes). */
function cells(line: string): string[] {
    return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map(c => c.replace(/\s+/g, ' ').trim());
}

/**
 * Whether a "friendly" name only repeats the raw one, as some rows do ("TEAMS1", "YAMMER_ENTERPRISE"): no friendlier
 * than what Graph gives. "Sway" for SWAY is a friendly name (the admin centre's spelling).
 */
function onlyRepeats(friendly: string, raw: string): boolean {
    return friendly === raw;
}

/** Rows written in capitals ("EXCHANGE ONLINE (PLAN 2)") are older; the admin centre writes "Exchange Online (Plan 2)". */
function shouted(name: string): boolean {
    return /[A-Z]/.test(name) && name === name.toUpperCase();
}

/** One product of the table with its plans (and each plan's friendly name where the row gives one). */
interface LicenceRow {
    product: string;
    partNumber: string;
    skuId: string;
    plans: { name: string; id: string; friendly?: string }[];
}

/**
 * The names in the page's table (markdown). A product's plans and their friendly names are in two cells, paired by
 * GUID, not by position (rows list them in different orders).
 */
export function parseLicenceTable(markdown: string): LicenceNameTable {
    const rows: LicenceRow[] = [];
    let inTable = false;
    for (const line of markdown.split(/\r?\n/)) {
        const trimmed = line.trim();
        if (!trimmed.startsWith('|')) {
            inTable = false;
            continue;
        }
        const row = cells(trimmed);
        if (/^product name$/i.test(row[0] ?? '') && /^string id$/i.test(row[1] ?? '')) {
            inTable = true;
            continue;
        }
        if (!inTable || row.length < 5 || row.every(c => /^:?-+:?$/.test(c))) continue;
        const [product, partNumber, skuId, planCell, friendlyCell] = row;
        if (!partNumber || !guid.test(skuId)) continue;
        const friendlyById = new Map(namedIds(friendlyCell).map(f => [f.id, f.name]));
        rows.push({ product, partNumber, skuId, plans: namedIds(planCell).map(plan => ({ ...plan, friendly: friendlyById.get(plan.id) })) });
    }
    return namesFrom(rows);
}

/**
 * The same table as Microsoft's CSV download (linked from the page: "You can also download a CSV version of this
 * table"): one line per product and plan, columns Product_Display_Name, String_Id, GUID, Service_Plan_Name,
 * Service_Plan_Id, Service_Plans_Included_Friendly_Names; fields with commas are quoted (RFC 4180).
 */
export function parseLicenceCsv(csv: string): LicenceNameTable {
    const lines = csvRecords(csv.replace(/^\uFEFF/, ''));
    const header = lines.shift()?.map(h => h.trim().toLowerCase()) ?? [];
    const at = (name: string) => header.indexOf(name);
    const columns = ['product_display_name', 'string_id', 'guid', 'service_plan_name', 'service_plan_id', 'service_plans_included_friendly_names'].map(at);
    if (columns.some(c => c < 0)) return { products: {}, servicePlans: {} };
    const byPart = new Map<string, LicenceRow>();
    const rows: LicenceRow[] = [];
    for (const fields of lines) {
        const [product, partNumber, skuId, planName, planId, friendly] = columns.map(c => (fields[c] ?? '').replace(/\s+/g, ' ').trim());
        if (!partNumber || !guid.test(skuId)) continue;
        let row = byPart.get(partNumber);
        if (!row) {
            row = { product, partNumber, skuId, plans: [] };
            byPart.set(partNumber, row);
            rows.push(row);
        }
        if (planName && guid.test(planId)) row.plans.push({ name: planName, id: planId.toLowerCase(), ...(friendly ? { friendly } : {}) });
    }
    return namesFrom(rows);
}

/** Either form of the table, told apart by the CSV's header line. */
export function parseLicenceSource(text: string): LicenceNameTable {
    return /^\uFEFF?Product_Display_Name,/i.test(text) ? parseLicenceCsv(text) : parseLicenceTable(text);
}

/** RFC 4180 records: commas and line breaks inside double quotes, "" for a quote. */
function csvRecords(text: string): string[][] {
    const records: string[][] = [];
    let record: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (quoted) {
            if (c === '"' && text[i + 1] === '"') {
                field += '"';
                i++;
            } else if (c === '"') quoted = false;
            else field += c;
        } else if (c === '"') quoted = true;
        else if (c === ',') {
            record.push(field);
            field = '';
        } else if (c === '\n' || c === '\r') {
            if (c === '\r' && text[i + 1] === '\n') i++;
            record.push(field);
            if (record.some(f => f !== '')) records.push(record);
            record = [];
            field = '';
        } else field += c;
    }
    record.push(field);
    if (record.some(f => f !== '')) records.push(record);
    return records;
}

/**
 * The names the rows give. A product listed twice keeps its first row. A service plan appears in many rows, not
 * always with the same friendly name: the one in ordinary capitalisation that most rows use wins (the first of
 * equals), an all-capitals one only when no row writes it otherwise.
 */
function namesFrom(rows: readonly LicenceRow[]): LicenceNameTable {
    const products: Record<string, ProductEntry> = {};
    const candidates = new Map<string, { id: string; names: Map<string, number> }>();
    for (const row of rows) {
        products[row.partNumber] ??= [row.product, row.skuId.toLowerCase()];
        for (const plan of row.plans) {
            const entry = candidates.get(plan.name) ?? { id: plan.id, names: new Map<string, number>() };
            candidates.set(plan.name, entry);
            if (plan.friendly && !onlyRepeats(plan.friendly, plan.name)) entry.names.set(plan.friendly, (entry.names.get(plan.friendly) ?? 0) + 1);
        }
    }
    const servicePlans: Record<string, ServicePlanEntry> = {};
    for (const [name, { id, names }] of candidates) {
        const ranked = [...names].sort((a, b) => Number(shouted(a[0])) - Number(shouted(b[0])) || b[1] - a[1]);
        if (ranked.length) servicePlans[name] = [ranked[0][0], id];
    }
    return { products, servicePlans };
}
