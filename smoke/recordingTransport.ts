import type { HttpRequest, HttpResponse, HttpTransport } from '../src/net/HttpTransport';

/** One answer as it came over the wire; error bodies are kept whole (they hold no token), success bodies are not. */
export interface RecordedAnswer {
    method: string;
    url: string;
    status: number;
    /** The raw body text of an answer with status ≥ 400; empty for successes. */
    errorBody: string;
    /** Which cmdlet an InvokeCommand request ran (from its body), for finding an Exchange error again. */
    cmdlet?: string;
}

export interface RecordingTransport extends Pick<HttpTransport, 'send'> {
    answers(): readonly RecordedAnswer[];
}

/**
 * Wraps the transport the Graph and Exchange clients use, so the smoke run can show Microsoft's raw error bodies:
 * the clients turn them into typed errors and drop the body, and the body's shape is what the run is here to see.
 */
export function recordingTransport(inner: Pick<HttpTransport, 'send'>): RecordingTransport {
    const answers: RecordedAnswer[] = [];
    return {
        answers: () => answers,
        async send(request: HttpRequest): Promise<HttpResponse> {
            const response = await inner.send(request);
            const cmdlet = cmdletOf(request.body);
            answers.push({
                method: request.method,
                url: request.url,
                status: response.status,
                errorBody: response.status >= 400 ? response.body.toString('utf8') : '',
                ...(cmdlet ? { cmdlet } : {}),
            });
            return response;
        },
    };
}

function cmdletOf(body: HttpRequest['body']): string | undefined {
    if (body === undefined) return undefined;
    try {
        return (JSON.parse(body.toString()) as { CmdletInput?: { CmdletName?: string } }).CmdletInput?.CmdletName;
    } catch {
        return undefined;
    }
}
