import * as assert from 'node:assert/strict';
import { credentialExpiry, worstExpiry } from '../../../src/shared/credentialExpiry';

describe('App credential expiry (the Applications folder\'s flags)', () => {
    const now = new Date('2026-11-29T12:00:00Z');
    const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000).toISOString();

    it('says how many whole days are left, and flags 30 days or fewer as expiring soon', () => {
        assert.deepEqual(credentialExpiry(inDays(200), now), { state: 'valid', daysLeft: 200, text: 'expires in 200 days' });
        assert.deepEqual(credentialExpiry(inDays(31), now), { state: 'valid', daysLeft: 31, text: 'expires in 31 days' });
        assert.deepEqual(credentialExpiry(inDays(30), now), { state: 'expiresSoon', daysLeft: 30, text: 'expires in 30 days' });
        assert.deepEqual(credentialExpiry(inDays(12.5), now), { state: 'expiresSoon', daysLeft: 12, text: 'expires in 12 days' });
        assert.deepEqual(credentialExpiry(inDays(1), now), { state: 'expiresSoon', daysLeft: 1, text: 'expires in 1 day' });
        assert.equal(credentialExpiry(inDays(0.2), now).text, 'expires today');
    });

    it('says how long ago a credential expired, and a credential without an end date is not flagged', () => {
        assert.deepEqual(credentialExpiry(inDays(-3), now), { state: 'expired', daysLeft: -3, text: 'expired 3 days ago' });
        assert.equal(credentialExpiry(inDays(-0.1), now).text, 'expired today');
        assert.deepEqual(credentialExpiry(undefined, now), { state: 'valid', text: 'no end date' });
    });

    it('an app shows its worst credential: expired, then expiring soon', () => {
        const e = (d: number) => credentialExpiry(inDays(d), now);
        assert.equal(worstExpiry([e(300), e(10), e(-1)]), 'expired');
        assert.equal(worstExpiry([e(300), e(10)]), 'expiresSoon');
        assert.equal(worstExpiry([e(300)]), 'valid');
        assert.equal(worstExpiry([]), 'valid');
    });
});
