/**
 * How the extension marks a service account: Graph's `employeeType` property set to this value. It is a standard,
 * filterable property (no schema extension to register), admins can see and edit it in the Entra admin centre, and
 * the "Service accounts" folder finds such accounts with one `$filter`.
 */
export const serviceAccountEmployeeType = 'ServiceAccount';

export function isServiceAccount(user: { employeeType?: string | null }): boolean {
    return user.employeeType === serviceAccountEmployeeType;
}
