/**
 * Context values are `m365Provisioner:<type>` plus `+flag` for each true flag, in a fixed order, so `when` clauses
 * match with a regex such as `viewItem =~ /^m365Provisioner:account(?=.*\+active)/`. Built only here.
 */
export function contextValue(type: string, flags: Record<string, boolean> = {}): string {
    const set = Object.keys(flags).filter(f => flags[f]).sort();
    return [`m365Provisioner:${type}`, ...set].join('+');
}
