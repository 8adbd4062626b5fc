import { commentText } from '../powershell';
import { progress } from '../recipeScript';
import type { Recipe } from '../../recipes/recipe';
import type { Ensure } from '../../steps/contract';
import type { ExportTarget } from '../recipeScript';

/** What every script writer may look at besides the entry: the whole recipe (names, descriptions) and where the script runs. */
export interface ScriptContext {
    recipe: Recipe;
    target: ExportTarget;
}

/**
 * One kind of step as PowerShell, for one entry of `recipeEntries`: `present` sets it up, `absent` takes it away. Both
 * look first and change only what differs, so the script can be run again; an absent writer removes only what is there.
 */
export interface KindScript<Want extends { ensure?: Ensure }> {
    present(want: Want, ctx: ScriptContext): string[];
    absent(want: Want, ctx: ScriptContext): string[];
}

/**
 * A step with no place to go in this variant (licences and directory roles on premises): the item as a comment line
 * and a progress line saying where it is done instead.
 */
export function cloudOnlyItem(item: string, what: string): string[] {
    return [`#   ${commentText(item)}`, progress(`${item}: ${what}`)];
}
