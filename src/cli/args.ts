/**
 * The command line, read without a library: a command, its one positional argument (the recipe), and options. Every
 * mistake is a message naming the option and what it takes; nothing here touches a tenant.
 */
export type CliCommand = 'plan' | 'apply' | 'verify' | 'export' | 'sandbox';
export const cliCommands: readonly CliCommand[] = ['plan', 'apply', 'verify', 'export', 'sandbox'];

export interface CliArgs {
    command: CliCommand;
    recipe?: string;
    json: boolean;
    debug: boolean;
    yes: boolean;
    /** `--sandbox [STATE_FILE]`: an in-process sandbox tenant; `''` when no state file was given. */
    sandbox?: string;
    tenant?: string;
    /** `--device-code`: a person signs in (with a device code) instead of an app. */
    deviceCode: boolean;
    clientId?: string;
    cloud?: string;
    certificate?: string;
    passwordFile?: string;
    /** `--key-out DIR`: where apply writes a new app certificate's private key (`<app>.key.pem`, mode 0600). */
    keyOut?: string;
    variant?: string;
    out?: string;
    organisation?: string;
    /** `--tenants FILE`: the same command over every tenant the file lists. */
    tenantsFile?: string;
    /** Tenants worked on at once with --tenants (4 by default). */
    concurrency?: number;
    /** `sandbox` command: the port and the sandbox's own options, passed on as given. */
    port?: number;
    rest: string[];
}

export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'UsageError';
    }
}

export const usage = `m365-provisioner — plan, apply, verify and export M365 recipes from a terminal or a pipeline

Usage:
  m365-provisioner plan    <recipe> [where] [--json]     exit 0 in sync, 2 changes pending, 1 error or blocked
  m365-provisioner apply   <recipe> [where] [--yes] [--password-file FILE] [--key-out DIR] [--json]
                                                       exit 0 applied (or nothing to do), 1 failed, blocked or refused
  m365-provisioner verify  <recipe> [where] [--json]     exit 0 in sync, 2 drift, 1 error
  m365-provisioner export  <recipe> --variant cloud|onPremises [--cloud NAME] [--organisation hybrid|exchangeOnly]
                           [--out FILE] [--json]
  m365-provisioner sandbox [--port N] [--tenants N] [sandbox options]  the sandbox tenant as a server (npm run sandbox -- --help)

Where it runs ([where]):
  --sandbox [STATE_FILE]    an in-process sandbox tenant (Contoso); its state is loaded from and saved to STATE_FILE,
                            so a sequence of commands sees one tenant
  --tenant ID|DOMAIN        a real tenant, signed in app-only as --client-id (or M365P_CLIENT_ID) with
    --certificate FILE        a PEM file holding the certificate and its private key (or M365P_CERTIFICATE_PEM), or
    M365P_CLIENT_SECRET       a client secret, from the environment only (a flag would show in the process list)
  --device-code             with --tenant: a person signs in with a device code shown on standard error (Microsoft
                            Graph Command Line Tools, and Exchange Online PowerShell for Exchange; or --client-id)
  --cloud NAME              Global (default), USGovernment, USGovernmentDoD or China
  --tenants FILE            every tenant a JSON file lists (each with where its credentials are: a certificate file
                            or environment variables; never a secret in the file); one summary table, the worst exit
                            code; --concurrency N tenants at once (default 4); apply needs --yes

Options:
  --yes                     apply without asking (required when there is no terminal to ask on)
  --password-file FILE      where apply writes each new account's generated password (created with mode 0600; the
                            password is shown nowhere else); apply refuses to create accounts without it; an
                            app's new client secret goes there too
  --key-out DIR             where apply writes a new app certificate's private key and certificate, <app>.key.pem
                            (mode 0600; kept nowhere else); apply refuses to make a certificate without it
  --json                    print one JSON document (docs/CLI.md; schemaVersion 1) instead of a table
  --debug                   show the stack of an unexpected error
  -h, --help                this text
`;

const flagsWithValue = new Set(['--tenants', '--concurrency', '--tenant', '--client-id', '--cloud', '--certificate', '--password-file', '--key-out', '--variant', '--out', '--organisation', '--port']);
const booleanFlags = new Set(['--json', '--debug', '--yes', '--device-code']);

/** Reads argv (without node and the script). `--help` anywhere throws a UsageError with an empty message. */
export function parseArgs(argv: readonly string[]): CliArgs {
    // `sandbox --help` is the sandbox's own help: its options pass through as they are.
    if (!argv.length || (argv[0] !== 'sandbox' && (argv.includes('--help') || argv.includes('-h')))) throw new UsageError('');
    const [command, ...rest] = argv;
    if (!cliCommands.includes(command as CliCommand)) throw new UsageError(`Unknown command "${command}". Use one of: ${cliCommands.join(', ')}.`);
    const args: CliArgs = { command: command as CliCommand, json: false, debug: false, yes: false, deviceCode: false, rest: [] };
    // The sandbox command passes its options on to the sandbox server as they are.
    if (args.command === 'sandbox') return { ...args, rest: [...rest] };
    for (let i = 0; i < rest.length; i++) {
        const arg = rest[i];
        const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
        if (booleanFlags.has(flag)) {
            if (inline !== undefined) throw new UsageError(`${flag} takes no value.`);
            if (flag === '--json') args.json = true;
            else if (flag === '--debug') args.debug = true;
            else if (flag === '--device-code') args.deviceCode = true;
            else args.yes = true;
        } else if (flag === '--sandbox') {
            // The state file is optional: the next argument is it unless it is an option or the recipe.
            const next = rest[i + 1];
            if (inline !== undefined) args.sandbox = inline;
            else if (next !== undefined && !next.startsWith('-') && !isRecipeFile(next) && (args.recipe !== undefined || rest.slice(i + 2).some(a => !a.startsWith('-')))) args.sandbox = rest[++i];
            else args.sandbox = '';
        } else if (flagsWithValue.has(flag)) {
            const value = inline ?? rest[++i];
            if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`${flag} needs a value.`);
            set(args, flag, value);
        } else if (arg.startsWith('-')) {
            throw new UsageError(`Unknown option ${arg}.${arg === '--client-secret' ? ' A client secret is read from M365P_CLIENT_SECRET only: a flag would show it in the process list and the shell history.' : ''}`);
        } else if (args.recipe === undefined) {
            args.recipe = arg;
        } else {
            throw new UsageError(`Only one recipe file, please: "${args.recipe}" and "${arg}" were given.`);
        }
    }
    if (!args.recipe) throw new UsageError(`${args.command} needs a recipe file, e.g. m365-provisioner ${args.command} examples/calendar-integration.m365recipe.json.`);
    if (args.command !== 'export') {
        const where = [args.sandbox !== undefined ? '--sandbox' : '', args.tenant ? '--tenant' : '', args.tenantsFile ? '--tenants' : ''].filter(Boolean);
        if (!where.length) throw new UsageError(`Say where to ${args.command}: --tenant ID|DOMAIN for a real tenant, --tenants FILE for many, or --sandbox [STATE_FILE] for a sandbox tenant.`);
        if (where.length > 1) throw new UsageError(`Give one of ${where.join(', ')}, not ${where.length === 2 ? 'both' : 'several'}.`);
        if (args.concurrency !== undefined && !args.tenantsFile) throw new UsageError('--concurrency goes with --tenants FILE.');
        if (args.deviceCode && (!args.tenant || args.certificate)) throw new UsageError(args.certificate ? '--device-code signs a person in; --certificate signs an app in. Give one of them.' : '--device-code goes with --tenant ID|DOMAIN (in a tenants file, "signIn": "deviceCode").');
    } else {
        if (args.variant !== 'cloud' && args.variant !== 'onPremises') throw new UsageError(`export needs --variant cloud or --variant onPremises${args.variant ? ` (not "${args.variant}")` : ''}.`);
        if (args.organisation !== undefined && args.organisation !== 'hybrid' && args.organisation !== 'exchangeOnly') throw new UsageError(`--organisation takes hybrid or exchangeOnly (not "${args.organisation}").`);
    }
    return args;
}

function isRecipeFile(name: string): boolean {
    return /\.m365recipe\.json$/i.test(name);
}

function set(args: CliArgs, flag: string, value: string): void {
    switch (flag) {
        case '--tenant': args.tenant = value; break;
        case '--tenants': args.tenantsFile = value; break;
        case '--concurrency': {
            const n = Number(value);
            if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--concurrency takes a number of tenants from 1 to 64 (not "${value}").`);
            args.concurrency = n;
            break;
        }
        case '--client-id': args.clientId = value; break;
        case '--cloud': args.cloud = value; break;
        case '--certificate': args.certificate = value; break;
        case '--password-file': args.passwordFile = value; break;
        case '--key-out': args.keyOut = value; break;
        case '--variant': args.variant = value; break;
        case '--out': args.out = value; break;
        case '--organisation': args.organisation = value; break;
        case '--port': {
            const port = Number(value);
            if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes a port number (not "${value}").`);
            args.port = port;
            break;
        }
    }
}
