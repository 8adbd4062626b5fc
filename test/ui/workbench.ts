// A driver for the code-server workbench in Playwright, in the words the UI tests use: open the extension's
// container, read a view's rows or welcome text, run a palette command. Selectors follow RECIPE.md.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

export interface CodeServer {
    url: string;
    port: number;
    pid: number;
    userData: string;
    folder: string;
    stop(): Promise<void>;
}

interface HarnessModule {
    startCodeServer(options: Record<string, unknown>): Promise<CodeServer>;
    sandboxSettings(sandbox: { origin: string; graphUrl: string; exchangeUrl: string; caPath: string; tenantId: string }): Record<string, string>;
    chromiumArgs: string[];
    repoRoot: string;
    ensureVsCode(options?: { browser?: boolean }): { cache: string };
    freePort(): Promise<number>;
}

/** The harness is plain ESM shared with the scripts; load it at run time from the repo. */
export async function loadHarness(): Promise<HarnessModule> {
    const file = path.resolve(__dirname, '..', '..', '..', 'test', 'harness', 'codeServer.mjs');
    // A real dynamic import: under CommonJS output TypeScript turns `import()` into `require()`, which cannot load ESM.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const importer = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<HarnessModule>;
    return importer(`file://${file}`);
}

export const screenshotDir = path.resolve(__dirname, '..', '..', '..', '.test-results', 'ui');
/** The screenshots the README shows (docs/screenshots), written by the UI tests that reach each screen. */
export const docsScreenshotDir = path.resolve(__dirname, '..', '..', '..', 'docs', 'screenshots');

export class Workbench {
    /** The page's recent console errors and warnings (webview frames included), printed when a test fails. */
    private readonly consoleTail: string[] = [];

    private constructor(readonly page: Page, private readonly browser: Browser) {
        const keep = (line: string) => {
            this.consoleTail.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
            if (this.consoleTail.length > 40) this.consoleTail.shift();
        };
        page.on('console', message => {
            if (message.type() !== 'error' && message.type() !== 'warning') return;
            // Where: the document's path and its webview id, if any (the page and each webview frame log here).
            const url = message.location().url;
            const id = /[?&]id=([^&]+)/.exec(url)?.[1];
            const where = url.replace(/^[a-z-]+:\/\/[^/]+/, '').replace(/\?.*$/, '') + (id ? ` id=${id}` : '');
            keep(`${message.type()} (${where || 'unknown'}): ${message.text().slice(0, 400)}`);
        });
        page.on('pageerror', error => keep(`page error: ${error.message.slice(0, 400)}`));
    }

    static async open(server: CodeServer, chromiumArgs: string[]): Promise<Workbench> {
        return Workbench.openUrl(`${server.url}/?folder=${encodeURIComponent(server.folder)}`, chromiumArgs);
    }

    /** Opens a workbench URL as printed for a person (the demo's), and waits for the workbench to be drawn. */
    static async openUrl(url: string, chromiumArgs: string[]): Promise<Workbench> {
        const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        page.setDefaultTimeout(30_000);
        await page.goto(url);
        await page.locator('.monaco-workbench .part.activitybar').waitFor();
        return new Workbench(page, browser);
    }

    async close(): Promise<void> {
        await this.browser.close();
    }

    /** Another tab, as a person would open for a sign-in page (the sandbox's certificate is self-issued). */
    async openTab(url: string): Promise<Page> {
        const context = await this.browser.newContext({ ignoreHTTPSErrors: true });
        const page = await context.newPage();
        await page.goto(url);
        return page;
    }

    /** The text of the newest notification toast that matches. */
    async notification(text: RegExp): Promise<string> {
        const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
        await toast.waitFor();
        return toast.innerText();
    }

    statusBarItem(text: string): Locator {
        return this.page.locator('.part.statusbar .statusbar-item', { hasText: text });
    }

    activityBarIcon(title: string): Locator {
        return this.page.locator(`.activitybar a.action-label[aria-label^="${title}"]`);
    }

    /** The pane (header and body) of a view in the side bar, by its name. */
    viewPane(name: string): Locator {
        return this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: new RegExp(`^${name}`, 'i') }) });
    }

    async expandView(name: string): Promise<void> {
        const header = this.viewPane(name).locator('.pane-header');
        if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    }

    /**
     * Gives one of the extension's views the side bar's height: folds the others (Accounts, Directory, Recipe Plan)
     * and expands it. The list draws only the rows that show, so a test that looks for a row far down needs the room.
     */
    async showOnly(name: string): Promise<void> {
        for (const other of ['Accounts', 'Directory', 'Recipe Plan'].filter(v => v !== name)) {
            const header = this.viewPane(other).locator('.pane-header');
            if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
        }
        await this.expandView(name);
    }

    welcomeText(name: string): Locator {
        return this.viewPane(name).locator('.welcome-view-content');
    }

    treeRows(name: string): Locator {
        return this.page.locator(`.monaco-list[aria-label="${name}"] .monaco-list-row[role=treeitem]`);
    }

    /** F1, type the command's title, and choose the row with exactly that title (Enter would take the first match). */
    async runCommand(title: string): Promise<void> {
        const input = this.page.locator('.quick-input-widget .quick-input-box input');
        const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
        const row = this.page.locator('.quick-input-list .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exact }) }).first();
        // An open palette keeps the commands it listed; one whose `when` turned true since (the extension restoring its
        // sign-in after a reload) shows when the palette is opened again, as a person would.
        for (let attempt = 1; ; attempt++) {
            await this.page.keyboard.press('F1');
            await input.waitFor();
            await input.fill(`>${title}`);
            if (attempt === 6 || await row.waitFor({ timeout: 5000 }).then(() => true, () => false)) break;
            await this.page.keyboard.press('Escape');
        }
        await row.click();
    }

    /** The row of a tree view with this exact label (the first one rendered). */
    treeRow(view: string, label: string): Locator {
        return this.treeRows(view).filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
    }

    /** Clicks a folder row of a tree view to expand it, and waits for a row it must then show. */
    async expandRow(view: string, folder: string, expected: string): Promise<void> {
        await this.treeRow(view, folder).click();
        await this.treeRow(view, expected).waitFor();
    }

    /**
     * Right-clicks a row and chooses a context-menu entry. The menu can miss a click that lands while it is still
     * opening; the hovered entry is then focused, so Enter chooses it, as a keyboard user would.
     */
    async contextMenu(target: Locator, entry: string): Promise<void> {
        await target.click({ button: 'right' });
        const menu = this.page.locator('.context-view .monaco-menu');
        await menu.waitFor();
        const item = this.page.getByRole('menuitem', { name: entry });
        await item.hover();
        await item.click();
        try {
            await menu.waitFor({ state: 'detached', timeout: 2000 });
        } catch {
            await this.page.keyboard.press('Enter');
            await menu.waitFor({ state: 'detached' });
        }
    }

    /** The device-code modal (src/platform/signInInteraction.ts): "Your sign-in code: …", Copy & Open, Cancel. */
    deviceCodeDialog(): Locator {
        return this.page.locator('.monaco-dialog-box').filter({ hasText: /Your sign-in code: [A-Z0-9]+/ });
    }

    /**
     * Answers the device-code modal as a person does: reads the code and chooses "Copy & Open". The verification page
     * that opens is returned for a test that looks at it (the sandbox's certificate is not trusted in that tab; helpers
     * enter the code in their own tab), or closed when `keepPage` is not set.
     */
    async copyAndOpenDeviceCode(keepPage = false): Promise<{ code: string; opened?: Page }> {
        const dialog = this.deviceCodeDialog();
        await dialog.waitFor();
        const code = /Your sign-in code: ([A-Z0-9]+)/.exec(await dialog.innerText())?.[1];
        if (!code) throw new Error(`no device code in: ${await dialog.innerText()}`);
        const popup = this.page.context().waitForEvent('page', { timeout: 10_000 }).catch(() => undefined);
        await dialog.getByRole('button', { name: 'Copy & Open' }).click();
        await dialog.waitFor({ state: 'detached' });
        const opened = await popup;
        if (opened && !keepPage) await opened.close();
        return { code, ...(opened && keepPage ? { opened } : {}) };
    }

    /**
     * Approves a device code the way a person does: "Copy & Open" on the device-code modal (the progress notification
     * then repeats the code), the sandbox's sign-in page in another tab, the code entered, the account picked and the
     * consent page accepted if one comes.
     */
    async approveDeviceCodeFromNotification(origin: string, accountName: RegExp): Promise<void> {
        const { code } = await this.copyAndOpenDeviceCode();
        await this.enterDeviceCode(origin, code, accountName);
    }

    /** On the sandbox's /devicelogin page in a tab of its own: the code, the account, the consent if one comes. */
    async enterDeviceCode(origin: string, code: string, accountName: RegExp): Promise<void> {
        const signInPage = await this.openTab(`${origin}/devicelogin`);
        await signInPage.fill('input[name=otc]', code);
        await signInPage.getByRole('button', { name: 'Next' }).click();
        await signInPage.getByRole('button', { name: accountName }).click();
        const accept = signInPage.getByRole('button', { name: 'Accept' });
        const done = signInPage.getByRole('heading', { name: 'You\'re signed in' });
        await Promise.race([accept.waitFor(), done.waitFor()]);
        if (await accept.isVisible()) await accept.click();
        await done.waitFor();
        await signInPage.context().close();
    }

    /** The quick input's step `n/m` (multi-step commands title each question "Title (n/m)", src/platform/inputSteps.ts). */
    quickInputStep(n: number, m: number): Locator {
        return this.page.locator('.quick-input-title', { hasText: new RegExp(`\\(${n}/${m}\\)`) });
    }

    /** Presses Enter until `next` shows: a step whose answer is checked as typed takes Enter only once the check answered. */
    async enterUntil(next: Locator): Promise<void> {
        for (let tries = 0; !(await next.isVisible()) && tries < 20; tries++) {
            await this.page.keyboard.press('Enter');
            await next.waitFor({ timeout: 1000 }).catch(() => undefined);
        }
        await next.waitFor();
    }

    /**
     * Answers an incremental-consent prompt (a first write), or the first Exchange read's prompt to sign in to the
     * Exchange Online PowerShell app, if one comes within `ms`: Sign In (Again), then the device-code page as the given
     * account. Returns whether one came.
     */
    async consentIfAsked(origin: string, accountName: RegExp, ms = 5000): Promise<boolean> {
        const dialog = this.page.locator('.monaco-dialog-box').filter({ hasText: /needs Microsoft Graph permission|needs Exchange Online permission|needs a one-time sign-in/ });
        const asked = await dialog.waitFor({ timeout: ms }).then(() => true, () => false);
        if (!asked) return false;
        await dialog.getByRole('button', { name: /^Sign In( Again)?$/ }).click();
        await this.approveDeviceCodeFromNotification(origin, accountName);
        return true;
    }

    /**
     * Waits for `target` (a dialog, a notification) while answering every consent or one-time sign-in prompt that comes
     * first, as `consentIfAsked` does. For actions whose prompts depend on what the admin already consented to: no
     * fixed wait when none comes. Polls, so no waiter is left behind to fail after the test moved on.
     */
    async answerConsentsUntil(target: Locator, origin: string, accountName: RegExp, ms = 120_000): Promise<void> {
        const consent = this.page.locator('.monaco-dialog-box').filter({ hasText: /needs Microsoft Graph permission|needs Exchange Online permission|needs a one-time sign-in/ });
        for (const deadline = Date.now() + ms; !(await target.first().isVisible());) {
            if (Date.now() > deadline) throw new Error(`Neither ${target.toString()} nor a consent prompt came within ${ms} ms.`);
            if (await consent.isVisible()) await this.consentIfAsked(origin, accountName, 1000);
            else await this.page.waitForTimeout(250);
        }
    }

    /**
     * The input box a deletion asks the admin to type a name into (`confirmByTyping` in src/platform/actionUi.ts):
     * waits for the one whose placeholder is `name` and returns its input, for the test to type into.
     */
    async typeToConfirmBox(name: string): Promise<Locator> {
        const widget = this.page.locator('.quick-input-widget').filter({ has: this.page.locator(`.quick-input-box input[placeholder="${name}"]`) });
        await widget.waitFor();
        return widget.locator('.quick-input-box input');
    }

    /**
     * Signs in from the Accounts view's welcome with a device code, as the demo's README says, for what the admin will
     * do (the intent quick pick; "Provision" by default, so a suite gets one sign-in and no consent prompt later).
     * Every device code of the sign-in is approved: with Microsoft's apps, "Provision" and "Browse, including Exchange"
     * have a second one (Exchange Online PowerShell) as step 2 of 2. Done when the signed-in notification shows.
     */
    async signInWithDeviceCode(origin: string, accountName: RegExp, intent: 'Browse the directory' | 'Browse, including Exchange' | 'Provision' = 'Provision'): Promise<void> {
        await this.activityBarIcon('M365 Provisioner').click();
        await this.expandView('Accounts');
        await this.welcomeText('Accounts').locator('a.monaco-button', { hasText: 'Sign In' }).click();
        await this.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Sign in with a device code' }).click();
        await this.pickSignInIntent(intent);
        await this.approveDeviceCodesUntilSignedIn(origin, accountName);
    }

    /** Enters each device code the sign-in shows (one per step: Graph, then Exchange) until it says "Signed in as". */
    async approveDeviceCodesUntilSignedIn(origin: string, accountName: RegExp): Promise<void> {
        const signedIn = this.page.locator('.notifications-toasts .notification-toast', { hasText: /Signed in as .* to / });
        for (const deadline = Date.now() + 120_000; !(await signedIn.first().isVisible());) {
            if (Date.now() > deadline) throw new Error('The sign-in did not end with its "Signed in as" notification.');
            if (await this.deviceCodeDialog().isVisible()) await this.approveDeviceCodeFromNotification(origin, accountName);
            else await this.page.waitForTimeout(250);
        }
        await this.treeRows('Accounts').filter({ hasText: accountName }).waitFor();
    }

    /** Chooses what the admin will do in the tenant, the sign-in's second question (src/auth/signInIntents.ts). */
    async pickSignInIntent(intent: string): Promise<void> {
        const row = this.page.locator('.quick-input-list .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${intent}$`) }) });
        await row.waitFor();
        await row.click();
    }

    /**
     * The page inside the extension's visible webview panel: two nested iframes, the workbench's host frame (whose
     * `src` names the extension) and the page itself. Hidden panels keep their frames, so only the visible one counts.
     */
    webview(extensionId = 'm365-provisioner.m365-provisioner'): FrameLocator {
        return this.page.locator(`iframe.webview.ready[src*="extensionId=${extensionId}"]`).filter({ visible: true }).first().contentFrame().frameLocator('iframe#active-frame');
    }

    /**
     * The extension's webview panel titled `tab`, once its page shows `text`. VS Code's webview frame can stay blank
     * (seen in code-server under load: it waits for its service worker for good, and so does every new frame in that
     * window); the extension then says the tab stayed blank and offers Reload Window (src/webviews/WebviewHost.ts).
     * With `openAgain`, the test answers as an admin would: Reload Window, then open the page again.
     */
    async webviewShowing(tab: string, text: string | RegExp, openAgain?: () => Promise<void>): Promise<FrameLocator> {
        await this.editorTab(tab).waitFor();
        const shown = () => this.webview().getByText(text).first();
        const blank = this.page.locator('.notifications-toasts .notification-toast', { hasText: 'tab stayed blank' }).first();
        // Both settle (one by timing out), so neither is left to reject unheard.
        const outcome = await Promise.race([
            shown().waitFor({ timeout: 45_000 }).then(() => 'shown' as const, () => 'timed out' as const),
            blank.waitFor({ timeout: 45_000 }).then(() => 'blank' as const, () => 'timed out' as const),
        ]);
        if (outcome === 'blank' && openAgain) {
            // Said in the log, so a run shows how often VS Code left a page blank.
            console.log(`      (the "${tab}" tab stayed blank: Reload Window, then opened again)`);
            await this.reloadWindow(() => blank.getByRole('button', { name: 'Reload Window' }).click());
            await openAgain();
            await this.editorTab(tab).waitFor();
            await shown().waitFor({ timeout: 45_000 });
        } else if (outcome !== 'shown') {
            throw new Error(`The "${tab}" tab did not show ${String(text)}: ${outcome === 'blank' ? 'the extension said it stayed blank' : 'not in 45 s'}`);
        }
        return this.webview();
    }

    /**
     * A Markdown preview's page, once it shows `text`. The preview is VS Code's, so nothing reports a blank frame (see
     * `webviewShowing`): one still blank after 20 s is treated as an admin would, by reloading the window and, with
     * `openAgain`, opening it again. A tab hidden and shown again gets a new frame, but measured, it stayed blank too.
     */
    async previewShowing(tab: string | RegExp, text: string | RegExp, openAgain?: () => Promise<void>): Promise<FrameLocator> {
        const visiblePage = () => this.webview('vscode.markdown-language-features');
        await this.editorTab(tab).first().waitFor({ timeout: 120_000 });
        const shown = await visiblePage().getByText(text).first().waitFor({ timeout: 20_000 }).then(() => true, () => false);
        if (!shown && openAgain) {
            console.log(`      (the preview ${String(tab)} stayed blank: Reload Window, then opened again)`);
            await this.reloadWindow();
            await openAgain();
            await this.editorTab(tab).first().waitFor({ timeout: 120_000 });
        }
        await visiblePage().getByText(text).first().waitFor();
        return visiblePage();
    }

    /** Reloads the window (Developer: Reload Window, or what `trigger` clicks) and waits for the workbench to be drawn. */
    async reloadWindow(trigger?: () => Promise<void>): Promise<void> {
        const navigated = this.page.waitForEvent('framenavigated', { predicate: frame => frame === this.page.mainFrame(), timeout: 60_000 });
        await (trigger ? trigger() : this.runCommand('Developer: Reload Window'));
        await navigated;
        await this.page.locator('.monaco-workbench .part.activitybar').waitFor();
    }

    /**
     * Clicks a CodeLens (Plan, Apply, Verify, Export) above the active recipe. No scrolling or refocusing first: the
     * lenses must be drawn as the admin sees the file, right after the wizard writes it or a plan shows
     * (src/editor/recipeCodeLens.ts asks VS Code to draw them again once the editor has settled).
     */
    async clickCodeLens(title: string): Promise<void> {
        await this.page.locator('.contentWidgets .codelens-decoration a', { hasText: title }).first().click();
    }

    /** An editor tab by its label (a file name, a webview's title). */
    editorTab(label: string | RegExp): Locator {
        return this.page.locator('.tabs-container .tab', { hasText: label });
    }

    /**
     * The Recipe Plan view alone, wide enough to read each step (docs/screenshots/*-plan.png are these): notifications
     * cleared, the `fold` pane folded, the side bar widened; then put back as it was.
     */
    async screenshotPlanView(name: string, fold: string): Promise<void> {
        await this.runCommand('Notifications: Clear All Notifications');
        const pane = this.viewPane(fold).locator('.pane-header');
        const folded = (await pane.getAttribute('aria-expanded')) !== 'true';
        if (!folded) await pane.click();
        // The sash between the side bar and the editor sits on the side bar's right edge.
        const bar = await this.page.locator('.part.sidebar').boundingBox();
        const drag = async (from: number, to: number) => {
            if (!bar) return;
            const y = bar.y + bar.height / 2;
            await this.page.mouse.move(from, y);
            await this.page.mouse.down();
            await this.page.mouse.move(to, y, { steps: 5 });
            await this.page.mouse.up();
        };
        const edge = bar ? bar.x + bar.width : 0;
        await drag(edge, edge + 360);
        // Off the sash, so it is not drawn highlighted.
        await this.page.mouse.move(edge + 700, 400);
        await this.screenshot(name);
        await drag(edge + 360, edge);
        if (!folded) await pane.click();
    }

    /**
     * A current screenshot for the README, written to docs/screenshots/<name>.png: the whole workbench, or only `part`
     * of it (a side bar, an editor), cropped so the file stays small.
     */
    async screenshotToDocs(name: string, part?: Locator): Promise<void> {
        fs.mkdirSync(docsScreenshotDir, { recursive: true });
        const file = path.join(docsScreenshotDir, `${name}.png`);
        await (part ? part.screenshot({ path: file }) : this.page.screenshot({ path: file }));
    }

    /** After a failed test: a screenshot named after it, to see what the workbench showed. */
    async screenshotIfFailed(test: { state?: string; title: string } | undefined): Promise<void> {
        if (test?.state !== 'failed') return;
        await this.screenshot(`failed-${test.title.slice(0, 40).replace(/\W+/g, '-')}`);
        // CI keeps only the log: what was on screen, in words, for a failure seen once under load.
        console.error(`--- the workbench when "${test.title}" failed ---\n${(await this.describeState()).join('\n')}\n---`);
    }

    /** The active tab, the notifications, each webview frame's state and the console's recent errors, as lines. */
    async describeState(): Promise<string[]> {
        const lines: string[] = [];
        const quick = async <T>(read: () => Promise<T>, fallback: T): Promise<T> => read().catch(() => fallback);
        lines.push(`active tab: ${await quick(() => this.page.locator('.tabs-container .tab.active').first().innerText({ timeout: 2000 }), '(none)')}`);
        for (const toast of await quick(() => this.page.locator('.notifications-toasts .notification-toast').allInnerTexts(), [])) lines.push(`notification: ${toast.replace(/\s+/g, ' ').slice(0, 300)}`);
        const frames = this.page.locator('iframe.webview');
        for (let i = 0; i < await frames.count(); i++) {
            const frame = frames.nth(i);
            const src = (await quick(() => frame.getAttribute('src', { timeout: 2000 }), null)) ?? '';
            const extension = /extensionId=([^&]+)/.exec(src)?.[1] ?? '(none)';
            const classes = (await quick(() => frame.getAttribute('class', { timeout: 2000 }), null)) ?? '';
            const visible = await quick(() => frame.isVisible(), false);
            const inner = frame.contentFrame().locator('iframe#active-frame');
            const hasInner = (await quick(() => inner.count(), 0)) > 0;
            const text = hasInner ? await quick(() => inner.contentFrame().locator('body').innerText({ timeout: 2000 }), '(unreadable)') : '';
            lines.push(`webview ${i}: extension ${extension}, class "${classes}", ${visible ? 'visible' : 'hidden'}, ${hasInner ? `page text: ${JSON.stringify(text.slice(0, 200))}` : 'no active page frame'}`);
        }
        // Where each webview host frame got to: VS Code's own performance marks, its service worker, its page frames.
        for (const frame of this.page.frames().filter(f => f.url().includes('/webview/browser/pre/index.html'))) {
            // A string: the tests compile without the DOM's types, and this runs in the frame.
            const state = await frame.evaluate(`({
                marks: performance.getEntriesByType('mark').map(m => m.name.replace(/^webview\\//, '') + '@' + Math.round(m.startTime)),
                controller: navigator.serviceWorker && navigator.serviceWorker.controller ? navigator.serviceWorker.controller.state : 'none',
                frames: [...document.querySelectorAll('iframe')].map(f => (f.id || '(no id)') + ' ' + (f.style.visibility || '')),
            })`).catch((error: unknown) => ({ error: String(error) }));
            lines.push(`webview host ${/extensionId=([^&]+)/.exec(frame.url())?.[1] ?? '(none)'}: ${JSON.stringify(state)}`);
        }
        lines.push(...this.consoleTail.map(line => `console ${line}`));
        return lines;
    }

    async screenshot(name: string): Promise<void> {
        fs.mkdirSync(screenshotDir, { recursive: true });
        await this.page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
    }
}

/** Stops what a UI test started, in reverse order, whichever of them started. */
export async function stopAll(...parts: ({ close(): Promise<void> } | { stop(): Promise<void> } | undefined)[]): Promise<void> {
    for (const part of parts) {
        if (!part) continue;
        await ('close' in part ? part.close() : part.stop());
    }
}
