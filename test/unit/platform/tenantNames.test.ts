import * as assert from 'node:assert/strict';
import { TenantNames, tenantLabel } from '../../../src/platform/tenantNames';

/** globalState as a Map: what the store keeps across restarts. */
function memento() {
    const values = new Map<string, unknown>();
    return { values, get: <T>(key: string) => values.get(key) as T | undefined, update: (key: string, value: unknown) => { values.set(key, value); return Promise.resolve(); } };
}

describe('TenantNames: a tenant by name and default domain, kept across restarts', () => {
    const id = '6F1B2C3D-0000-4000-8000-000000000001';

    it('names a tenant once a session has read it, and a new store over the same globalState still does', async () => {
        const state = memento();
        const names = new TenantNames(state);
        assert.equal(names.label(id), id, 'unknown: the id');
        let told = 0;
        names.onDidChange(() => told++);
        await names.remember(id, { id, displayName: 'Contoso', defaultDomain: 'contoso.com' });
        assert.equal(names.label(id), 'Contoso (contoso.com)');
        assert.equal(told, 1);
        assert.equal(new TenantNames(state).label(id.toLowerCase()), 'Contoso (contoso.com)', 'after a restart');
    });

    it('an answer without a name changes nothing, and the same name again does not redraw the views', async () => {
        const names = new TenantNames(memento());
        let told = 0;
        names.onDidChange(() => told++);
        await names.remember(id, { id });
        assert.equal(names.get(id), undefined);
        await names.remember(id, { id, displayName: 'Contoso' });
        await names.remember(id, { id, displayName: 'Contoso' });
        assert.equal(told, 1);
        assert.equal(tenantLabel(names.get(id), id), 'Contoso');
    });
});
