import type { DirectoryUser } from '../contracts';

/** HTML-escapes text placed into the sandbox's pages. */
export function esc(text: string): string {
    return text.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function layout(title: string, body: string): string {
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${esc(title)}</title><style>
body{font-family:"Segoe UI",system-ui,sans-serif;background:#f2f2f2;margin:0;display:flex;justify-content:center}
main{background:#fff;margin-top:8vh;padding:44px;width:360px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600;margin:16px 0}.brand{font-weight:600;color:#0067b8}
button{display:block;width:100%;text-align:left;margin:8px 0;padding:12px;border:1px solid #ccc;background:#fff;cursor:pointer;font-size:15px}
button:hover{background:#f2f2f2}button.primary{background:#0067b8;color:#fff;text-align:center;border:0}
small,.note{color:#666}input{width:100%;padding:8px;font-size:16px;box-sizing:border-box}ul{padding-left:20px}
.error{color:#a80000}</style></head><body><main><div class="brand">Contoso · M365 sandbox tenant</div>${body}</main></body></html>`;
}

export function hidden(fields: Record<string, string>): string {
    return Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
}

export function pickAccountPage(action: string, fields: Record<string, string>, accounts: DirectoryUser[], appName: string): string {
    const buttons = accounts.map(u => `<button name="account" value="${esc(u.id)}" data-upn="${esc(u.userPrincipalName)}">${esc(u.displayName)}<br><small>${esc(u.userPrincipalName)}</small></button>`).join('');
    return layout('Sign in to your account', `<h1>Pick an account</h1><p class="note">to continue to ${esc(appName)}</p>
<form method="post" action="${esc(action)}">${hidden(fields)}${buttons}</form>`);
}

export function consentPage(action: string, fields: Record<string, string>, user: DirectoryUser, appName: string, permissions: string[], canConsentForOrg: boolean): string {
    const list = permissions.map(p => `<li>${esc(p)}</li>`).join('');
    if (!canConsentForOrg) {
        return layout('Need admin approval', `<h1>Need admin approval</h1><p>${esc(appName)} needs permission to access resources in your organization that only an admin can grant:</p><ul>${list}</ul>
<p class="error">AADSTS90094: ${esc(user.userPrincipalName)} cannot consent; ask an administrator to grant these permissions.</p>
<form method="post" action="${esc(action)}">${hidden(fields)}<button class="primary" name="consent" value="cancel">Back to the app</button></form>`);
    }
    return layout('Permissions requested', `<h1>Permissions requested</h1><p>${esc(appName)} wants to:</p><ul>${list}</ul>
<p class="note">Accepting grants these permissions for the whole organisation (admin consent), as ${esc(user.userPrincipalName)}.</p>
<form method="post" action="${esc(action)}">${hidden(fields)}<button class="primary" name="consent" value="accept">Accept</button><button name="consent" value="cancel">Cancel</button></form>`);
}

export function formPostPage(redirectUri: string, fields: Record<string, string>): string {
    return `<!doctype html><html><head><title>Working...</title></head><body onload="document.forms[0].submit()">
<form method="post" action="${esc(redirectUri)}">${hidden(fields)}<noscript><button>Continue</button></noscript></form></body></html>`;
}

export function messagePage(title: string, text: string, isError = false): string {
    return layout(title, `<h1>${esc(title)}</h1><p${isError ? ' class="error"' : ''}>${esc(text)}</p>`);
}

export function deviceCodeEntryPage(action: string, error?: string): string {
    return layout('Enter code', `<h1>Enter code</h1><p>Enter the code displayed on your app or device.</p>${error ? `<p class="error">${esc(error)}</p>` : ''}
<form method="post" action="${esc(action)}"><input name="otc" autofocus autocomplete="off" placeholder="Code"><button class="primary">Next</button></form>`);
}
