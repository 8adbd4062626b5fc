// The audit record's shape alone (no Node), so the audit view's browser bundle can import it too.

/**
 * One change the extension made (or tried to make) in a tenant. Each field has one kind of content, and none of them
 * can carry a password, token or secret: passwords go to SecretStorage and the reveal dialog only, tokens stay inside
 * the clients, and the one free-text field (`detail`) is redacted by the writer.
 */
export interface AuditRecord {
    when: string;
    /** The signed-in account that made the change (its user name). */
    who: string;
    /** The tenant id. */
    tenant: string;
    /** The tenant's name as its organisation has it ("Contoso"), when it could be read; the id alone otherwise. */
    tenantName?: string;
    /** The tenant's default domain ("contoso.com"), with the name. */
    tenantDomain?: string;
    /** What was done: the command's own name for it (`createServiceAccount`, `applyRecipe` …), never input. */
    action: string;
    /**
     * What it was done to, in the admin's words: a UPN, an address, `user → role`, a recipe's name and file. Names as
     * the tenant or the recipe has them; kept as they are, whatever they look like (they are not secrets).
     */
    target: string;
    result: 'succeeded' | 'failed' | 'unchanged' | 'cancelled' | 'partial';
    /**
     * The Entra / Exchange object ids the change named or made (the account, the group, the role assignment), at most
     * 20; none when the change wrote nothing.
     */
    objectIds?: string[];
    /**
     * The `request-id` Microsoft answered the change's last write with (on success too), or the failed request's: what
     * Microsoft support asks for.
     */
    requestId?: string;
    /** A recipe step's line: the recipe it belongs to (its summary line has action `applyRecipe` and the same name). */
    recipe?: string;
    /** Free text (a summary, or the error of a failed change): secret-looking parts are removed before writing. */
    detail?: string;
}
