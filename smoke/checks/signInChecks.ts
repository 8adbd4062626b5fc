import { agrees, differs, notChecked, type SmokeCheck } from '../context';
import { exchangeOnlinePowerShell, graphCommandLineTools } from '../config';

/** What sign-in showed (the run signs in once; these read its findings). */
export const signInChecks: SmokeCheck[] = [
    {
        ref: 'E1',
        name: 'Graph token by device code from the Graph client',
        // Reaching the checks at all means it worked: a failed Graph sign-in stops the run before them.
        run: ctx => agrees(`client ${ctx.signIn.graphClientId}${ctx.signIn.graphClientId === graphCommandLineTools ? ' (Microsoft Graph Command Line Tools)' : ''}`),
    },
    {
        ref: 'E2',
        name: 'Exchange token by device code from the Exchange Online PowerShell client',
        run: ctx => {
            if (ctx.signIn.exchangeClientId !== exchangeOnlinePowerShell) return notChecked(`M365P_SMOKE_EXCHANGE_CLIENT_ID is ${ctx.signIn.exchangeClientId}, not the Exchange Online PowerShell client`);
            if (ctx.signIn.exchangeSignInError) return differs(ctx.signIn.exchangeSignInError);
            return ctx.signIn.exchangeScopeRefused ? differs(ctx.signIn.exchangeScopeRefused) : agrees(`client ${exchangeOnlinePowerShell}, scope Exchange.Manage`);
        },
    },
    {
        ref: 'E3',
        name: 'Graph client refused an Exchange token (AADSTS65002)',
        run: ctx => {
            if (ctx.signIn.graphClientId !== graphCommandLineTools) return notChecked(`M365P_SMOKE_GRAPH_CLIENT_ID is ${ctx.signIn.graphClientId}, an own registration, not a Microsoft client`);
            const answer = ctx.signIn.graphClientForExchange;
            if (answer.gotToken) return differs('Entra gave Microsoft Graph Command Line Tools an Exchange.Manage token');
            return /AADSTS65002/.test(answer.error ?? '') ? agrees('AADSTS65002') : differs(`refused, but not with AADSTS65002: ${answer.error ?? ''}`);
        },
    },
];
