import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { newAppCertificate } from '../../auth/appCertificate';
import { addCertificate, addClientSecret, CertificatesNotReturnedError, removeClientSecret, setCertificates, writeApplicationsScopes } from '../../graph/applications';
import { GraphRequestError } from '../../graph/GraphRequestError';
import { appAtWrite, applicationNamed, renewWithinDays, validLongEnough, type AppFound } from './applicationLookup';
import type { AppCredentialWant } from './applicationWants';
import { isAbsent, type Step, type WriteContext } from './contract';

export type AppCredentialHave = AppFound;

const o = (ctx: WriteContext) => (ctx.signal ? { signal: ctx.signal } : {});
const dayMs = 86_400_000;
const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '?');
const what = (type: AppCredentialWant['type']) => (type === 'certificate' ? 'certificate' : 'client secret');

/** The credentials of that type the registration has. */
function credentials(app: MicrosoftGraph.Application | undefined, type: AppCredentialWant['type']): { keyId?: string | null; endDateTime?: string | null; displayName?: string | null; startDateTime?: string | null }[] {
    return (type === 'certificate' ? app?.keyCredentials : app?.passwordCredentials) ?? [];
}

/** Names the secrets this step makes, so a lost answer's secret (whose text nobody got) can be told apart. */
const secretNamePrefix = 'M365 Provisioner';

/**
 * A credential for app-only sign-in. Done while the registration has one of that type valid for more than 30 more days
 * (the Applications folder flags it from then on; half its lifetime for one of 60 days or less: `renewWithinDays`); otherwise a new one is added beside the old, so the integration can
 * move to it before the old one ends.
 *
 * Certificate: made locally (`newAppCertificate`), its private key handed to `keepPrivateKey` (the admin's file)
 * before Entra gets the certificate, and kept nowhere else. Entra gets it through PATCH keyCredentials, since addKey
 * needs a proof signed by a certificate the app already has (application-addkey.md); the PATCH replaces the list, so
 * the certificates there are sent back with their `key`, which Graph returns on `$select=keyCredentials` for one
 * application (resources/keycredential.md).
 *
 * Client secret: addPassword with an end date (application-addpassword.md: `secretText` is in that answer only),
 * handed to `revealSecret` for the one-time reveal; we store no copy.
 *
 * Absent: every credential of that type is removed (the app can no longer sign in with one).
 */
export const appCredentialStep: Step<AppCredentialWant, AppCredentialHave> = {
    kind: 'addAppCredential',
    label: 'Add app credential',
    writeScopes: writeApplicationsScopes,
    target: want => `${want.application.trim()} → ${what(want.type)}`,
    read: (reads, want) => applicationNamed(reads, want.application),
    compare(want, { application }) {
        const name = want.application.trim();
        const list = credentials(application, want.type);
        if (isAbsent(want)) {
            return list.length
                ? { status: 'remove', detail: `Remove ${list.length} ${what(want.type)}${list.length === 1 ? '' : 's'} of ${name}: the integration can no longer sign in with ${list.length === 1 ? 'it' : 'them'}.` }
                : { status: 'done', detail: `${name} has no ${what(want.type)}.` };
        }
        const valid = list.filter(c => validLongEnough(c.endDateTime, renewWithinDays(want.validDays)));
        if (valid.length) return { status: 'done', detail: `${name} has a ${what(want.type)} valid until ${day(valid.map(c => c.endDateTime ?? '').sort().at(-1))}.` };
        const ending = list.filter(c => c.endDateTime && Date.parse(c.endDateTime) > Date.now());
        const handOver = want.type === 'certificate' ? 'its private key is written once to a file you choose and kept nowhere else' : 'it is shown once, then kept nowhere';
        const why = ending.length ? `the current one ends on ${day(ending[0].endDateTime)}, within ${renewWithinDays(want.validDays)} days` : '';
        return { status: 'create', detail: `Add a ${what(want.type)} valid for ${want.validDays} days to ${name}${why ? ` (${why})` : ''}: ${handOver}.` };
    },
    async write(ctx, want, have) {
        const name = want.application.trim();
        // A later try after a lost answer: the fresh read may show the credential made by the lost try.
        if (credentials(have.application, want.type).some(c => validLongEnough(c.endDateTime, renewWithinDays(want.validDays))) && !(ctx.afterLostAnswer && want.type === 'clientSecret')) {
            return { outcome: 'alreadyInPlace', detail: `${name} has a ${what(want.type)} valid for more than ${renewWithinDays(want.validDays)} days.` };
        }
        const app = await appAtWrite(ctx, name, have);
        const end = new Date(Date.now() + want.validDays * dayMs);
        if (want.type === 'certificate') {
            if (!ctx.keepPrivateKey) throw new Error(`A certificate for ${name} needs a file for its private key, and none was given: nothing was added.`);
            const cert = newAppCertificate(name, want.validDays);
            // The key goes to the admin's file first: a certificate in Entra whose key nobody has would be useless.
            const keptIn = await ctx.keepPrivateKey(name, cert.privateKeyPem, cert.certificatePem, cert.thumbprint);
            try {
                await addCertificate(ctx.graph, app.id, { derBase64: cert.derBase64, displayName: `CN=${name}`, startDateTime: cert.notBefore.toISOString(), endDateTime: cert.notAfter.toISOString() }, o(ctx));
            } catch (error) {
                if (!(error instanceof CertificatesNotReturnedError)) throw error;
                throw new Error(`${error.message} Nothing was added to ${name}; the private key written to ${keptIn} belongs to no certificate: delete it.`);
            }
            return { outcome: 'created', detail: `Certificate ${cert.thumbprint} added to ${name}, valid until ${day(cert.notAfter.toISOString())}; its private key was written to ${keptIn} and is kept nowhere else.` };
        }
        if (!ctx.revealSecret) throw new Error(`A client secret for ${name} must be shown to you once, and there is no way to show it here: nothing was added.`);
        let dropped = 0;
        if (ctx.afterLostAnswer) {
            // The lost try's secret exists in Entra, but its text was in the lost answer: nobody has it. Removed, so
            // no secret lingers that nobody holds, before a new one is made and shown.
            for (const s of credentials(have.application, 'clientSecret')) {
                if (s.keyId && s.displayName?.startsWith(secretNamePrefix) && s.startDateTime && Date.now() - Date.parse(s.startDateTime) < 15 * 60_000) {
                    await removeClientSecret(ctx.graph, app.id, s.keyId, o(ctx)).catch((error: unknown) => { if (!(error instanceof GraphRequestError && error.isNotFound)) throw error; });
                    dropped++;
                }
            }
        }
        const secret = await addClientSecret(ctx.graph, app.id, `${secretNamePrefix} ${new Date().toISOString().slice(0, 10)}`, end, o(ctx));
        if (!secret.secretText) throw new Error(`Entra added a client secret to ${name} but did not return its text.`);
        await ctx.revealSecret(name, secret.secretText, secret.endDateTime ?? end.toISOString());
        return { outcome: 'created', detail: `Client secret (starting ${secret.hint ?? '???'}…) added to ${name}, valid until ${day(secret.endDateTime)}; it was shown once and is kept nowhere.${dropped ? ` ${dropped} secret${dropped === 1 ? '' : 's'} made by a try whose answer was lost (its text never arrived) removed.` : ''}` };
    },
    async remove(ctx, want, have) {
        const name = want.application.trim();
        const list = credentials(have.application, want.type);
        if (!have.application?.id || !list.length) return { outcome: 'alreadyInPlace', detail: `${name} has no ${what(want.type)}.` };
        if (want.type === 'certificate') await setCertificates(ctx.graph, have.application.id, [], o(ctx));
        else {
            for (const s of list) {
                await removeClientSecret(ctx.graph, have.application.id, s.keyId ?? '', o(ctx)).catch((error: unknown) => { if (!(error instanceof GraphRequestError && error.isNotFound)) throw error; });
            }
        }
        return { outcome: 'removed', detail: `${list.length} ${what(want.type)}${list.length === 1 ? '' : 's'} of ${name} removed.` };
    },
};
