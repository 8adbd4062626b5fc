import { SignInError } from '../../auth/signInErrors';
import { ExchangeCommandError } from '../../exchange/ExchangeCommandError';
import { GraphRequestError } from '../../graph/GraphRequestError';

/** One line an admin can act on, for an error row in the tree. */
export function describeLoadError(error: unknown): string {
    if (error instanceof GraphRequestError) {
        if (error.isInsufficientPrivileges) return `Not allowed: ${error.message} (your role or the app's permissions do not allow reading this)`;
        return `${error.message} (${error.status} ${error.code})`;
    }
    if (error instanceof ExchangeCommandError) {
        if (error.isAccessDenied) return `Exchange refused ${error.cmdlet}: ${error.message}`;
        return `${error.cmdlet}: ${error.message}`;
    }
    if (error instanceof SignInError) return `Sign-in needed: ${error.message}`;
    return error instanceof Error ? error.message : String(error);
}
