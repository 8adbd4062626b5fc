/** The properties the explorer and the planner show; Graph returns only what is selected. */
export const userSelect = 'id,displayName,userPrincipalName,mail,accountEnabled,usageLocation,assignedLicenses,department,jobTitle,userType,employeeType';
export const groupSelect = 'id,displayName,description,mail,mailEnabled,securityEnabled,groupTypes,mailNickname';
