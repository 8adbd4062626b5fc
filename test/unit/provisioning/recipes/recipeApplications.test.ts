import * as assert from 'node:assert/strict';
import { parseRecipe } from '../../../../src/provisioning/recipes/recipe';

describe('Recipe files: applications (app-only integrations)', () => {
    it('a recipe of applications alone is read, its accounts filled in as none', () => {
        const { recipe, problems } = parseRecipe(JSON.stringify({
            name: 'Calendar integration',
            applications: [{ displayName: 'MyTimetable Calendar Integration', credential: { type: 'certificate' }, mailboxAccess: [{ role: 'Application Calendars.ReadWrite', membersOf: 'Staff' }] }],
        }));
        assert.deepEqual(problems, []);
        assert.deepEqual(recipe?.serviceAccounts, []);
        assert.equal(recipe?.applications?.[0].mailboxAccess?.[0].membersOf, 'Staff');
    });

    it('a recipe with neither accounts nor applications is refused, saying what to add', () => {
        for (const body of [{ name: 'Nothing' }, { name: 'Nothing', serviceAccounts: [], applications: [] }]) {
            const { recipe, problems } = parseRecipe(JSON.stringify(body));
            assert.equal(recipe, undefined);
            assert.deepEqual(problems.map(p => [p.path, p.message]), [['', 'The recipe lists no service account and no application: add at least one to "serviceAccounts" or "applications".']]);
        }
    });

    it('an unknown Exchange application role and an unknown credential type are refused with the allowed values', () => {
        const { problems } = parseRecipe(JSON.stringify({
            name: 'Bad',
            applications: [{ displayName: 'App', credential: { type: 'password' }, mailboxAccess: [{ role: 'Calendars.ReadWrite', membersOf: 'Staff' }] }],
        }));
        const byPath = new Map(problems.map(p => [p.path, p.message]));
        assert.match(byPath.get('/applications/0/credential/type') ?? '', /must be one of: certificate, clientSecret/);
        assert.match(byPath.get('/applications/0/mailboxAccess/0/role') ?? '', /must be one of: Application Calendars\.Read, Application Calendars\.ReadWrite/);
    });
});
