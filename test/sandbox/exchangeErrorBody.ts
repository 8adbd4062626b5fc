/**
 * Reads an Exchange admin API error body in any of the forms the sandbox sends (as real Exchange does): the type and
 * text in `details[0].message` as `ExNNNNNN|Type|text` or as a nested JSON string, or only in
 * `innererror.internalexception`; an empty or NUL-filled body (403). Written apart from the client's reader on purpose,
 * so the sandbox's tests do not lean on the code they are meant to check.
 */
export interface ExchangeErrorRead {
    form: 'pipe' | 'json' | 'bare' | 'empty' | 'nul' | 'other';
    /** `error.code`, e.g. NotFound. */
    code: string;
    /** `error.message`: the fixed text ("Error executing cmdlet"). */
    fixed: string;
    /** The `ExNNNNNN` id of the pipe form ('' when absent or another form). */
    errorId: string;
    type: string;
    message: string;
}

interface Body { error?: { code?: string; message?: string; details?: { code?: string; message?: string }[]; innererror?: { internalexception?: { message?: string; type?: string } } } }

export function readExchangeError(raw: unknown): ExchangeErrorRead {
    const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : undefined;
    if (text !== undefined && text.length === 0) return { form: 'empty', code: '', fixed: '', errorId: '', type: '', message: '' };
    if (text !== undefined && /^\0+$/.test(text)) return { form: 'nul', code: '', fixed: '', errorId: '', type: '', message: '' };
    const body = (text !== undefined ? JSON.parse(text) : raw) as Body;
    const error = body.error ?? {};
    const base = { code: error.code ?? '', fixed: error.message ?? '' };
    const detail = error.details?.[0]?.message;
    if (detail !== undefined) {
        const pipe = /^(Ex[0-9A-F]{6})?\|([^|]+)\|([\s\S]*)$/.exec(detail);
        if (pipe) return { form: 'pipe', ...base, errorId: pipe[1] ?? '', type: pipe[2], message: pipe[3] };
        if (detail.startsWith('{')) {
            const nested = JSON.parse(detail) as { Message?: string; TypeName?: string };
            return { form: 'json', ...base, errorId: '', type: nested.TypeName ?? '', message: nested.Message ?? '' };
        }
        return { form: 'other', ...base, errorId: '', type: '', message: detail };
    }
    const inner = error.innererror?.internalexception;
    if (inner) return { form: 'bare', ...base, errorId: '', type: inner.type ?? '', message: inner.message ?? '' };
    return { form: 'other', ...base, errorId: '', type: '', message: error.message ?? '' };
}
