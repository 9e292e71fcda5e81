/** The public HTTP API with the bearer token of this tab; problems (RFC 9457) become ApiProblem. */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly detail?: string;
  readonly errors?: readonly { readonly field: string; readonly reason: string }[];
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    const fields = (problem.errors ?? []).map((e) => `${e.field}: ${e.reason}`).join('; ');
    super([problem.title ?? `HTTP ${status}`, problem.detail, fields].filter(Boolean).join(' — '));
  }
}

const TOKEN = 'liangxin-console-token';

/** The token lives in this tab's sessionStorage only: never in a URL the server sees, never in a log. */
export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN),
  save: (token: string): void => sessionStorage.setItem(TOKEN, token.trim()),
  clear: (): void => sessionStorage.removeItem(TOKEN),
  /** The token's claims as the token says (the server checks them; this only shapes the page). */
  claims(): { sub?: string; roles?: string[]; scope?: string; exp?: number } {
    const payload = session.token()?.split('.')[1];
    if (!payload) return {};
    try {
      const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
      const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
      return JSON.parse(new TextDecoder().decode(bytes)) as ReturnType<typeof session.claims>;
    } catch {
      return {};
    }
  },
};

export function authHeaders(): Record<string, string> {
  const token = session.token();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export async function api<T>(path: string, options: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(path, {
    method: options.method ?? 'GET',
    headers: {
      Accept: 'application/json',
      ...authHeaders(),
      ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  if (response.status === 401) {
    session.clear();
    location.hash = '#/login';
  }
  if (!response.ok) throw new ApiProblem(response.status, (await response.json().catch(() => ({}))) as Problem);
  return (await response.json()) as T;
}

export function query(parameters: Record<string, string | number | undefined>): string {
  const entries = Object.entries(parameters).filter(
    (entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '',
  );
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
}
