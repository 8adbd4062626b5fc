import { chmod, mkdir, readFile, stat, writeFile, appendFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { DeviceCodePrompt } from '../auth/DelegatedSignIn';
import { SignInError } from '../auth/signInErrors';
import { parseRecipe, type Recipe } from '../provisioning/recipes/recipe';
import { applyPlan, credentialsHandedOver, RecipeBlockedError } from '../provisioning/recipes/recipeApply';
import { exportRecipe } from '../provisioning/export/recipeExport';
import { MAX_RECIPE_CHARACTERS } from '../provisioning/recipes/recipeLimits';
import { planOutcome } from '../provisioning/recipes/recipeFleet';
import { planRecipe } from '../provisioning/recipes/recipePlan';
import { verifyRecipe } from '../provisioning/recipes/recipeVerify';
import type { Logger } from '../shared/logger';
import { UsageError, type CliArgs } from './args';
import { totalsOf, type CliReport, type CliStep } from './report';
import { cloudFlag, openTenant, tenantSpecOf, type CliTenant, type TenantSpec } from './target';

/** What the commands need from the process: the environment, a way to ask, progress, a log, and a cancel. */
export interface CliContext {
    env: NodeJS.ProcessEnv;
    logger: Logger;
    /** --debug: an unexpected error's stack is shown. */
    debug: boolean;
    signal: AbortSignal;
    /** Shows a line of progress (a terminal only); undefined when there is no terminal. */
    progress?: (message: string) => void;
    /** Shows a person the device code to sign in with (on standard error, where a pipeline's log shows it too). */
    showCode?: (prompt: DeviceCodePrompt, why: string) => void;
    /** Asks a yes/no question on the terminal; undefined when there is none to ask on. */
    confirm?: (question: string, plan: CliReport) => Promise<boolean>;
}

/**
 * A file is not even read beyond what could hold the checker's largest recipe (characters of up to four bytes in
 * UTF-8); the checker then applies its own limit in characters.
 */
const maxRecipeBytes = MAX_RECIPE_CHARACTERS * 4;

/** A report without the fields every report of one command fills the same way. */
type ReportBody = Omit<CliReport, 'schemaVersion' | 'command' | 'startedAt' | 'finishedAt' | 'steps' | 'totals'> & Partial<Pick<CliReport, 'steps'>>;
type Finish = (report: ReportBody) => CliReport;

function finisher(args: CliArgs): Finish {
    const startedAt = new Date().toISOString();
    const command = args.command === 'sandbox' ? 'plan' : args.command;
    return report => {
        const steps = report.steps ?? [];
        return { schemaVersion: 1, command, startedAt, ...report, steps, totals: totalsOf(steps), finishedAt: new Date().toISOString() };
    };
}

/** The recipe a command names, read and checked; or the report saying why it cannot be used. */
export async function recipeFor(args: CliArgs): Promise<{ recipe: Recipe; ref: { file: string; name: string } } | { report: CliReport }> {
    const file = args.recipe ?? '';
    const read = await readRecipe(file);
    if ('problems' in read) return { report: finisher(args)({ outcome: 'error', exitCode: 1, recipe: { file }, problems: read.problems, message: read.message }) };
    return { recipe: read.recipe, ref: { file, name: read.recipe.name } };
}

/** Runs plan, apply, verify or export and returns its report (the exit code is in it). Never throws for bad input. */
export async function runCommand(args: CliArgs, context: CliContext): Promise<CliReport> {
    const finish = finisher(args);
    const read = await recipeFor(args);
    if ('report' in read) return read.report;
    const { recipe, ref: recipeRef } = read;

    if (args.command === 'export') {
        const cloud = cloudFlag(args.cloud);
        const script = exportRecipe(recipe, args.variant === 'cloud' ? { variant: 'cloud', cloud } : { variant: 'onPremises', organisation: args.organisation === 'exchangeOnly' ? 'exchangeOnly' : 'hybrid' });
        if (args.out) {
            await mkdir(path.dirname(path.resolve(args.out)), { recursive: true });
            await writeFile(args.out, script, 'utf8');
            return finish({ outcome: 'exported', exitCode: 0, recipe: recipeRef, output: args.out, message: `Wrote ${args.out}.` });
        }
        return finish({ outcome: 'exported', exitCode: 0, recipe: recipeRef, message: script });
    }

    return runOnTenant(args, context, recipe, recipeRef, tenantSpecOf(args));
}

/** Plan, apply or verify of a checked recipe on one tenant; every failure is a report, not a throw. */
export async function runOnTenant(args: CliArgs, context: CliContext, recipe: Recipe, recipeRef: { file: string; name: string }, spec: TenantSpec): Promise<CliReport> {
    const finish = finisher(args);
    let tenant: CliTenant | undefined;
    try {
        tenant = await openTenant(spec, context.env, context.logger, context.showCode);
        const where = { id: tenant.id, ...(tenant.displayName ? { displayName: tenant.displayName } : {}), ...(tenant.defaultDomain ? { defaultDomain: tenant.defaultDomain } : {}), cloud: tenant.cloud };
        const deps = { graph: tenant.graph, exchange: tenant.exchange, logger: context.logger };
        const o = { signal: context.signal };
        if (args.command === 'plan') {
            // The plan reads every calendar a grant covers (as verify does, in bulk and without a write): a pipeline's
            // "changes pending" must not be a guess, and a grant already in place is in sync.
            const plan = await verifyRecipe(deps, recipe, { ...o, ...(context.progress ? { onProgress: context.progress } : {}) });
            const steps = plan.steps.map(s => ({ ...planStep(s), ...(s.mailboxes ? { mailboxes: s.mailboxes } : {}) }));
            const { outcome, message } = planOutcome(plan);
            return finish({ outcome, exitCode: outcome === 'inSync' ? 0 : outcome === 'changesPending' ? 2 : 1, recipe: recipeRef, tenant: where, steps, message });
        }
        if (args.command === 'verify') {
            const verification = await verifyRecipe(deps, recipe, { ...o, ...(context.progress ? { onProgress: context.progress } : {}) });
            const steps = verification.steps.map(s => ({ ...planStep(s), ...(s.mailboxes ? { mailboxes: s.mailboxes } : {}) }));
            if (verification.cancelled) return finish({ outcome: 'cancelled', exitCode: 1, recipe: recipeRef, tenant: where, steps, message: 'Cancelled: the check did not finish.' });
            const drifted = verification.steps.filter(s => !s.inSync).length;
            return finish({ outcome: drifted ? 'drift' : 'inSync', exitCode: drifted ? 2 : 0, recipe: recipeRef, tenant: where, steps, message: drifted ? `Drift: ${drifted} step${drifted === 1 ? ' is' : 's are'} not as the recipe says. Run apply to put ${drifted === 1 ? 'it' : 'them'} right.` : 'In sync: the tenant is as the recipe says.' });
        }
        return await apply(args, context, deps, recipe, recipeRef, where, finish);
    } catch (error) {
        if (error instanceof UsageError && !spec.name) throw error;
        if (error instanceof RecipeBlockedError) return finish({ outcome: 'blocked', exitCode: 1, recipe: recipeRef, steps: error.plan.steps.map(s => planStep(s)), message: error.message });
        if (context.signal.aborted) return finish({ outcome: 'cancelled', exitCode: 1, recipe: recipeRef, message: 'Cancelled before the tenant was read.' });
        const message = error instanceof SignInError ? `Sign-in failed: ${error.message}` : error instanceof Error ? error.message : String(error);
        return finish({ outcome: 'error', exitCode: 1, recipe: recipeRef, message: context.debug && error instanceof Error && error.stack ? `${message}\n${error.stack}` : message });
    } finally {
        await tenant?.close();
    }
}

async function apply(args: CliArgs, context: CliContext, deps: Parameters<typeof applyPlan>[0], recipe: Recipe, recipeRef: CliReport['recipe'], where: CliReport['tenant'], finish: Finish): Promise<CliReport> {
    const plan = await planRecipe(deps, recipe, { signal: context.signal });
    const planned = plan.steps.map(s => planStep(s));
    if (!plan.applicable) return finish({ outcome: 'blocked', exitCode: 1, recipe: recipeRef, tenant: where, steps: planned, message: 'Blocked: nothing was changed. Fix the fields named in the blocked steps, then apply again.' });
    const pending = plan.steps.filter(s => s.status !== 'done');
    if (!pending.length) return finish({ outcome: 'nothingToDo', exitCode: 0, recipe: recipeRef, tenant: where, steps: planned, message: 'In sync: nothing to apply, nothing was changed.' });
    const creates = pending.filter(s => s.kind === 'createServiceAccount' && s.status === 'create').map(s => s.target);
    if (creates.length && !args.passwordFile) {
        return finish({ outcome: 'refused', exitCode: 1, recipe: recipeRef, tenant: where, steps: planned, message: `Refused, nothing was changed: this apply creates ${creates.join(', ')}, whose generated password must be kept somewhere. Give --password-file FILE (written with mode 0600; the password is shown nowhere else).` });
    }
    // A new credential must go somewhere before it is made: a certificate's private key to --key-out, a secret to
    // --password-file. Refused here, before any change, rather than half-way through.
    const credentials = credentialsHandedOver(plan);
    const certificates = credentials.filter(c => c.type === 'certificate').map(c => c.application);
    const secrets = credentials.filter(c => c.type === 'clientSecret').map(c => c.application);
    if (certificates.length && !args.keyOut) {
        return finish({ outcome: 'refused', exitCode: 1, recipe: recipeRef, tenant: where, steps: planned, message: `Refused, nothing was changed: this apply makes a certificate for ${certificates.join(', ')}, whose private key must be written somewhere. Give --key-out DIR (the key is written there once as <app>.key.pem, mode 0600, and kept nowhere else).` });
    }
    if (secrets.length && !args.passwordFile) {
        return finish({ outcome: 'refused', exitCode: 1, recipe: recipeRef, tenant: where, steps: planned, message: `Refused, nothing was changed: this apply adds a client secret to ${secrets.join(', ')}, which Entra shows only once. Give --password-file FILE (written with mode 0600; the secret is shown nowhere else).` });
    }
    if (!args.yes) {
        const review = finish({ outcome: 'changesPending', exitCode: 2, recipe: recipeRef, tenant: where, steps: planned });
        if (!context.confirm) return finish({ outcome: 'refused', exitCode: 1, recipe: recipeRef, tenant: where, steps: planned, message: 'Refused, nothing was changed: there is no terminal to ask on. Review the plan (m365-provisioner plan), then apply with --yes.' });
        const deletes = pending.filter(s => s.status === 'remove' && (s.kind === 'createServiceAccount' || s.kind === 'createMailGroup')).map(s => s.target);
        const question = `Apply ${pending.length} step${pending.length === 1 ? '' : 's'} to ${where?.displayName ?? where?.id ?? 'the tenant'}${deletes.length ? `, DELETING ${deletes.join(', ')}` : ''}?`;
        if (!(await context.confirm(question, review))) {
            return finish({ outcome: 'refused', exitCode: 1, recipe: recipeRef, tenant: where, steps: planned, message: 'Not applied: nothing was changed.' });
        }
    }
    const passwordFile = args.passwordFile;
    // The plan just shown (and confirmed): applied as it is, not planned again.
    const summary = await applyPlan(deps, recipe, plan, {
        signal: context.signal,
        ...(context.progress ? { onProgress: (p: { finished: number; total: number; message: string }) => context.progress?.(`[${p.finished}/${p.total}] ${p.message}`) } : {}),
        ...(passwordFile ? { passwordKeptIn: passwordFile } : {}),
        storePassword: async (userPrincipalName, password) => {
            if (!passwordFile) throw new Error('No --password-file to keep the new password in.');
            await storePassword(passwordFile, userPrincipalName, password);
        },
        ...(args.keyOut ? { keepPrivateKey: (application: string, privateKeyPem: string, certificatePem: string) => writePrivateKey(args.keyOut ?? '', application, privateKeyPem, certificatePem) } : {}),
        ...(passwordFile ? { revealSecret: (application: string, secretText: string, endDateTime: string) => storeSecret(passwordFile, application, secretText, endDateTime) } : {}),
    });
    const steps = summary.steps.map(s => ({ id: s.id, kind: s.kind, target: s.target, status: s.outcome, detail: s.detail, ...(s.mailboxes ? { mailboxes: s.mailboxes } : {}) }));
    const stored = summary.passwordsStored.length ? ` Passwords of ${summary.passwordsStored.join(', ')} are in ${passwordFile ?? ''}.` : '';
    if (summary.cancelled) return finish({ outcome: 'cancelled', exitCode: 1, recipe: recipeRef, tenant: where, steps, message: `Cancelled: ${summary.changes} step${summary.changes === 1 ? '' : 's'} changed the tenant before the cancel (listed as created or changed); the others were not run. Apply again to finish.${stored}` });
    if (summary.failure) return finish({ outcome: 'failed', exitCode: 1, recipe: recipeRef, tenant: where, steps, message: `Failed at ${summary.failure.id}: ${summary.failure.message} The steps listed as created or changed were made; those listed as notRun were not. Apply again once it is fixed: finished steps are not repeated.${stored}` });
    // A calendar grant is planned as "to check per mailbox"; when every mailbox had it, nothing was changed.
    if (!summary.changes) return finish({ outcome: 'nothingToDo', exitCode: 0, recipe: recipeRef, tenant: where, steps, message: 'In sync: every step was already in place, nothing was changed.' });
    return finish({ outcome: 'applied', exitCode: 0, recipe: recipeRef, tenant: where, steps, message: `Applied: ${summary.changes} change${summary.changes === 1 ? '' : 's'}.${stored}` });
}

function planStep(step: { id: string; kind: string; target: string; status: string; detail: string; privileged?: boolean; path?: string }): CliStep {
    return { id: step.path ?? step.id, kind: step.kind, target: step.target, status: step.status, detail: step.detail, ...(step.privileged ? { privileged: true } : {}) };
}

/** One JSON line per account, appended to a file only its owner can read, before anything else can fail. */
async function storePassword(file: string, userPrincipalName: string, password: string): Promise<void> {
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await appendFile(file, `${JSON.stringify({ userPrincipalName, password, createdAt: new Date().toISOString() })}\n`, { encoding: 'utf8', mode: 0o600 });
    await chmod(file, 0o600);
}

/**
 * A new certificate's private key, with its certificate after it (what an app-only client needs), in DIR/<app>.key.pem
 * created with mode 0600 and never overwritten: the key exists there and nowhere else.
 */
async function writePrivateKey(dir: string, application: string, privateKeyPem: string, certificatePem: string): Promise<string> {
    await mkdir(path.resolve(dir), { recursive: true });
    const file = path.join(path.resolve(dir), `${application.replace(/[^A-Za-z0-9._-]+/g, '-')}.key.pem`);
    try {
        await writeFile(file, `${privateKeyPem.trim()}\n${certificatePem.trim()}\n`, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${file} already exists (an earlier certificate's key?): move it away or give another --key-out. No certificate was added.`);
        throw error;
    }
    return file;
}

/** An app's new client secret: one JSON line in the password file (mode 0600), as for accounts' passwords. */
async function storeSecret(file: string, application: string, clientSecret: string, endDateTime: string): Promise<void> {
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await appendFile(file, `${JSON.stringify({ application, clientSecret, endDateTime, createdAt: new Date().toISOString() })}\n`, { encoding: 'utf8', mode: 0o600 });
    await chmod(file, 0o600);
}

async function readRecipe(file: string): Promise<{ recipe: Recipe } | { problems: NonNullable<CliReport['problems']>; message: string }> {
    let text: string;
    try {
        const info = await stat(file);
        if (info.size > maxRecipeBytes) return { problems: [{ path: '', message: `The file is ${Math.round(info.size / 1024 / 1024)} MB; a recipe may hold at most ${MAX_RECIPE_CHARACTERS.toLocaleString('en')} characters. Split it into several recipes.` }], message: 'The recipe cannot be read.' };
        text = await readFile(file, 'utf8');
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        return { problems: [{ path: '', message: code === 'ENOENT' ? `There is no file ${file}.` : code === 'EISDIR' ? `${file} is a folder; give the recipe file.` : `Cannot read ${file}: ${(error as Error).message}` }], message: 'The recipe cannot be read.' };
    }
    const parsed = parseRecipe(text);
    if (parsed.recipe && !parsed.problems.length) return { recipe: parsed.recipe };
    const lineOf = (offset: number | undefined) => {
        if (offset === undefined) return {};
        const before = text.slice(0, offset).split('\n');
        return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
    };
    return { problems: parsed.problems.map(p => ({ path: p.path, message: p.message, ...lineOf(p.offset) })), message: `The recipe has ${parsed.problems.length} problem${parsed.problems.length === 1 ? '' : 's'}: fix ${parsed.problems.length === 1 ? 'it' : 'them'} and run again. Nothing was read from or changed in a tenant.` };
}
