export interface ServerSentEvent {
  readonly id: string | undefined;
  readonly event: string | undefined;
  readonly data: string;
}

export interface SseConnection {
  readonly status: number;
  readonly contentType: string | null;
  readonly events: ServerSentEvent[];
  /** Comment lines received (heartbeats). */
  readonly comments: string[];
  close(): void;
}

/** Opens a server-sent event stream with fetch and parses it as the HTML spec says (enough for tests). */
export async function openEventStream(url: string, headers: Record<string, string>): Promise<SseConnection> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const events: ServerSentEvent[] = [];
  const comments: string[] = [];
  const connection: SseConnection = {
    status: response.status,
    contentType: response.headers.get('content-type'),
    events,
    comments,
    close: () => controller.abort(),
  };
  if (!response.body || response.status !== 200) return connection;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    let current: { id?: string; event?: string; data: string[] } = { data: [] };
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (current.data.length > 0)
              events.push({ id: current.id, event: current.event, data: current.data.join('\n') });
            current = { data: [] };
          } else if (line.startsWith(':')) {
            comments.push(line.slice(1).trim());
          } else {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') current.id = text;
            else if (field === 'event') current.event = text;
            else if (field === 'data') current.data.push(text);
          }
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return connection;
}
