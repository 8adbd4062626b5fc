/**
 * The calendar integration guide (MyTimetable) as an admin would write its recipe: an Exchange-only licence, a hidden
 * mail-enabled security group accepting mail only from the admin, and access to Staff's calendars (the access right
 * left to its default, Editor). Tests copy it (structuredClone) before changing anything.
 */
export const calendarGuide = {
    name: 'MyTimetable calendar integration',
    description: 'MyTimetable writes timetable events into the calendars of staff.',
    serviceAccounts: [{
        userPrincipalName: 'sa-mytt-exch@contoso.com',
        displayName: 'MyTimetable Exchange Service Account',
        usageLocation: 'NL',
        licence: { sku: 'ENTERPRISEPACK', enabledPlans: ['EXCHANGE_S_ENTERPRISE'] },
    }],
    mailEnabledGroups: [{
        name: 'Service Accounts MyTimetable Exchange',
        primarySmtpAddress: 'sa-mytt-exch-secgroup@contoso.com',
        hiddenFromAddressLists: true,
        acceptMessagesOnlyFrom: ['admin@contoso.com'],
        members: ['sa-mytt-exch@contoso.com'],
    }],
    calendarGrants: [{ membersOf: 'Staff', grantee: 'sa-mytt-exch-secgroup@contoso.com' }],
};
