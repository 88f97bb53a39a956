/**
 * The dashboard speaks to the server over HTTP only: GET for reads, POST for writes with the
 * token of the page in `X-Baton-Token` (the cookie alone opens reads). Routes are the API's
 * (`ticket/list`), their answers the CLI's `--json`.
 */

export interface ApiError {
  code: string;
  message: string;
  hint: string;
}

export class Refused extends Error {
  readonly error: ApiError;
  readonly status: number;
  constructor(status: number, error: ApiError) {
    super(error.message);
    this.status = status;
    this.error = error;
  }
}

function token(): string {
  return document.querySelector('meta[name="baton-token"]')?.getAttribute("content") ?? "";
}

async function answer<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => null)) as
    | (T & { error?: ApiError })
    | { error: ApiError }
    | null;
  if (!res.ok || body === null) {
    const error = (body as { error?: ApiError } | null)?.error ?? {
      code: "HTTP",
      message: `the server answered ${res.status}`,
      hint: "reload the page",
    };
    throw new Refused(res.status, error);
  }
  return body as T;
}

/** `get("ticket/list", {status: "todo"})`. */
export async function get<T>(route: string, query: Record<string, string | number> = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) params.set(key, String(value));
  const search = params.size > 0 ? `?${params}` : "";
  return answer<T>(await fetch(`/api/v1/${route}${search}`, { credentials: "same-origin" }));
}

export async function post<T>(route: string, input: Record<string, unknown>) {
  return answer<T>(
    await fetch(`/api/v1/${route}`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-baton-token": token() },
      body: JSON.stringify(input),
    }),
  );
}
