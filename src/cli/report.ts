import { describeStepKind, type RecipeStepKind } from '../provisioning/recipes/recipePlan';
import type { CliCommand } from './args';

const stepName = (kind: string): string => describeStepKind(kind as RecipeStepKind) ?? kind;

/**
 * What every command prints with `--json`: one document, schema version 1 (docs/CLI.md, media/cli-report.schema.json).
 * Fields are added, never renamed or removed, within a version.
 */
export interface CliReport {
    schemaVersion: 1;
    command: Exclude<CliCommand, 'sandbox'>;
    /** inSync / changesPending (plan), applied / nothingToDo (apply), inSync / drift (verify), exported, or the failure. */
    outcome: 'inSync' | 'changesPending' | 'applied' | 'nothingToDo' | 'drift' | 'exported' | 'blocked' | 'refused' | 'cancelled' | 'failed' | 'error';
    exitCode: 0 | 1 | 2;
    recipe?: { file: string; name?: string };
    tenant?: { id: string; displayName?: string; defaultDomain?: string; cloud: string };
    steps: CliStep[];
    /** Steps per status or outcome. */
    totals: Record<string, number>;
    /** The recipe's problems (each with its JSON pointer, line and column), when it could not be read. */
    problems?: { path: string; message: string; line?: number; column?: number }[];
    /** What went wrong, in words an admin can act on. */
    message?: string;
    /** export: where the script was written (absent when printed to standard output). */
    output?: string;
    startedAt: string;
    finishedAt: string;
}

export interface CliStep {
    id: string;
    kind: string;
    target: string;
    /** plan/verify: create, change, remove, done, blocked; apply: created, changed, removed, alreadyInPlace, failed, notRun. */
    status: string;
    detail: string;
    /** Calendar grants: mailboxes per outcome. */
    mailboxes?: Record<string, number>;
    privileged?: boolean;
}

export function totalsOf(steps: readonly CliStep[]): Record<string, number> {
    const totals: Record<string, number> = {};
    for (const step of steps) totals[step.status] = (totals[step.status] ?? 0) + 1;
    return totals;
}

/** The tenant as an admin recognises it: its name and default domain, its id after. */
export function tenantLabel(tenant: CliReport['tenant']): string {
    if (!tenant) return '';
    const name = [tenant.displayName, tenant.defaultDomain].filter(Boolean).join(', ');
    return name ? `${name} (${tenant.id})` : tenant.id;
}

/** The human form: a heading, a table of steps, the totals, and the message. Plain text: no colour, no cursor moves. */
export function humanReport(report: CliReport): string {
    const lines: string[] = [];
    const where = report.tenant ? ` in ${tenantLabel(report.tenant)}` : '';
    if (report.recipe) lines.push(`${capitalise(report.command)} of ${report.recipe.name ? `"${report.recipe.name}"` : report.recipe.file}${where}`, '');
    if (report.problems?.length) {
        for (const p of report.problems) lines.push(`  ${report.recipe?.file ?? ''}${p.line ? `:${p.line}:${p.column ?? 1}` : ''}  ${p.path || '(file)'}  ${p.message}`);
        lines.push('');
    }
    if (report.steps.length) {
        const rows = report.steps.map(s => [s.status, `${stepName(s.kind)}${s.privileged ? ' (privileged)' : ''}`, s.target, s.detail]);
        lines.push(...table(['Status', 'Step', 'Target', 'Detail'], rows), '');
        lines.push(`Totals: ${Object.entries(report.totals).map(([k, n]) => `${n} ${k}`).join(', ')}`);
    }
    if (report.message) lines.push(report.message);
    return `${lines.join('\n').trimEnd()}\n`;
}

function table(headers: string[], rows: string[][]): string[] {
    // The last column (detail) is not padded; the others are, up to a width that keeps a row readable.
    const widths = headers.map((h, i) => (i === headers.length - 1 ? 0 : Math.min(48, Math.max(h.length, ...rows.map(r => r[i].length)))));
    const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : fit(c, widths[i]))).join('  ').trimEnd();
    return [line(headers), line(widths.map((w, i) => '-'.repeat(i === headers.length - 1 ? headers[i].length : w))), ...rows.map(line)];
}

function fit(text: string, width: number): string {
    return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

function capitalise(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}
