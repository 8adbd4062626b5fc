/** JSON pointers (RFC 6901), as recipe problems name the value to fix: `/serviceAccounts/0/displayName`. */

/** One key or index as a pointer segment: ~ and / escaped, so a key holding either still names one member. */
export const pointerPart = (key: string | number) => String(key).replace(/~/g, '~0').replace(/\//g, '~1');

/** A pointer's segments, unescaped; '' is the whole document. */
export const pointerParts = (pointer: string) => (pointer === '' ? [] : pointer.split('/').slice(1).map(p => p.replace(/~1/g, '/').replace(/~0/g, '~')));
