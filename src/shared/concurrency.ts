/**
 * Runs `work` over `items`, at most `limit` at once, keeping each result at its item's index. After `signal` aborts no
 * further item is started; those left are `undefined` in the result (the work already under way decides for itself).
 */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>, signal?: AbortSignal): Promise<(R | undefined)[]> {
    const results = new Array<R | undefined>(items.length).fill(undefined);
    let next = 0;
    const worker = async () => {
        while (next < items.length && !signal?.aborted) {
            const i = next++;
            results[i] = await work(items[i], i);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    return results;
}
