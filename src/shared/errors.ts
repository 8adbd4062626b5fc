/** Thrown when the user dismisses a prompt or cancels long work: the outcome is silent, not an error. */
export class UserCancelledError extends Error {
    constructor(message = 'Cancelled') {
        super(message);
        this.name = 'UserCancelledError';
    }
}

export function isUserCancelled(error: unknown): boolean {
    return error instanceof UserCancelledError || (error instanceof Error && error.name === 'AbortError');
}
