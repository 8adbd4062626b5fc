import { notChecked, type SmokeCheck } from '../context';

/**
 * Assumptions a read-only run cannot settle: each says why and points at docs/FIDELITY.md, where the row says how to
 * check it by hand. They are rows all the same, so the output lists every assumption.
 */
export const unreachableChecks: SmokeCheck[] = [
    { ref: 'A1', name: 'Exchange throttles a $batch per item', run: () => notChecked('needs sustained load against the throttle; see FIDELITY.md A1') },
    { ref: 'A6', name: 'Add-RoleGroupMember takes an account without a mailbox', run: () => notChecked('a write; this run only reads (FIDELITY.md A6)') },
    { ref: 'A8', name: 'a not-yet-replicated account answers "Couldn\'t find object …"', run: () => notChecked('needs a new account (a write); see FIDELITY.md A8') },
    { ref: 'A10', name: 'admin-centre hosts of the national clouds', run: ctx => notChecked(`portals are not an API: open ${ctx.cloud.entraPortal}, ${ctx.cloud.m365AdminPortal} and ${ctx.cloud.exchangeAdminPortal} in a browser`) },
];
