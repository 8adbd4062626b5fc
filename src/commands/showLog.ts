import type { ActionContext } from '../platform/runAction';

/** Opens the "M365 Provisioner" output channel, where every request and action is logged (never tokens). */
export function showLog(context: ActionContext): void {
    context.container.log.show(true);
}
