import * as assert from 'node:assert/strict';
import { compileOpath, OpathError, type OpathRecord } from '../../sandbox/src/exchange/opath';

describe('Sandbox Exchange OPATH filter parser', () => {
    const properties = ['DisplayName', 'Alias', 'Department'];
    const adele: OpathRecord = { DisplayName: 'Adele Vance', Alias: 'adelev', Department: 'Sales' };
    const shared: OpathRecord = { DisplayName: 'Reception', Alias: 'reception' };
    const matches = (filter: string, item: OpathRecord) => compileOpath(filter, properties)(item);

    it('-and binds tighter than -or, and parentheses regroup', () => {
        assert.equal(matches("Alias -eq 'reception' -or Alias -eq 'adelev' -and Department -eq 'Legal'", shared), true);
        assert.equal(matches("(Alias -eq 'reception' -or Alias -eq 'adelev') -and Department -eq 'Legal'", shared), false);
    });

    it('$null and an empty string mean "not set"; -ne and -notlike include unset properties', () => {
        assert.equal(matches('Department -eq $null', shared), true);
        assert.equal(matches("Department -eq ''", shared), true);
        assert.equal(matches('Department -ne $null', adele), true);
        assert.equal(matches("Department -ne 'Sales'", shared), true);
        assert.equal(matches("Department -like '*'", shared), false);
        assert.equal(matches("Department -notlike 'Sal*'", shared), true);
    });

    it('a multi-valued property (MemberOfGroup) matches -eq / -like on any value and -ne / -notlike on none', () => {
        const member: OpathRecord = { MemberOfGroup: ['CN=Rooms,OU=x', 'CN=Staff,OU=x'] };
        const loner: OpathRecord = { MemberOfGroup: [] };
        const test = (filter: string, item: OpathRecord) => compileOpath(filter, ['MemberOfGroup'])(item);
        assert.equal(test("MemberOfGroup -eq 'cn=staff,ou=x'", member), true);
        assert.equal(test("MemberOfGroup -ne 'CN=Staff,OU=x'", member), false);
        assert.equal(test("MemberOfGroup -like 'CN=Room*'", member), true);
        assert.equal(test("MemberOfGroup -notlike 'CN=Room*'", member), false);
        assert.equal(test("MemberOfGroup -eq 'CN=Staff,OU=x'", loner), false);
        assert.equal(test('MemberOfGroup -eq $null', loner), true);
    });

    it('-like: * anywhere, every other character literal, case-insensitive', () => {
        assert.equal(matches("DisplayName -like 'a*e V*'", adele), true);
        assert.equal(matches("DisplayName -like '*VANCE'", adele), true);
        assert.equal(matches("Alias -like 'adele.'", adele), false, 'a dot is not a regex wildcard');
        assert.equal(matches("Alias -like 'adelev'", adele), true, 'no wildcard is an exact match');
    });

    it('reports the 1-based position of what it cannot read', () => {
        const position = (filter: string) => {
            try {
                compileOpath(filter, properties);
            } catch (error) {
                assert.ok(error instanceof OpathError);
                return /at position (\d+)\.$/.exec(error.message.replace(/"$/, ''))?.[1];
            }
            return undefined;
        };
        assert.equal(position(''), '1');
        assert.equal(position("Alias -eq 'x' -and"), '19');
        assert.equal(position("Alias -eq 'x')"), '14');
        assert.equal(position("Alias = 'x'"), '7');
    });
});
