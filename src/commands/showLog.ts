import type { ActionContext } from '../platform/runAction';

/** Opens the "M365 Provisioner" output channel, where every request and action is logged (never tokens). */
export function showLog(context: ActionContext<'log'>): void {
    context.log.show(true);
}
