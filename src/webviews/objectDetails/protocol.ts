// The details view's messages, imported by the host (ObjectDetailsPanel) and the page: no `vscode`, no Node, no DOM.
import type { ObjectDetails } from '../../graph/detailsModel';
import { hasOnlyKeys, isRecord, type ParamValidators } from '../rpc';
import type { TreeAction } from './treeActions';

/** Everything the page shows: the object, its tenant, and the tree's actions for its row. */
export interface DetailsView {
    details: ObjectDetails;
    /** "Contoso (contoso.com)": which tenant this object is in. */
    tenant: string;
    actions: TreeAction[];
    /** When the page was read, ISO 8601, shown as "read at". */
    readAt: string;
}

/** What the page asks the host. Copy names a value the view shows (the host refuses any other text). */
export type DetailsRequests = {
    view: { params: Record<string, never>; result: DetailsView };
    refresh: { params: Record<string, never>; result: DetailsView };
    copy: { params: { value: string }; result: null };
    openInAdminCentre: { params: Record<string, never>; result: null };
    run: { params: { command: string }; result: null };
};

/** What the host tells the page: the object was read again (Show Details run again, or an action changed it). */
export type DetailsEvents = {
    view: DetailsView;
};

const isText = (value: unknown, max = 1024): value is string => typeof value === 'string' && value.length <= max;
const isEmpty = (p: unknown): p is Record<string, never> => hasOnlyKeys(p, []);

export const detailsValidators: ParamValidators<DetailsRequests> = {
    view: isEmpty,
    refresh: isEmpty,
    copy: (p): p is DetailsRequests['copy']['params'] => hasOnlyKeys(p, ['value']) && isText(p.value, 4096),
    openInAdminCentre: isEmpty,
    run: (p): p is DetailsRequests['run']['params'] => hasOnlyKeys(p, ['command']) && isText(p.command, 128) && /^m365Provisioner\.[\w.]+$/.test(p.command),
};

const isOptionalText = (value: unknown) => value === undefined || typeof value === 'string';
const everyIs = (value: unknown, check: (item: unknown) => boolean) => value === undefined || (Array.isArray(value) && value.every(check));

const isFact = (f: unknown) => isRecord(f) && typeof f.label === 'string' && typeof f.value === 'string' && (f.copy === undefined || typeof f.copy === 'boolean');
const isItem = (i: unknown) => isRecord(i) && typeof i.text === 'string' && isOptionalText(i.detail) && isOptionalText(i.badge);
const isSection = (s: unknown) => isRecord(s) && typeof s.heading === 'string' && everyIs(s.facts, isFact) && everyIs(s.items, isItem) && isOptionalText(s.empty) && isOptionalText(s.more);
const isAction = (a: unknown) => isRecord(a) && typeof a.command === 'string' && typeof a.title === 'string' && typeof a.danger === 'boolean';

/** The page checks what it is given before drawing it: the host is the only sender, but a bad shape must not half-draw. */
export function isDetailsView(value: unknown): value is DetailsView {
    if (!isRecord(value) || !isRecord(value.details)) return false;
    const d = value.details;
    return typeof d.kind === 'string' && typeof d.name === 'string' && typeof d.summary === 'string' && Array.isArray(d.sections) && d.sections.every(isSection)
        && typeof value.tenant === 'string' && typeof value.readAt === 'string' && Array.isArray(value.actions) && value.actions.every(isAction);
}

/** Every value the view offers to copy, with its label: what `copy` may put on the clipboard. */
export function copyableValues(view: DetailsView): { label: string; value: string }[] {
    return view.details.sections.flatMap(s => (s.facts ?? []).filter(f => f.copy && f.value).map(f => ({ label: f.label, value: f.value })));
}
