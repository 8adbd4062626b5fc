import type { ListPage, PageRequest } from '../graph/directoryPages';
import { folderPageSize } from '../graph/directoryPages';
import { listRoleGroupMembers, listRoleGroups, type DistributionGroupSummary, type FolderPermission, type MailboxSummary, type RecipientSummary, type RoleGroupSummary } from './cmdlets';
import type { ExchangeAdminClient } from './ExchangeAdminClient';
import { ExchangeCommandError } from './ExchangeCommandError';
import { sortedByName } from '../shared/byName';

/**
 * One page of each Exchange list the Directory view shows, one InvokeCommand request per page. What the admin types
 * goes to `-Anr` (ambiguous name resolution: display name, alias, names and addresses), a parameter value, so there
 * is no OPATH filter text to escape.
 */
export function exchangePages(exo: ExchangeAdminClient) {
    const page = async <T>(cmdlet: string, parameters: Record<string, unknown>, request: PageRequest): Promise<ListPage<T>> => {
        const anr = request.search?.trim();
        const result = await exo.invokePage<T>(cmdlet, { ...parameters, ...(anr ? { Anr: anr } : {}) }, {
            pageSize: folderPageSize,
            ...(request.nextLink ? { nextLink: request.nextLink } : {}),
            ...(request.signal ? { signal: request.signal } : {}),
        });
        return { items: result.value, ...(result.nextLink ? { nextLink: result.nextLink } : {}) };
    };
    /**
     * The admin API's InvokeCommand hands back Exchange's own order (by object, not by name), and these folders show
     * names: a list read whole is sorted here; one of several pages is left as it came, since sorting a page would
     * only look sorted.
     */
    const byName = async <T extends { DisplayName?: string; Name?: string }>(list: Promise<ListPage<T>>): Promise<ListPage<T>> => {
        const listed = await list;
        return listed.nextLink ? listed : { ...listed, items: sortedByName(listed.items, i => i.DisplayName || i.Name) };
    };
    const signalOf = (request: PageRequest) => (request.signal ? { signal: request.signal } : {});

    return {
        /** Role groups and their members are few, so their folders are one whole answer (cmdlets.ts). */
        roleGroups: (request: PageRequest = {}): Promise<ListPage<RoleGroupSummary>> => byName(listRoleGroups(exo, signalOf(request)).then(items => ({ items }))),
        roleGroupMembers: (roleGroup: string, request: PageRequest = {}): Promise<ListPage<RecipientSummary>> => byName(listRoleGroupMembers(exo, roleGroup, signalOf(request)).then(items => ({ items }))),
        mailEnabledSecurityGroups: (request: PageRequest = {}) => byName(page<DistributionGroupSummary>('Get-DistributionGroup', { RecipientTypeDetails: 'MailUniversalSecurityGroup', ResultSize: 'Unlimited' }, request)),
        distributionGroupMembers: (identity: string, request: PageRequest = {}) => byName(page<RecipientSummary>('Get-DistributionGroupMember', { Identity: identity, ResultSize: 'Unlimited' }, { ...request, search: undefined })),
        mailboxes: (request: PageRequest = {}) => byName(page<MailboxSummary>('Get-Mailbox', { ResultSize: 'Unlimited' }, request)),
        /** Who can be given a calendar permission: mailboxes and mail-enabled security groups, the first 100 matches. */
        grantees: (request: PageRequest = {}) => page<RecipientSummary>('Get-Recipient', { RecipientTypeDetails: ['UserMailbox', 'SharedMailbox', 'MailUniversalSecurityGroup'], ResultSize: 100 }, request),
        /**
         * Who may do what on a mailbox's calendar. The folder's name is localised for some mailboxes (`Kalender`,
         * `Calendrier`): when `:\Calendar` is not found, ask Exchange for the calendar folder's real name and read that.
         */
        calendarPermissions: async (mailbox: string, request: PageRequest = {}): Promise<ListPage<FolderPermission> & { folder: string }> => {
            const o = { ...signalOf(request), anchorMailbox: mailbox };
            try {
                const folder = `${mailbox}:\\Calendar`;
                return { folder, items: (await exo.invoke<FolderPermission>('Get-MailboxFolderPermission', { Identity: folder }, o)).value };
            } catch (error) {
                if (!(error instanceof ExchangeCommandError) || !error.isNotFound) throw error;
                const calendar = (await exo.invoke<{ Name: string; FolderType: string }>('Get-MailboxFolderStatistics', { Identity: mailbox, FolderScope: 'Calendar' }, o)).value.find(f => f.FolderType === 'Calendar');
                if (!calendar) throw error;
                const folder = `${mailbox}:\\${calendar.Name}`;
                return { folder, items: (await exo.invoke<FolderPermission>('Get-MailboxFolderPermission', { Identity: folder }, o)).value };
            }
        },
    };
}

export type ExchangePages = ReturnType<typeof exchangePages>;
