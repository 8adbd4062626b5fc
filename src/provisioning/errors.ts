/** Bad input found before anything was changed in the tenant: the message says what is wrong and how to fix it. */
export class ProvisioningInputError extends Error {
    /**
     * `field`: the input field to fix, in the commands' and the wizard's words ('licence', 'plans').
     * `pointer`: the same field as a JSON pointer below the recipe entry the step comes from ('/sku'), for the plan view.
     */
    constructor(message: string, readonly field?: string, readonly pointer?: string) {
        super(message);
        this.name = 'ProvisioningInputError';
    }
}

/** A name that matches several objects: the caller asks the admin which one, it never guesses. */
export class AmbiguousNameError<T> extends Error {
    constructor(readonly typed: string, readonly candidates: T[], what: string) {
        super(`"${typed}" matches ${candidates.length} ${what}; choose one.`);
        this.name = 'AmbiguousNameError';
    }
}
