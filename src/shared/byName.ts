/**
 * Sorting by the name an admin reads, for the lists Graph or Exchange cannot sort for us and that we read whole. The
 * order is the reader's: case and accents do not split "adele" from "Adele", and "Group 10" follows "Group 9".
 */
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** A sorted copy of `items` by `name(item)`; items without a name go last, in the order they came. */
export function sortedByName<T>(items: readonly T[], name: (item: T) => string | null | undefined): T[] {
    return items
        .map((item, index) => ({ item, index, key: name(item) ?? '' }))
        .sort((a, b) => (a.key === '') !== (b.key === '') ? (a.key === '' ? 1 : -1) : collator.compare(a.key, b.key) || a.index - b.index)
        .map(e => e.item);
}
