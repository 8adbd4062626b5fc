// The details view's page: draws the object the host read (every tenant value escaped by detailsHtml) and turns its
// buttons into requests. Copy, the admin centre and the tree's actions all run in the host; this page only asks.
import { detailsHtml } from '../../webviews/objectDetails/detailsHtml';
import { isDetailsView, type DetailsEvents, type DetailsRequests, type DetailsView } from '../../webviews/objectDetails/protocol';
import { RpcClient } from '../shared/rpcClient';
import { vscodeApi } from '../shared/vscodeApi';

const rpc = new RpcClient<DetailsRequests, DetailsEvents>(vscodeApi<undefined>());
const app = document.getElementById('app') as HTMLElement;
let view: DetailsView | undefined;
let busy = false;

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

function draw(status = '', failed = false): void {
    if (!view) {
        app.textContent = status || 'Reading…';
        return;
    }
    // detailsHtml escapes every value it puts in; nothing else is written as markup.
    app.innerHTML = detailsHtml(view, status);
    app.querySelector('.status')?.classList.toggle('error', failed);
    for (const button of app.querySelectorAll<HTMLButtonElement>('button')) button.disabled = busy && button.dataset.copy === undefined;
}

function show(next: unknown): void {
    if (!isDetailsView(next)) {
        draw('The details could not be shown: the host sent something this page does not understand.', true);
        return;
    }
    view = next;
    draw();
}

/** Runs one request with the toolbar disabled, then says how it went. */
async function work(status: string, request: () => Promise<unknown>, after?: () => Promise<void>): Promise<void> {
    if (busy) return;
    busy = true;
    draw(status);
    try {
        await request();
        busy = false;
        if (after) await after();
        else draw();
    } catch (error) {
        busy = false;
        draw(errorText(error), true);
    }
}

const refresh = () => work('Reading again…', async () => show(await rpc.request('refresh', {}).result));

app.addEventListener('click', event => {
    const button = (event.target as HTMLElement).closest('button');
    if (!button || button.disabled) return;
    const { copy, run } = button.dataset;
    if (copy !== undefined) {
        rpc.request('copy', { value: copy }).result.then(() => draw('Copied.'), (error: unknown) => draw(errorText(error), true));
    } else if (run !== undefined) {
        // After the action, the page reads the object again: the action may have changed what it shows.
        void work(`${(button.textContent ?? 'Running').replace(/…$/, '')}…`, () => rpc.request('run', { command: run }).result, refresh);
    } else if (button.hasAttribute('data-refresh')) {
        void refresh();
    } else if (button.hasAttribute('data-admin-centre')) {
        void work('Opening the admin centre…', () => rpc.request('openInAdminCentre', {}).result);
    }
});

rpc.on('view', next => show(next));
draw();
rpc.request('view', {}).result.then(show, (error: unknown) => draw(errorText(error), true));
