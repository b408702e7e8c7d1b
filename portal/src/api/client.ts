// One way to call the API: the session's token (or App Service authentication's cookie), JSON in and out, and
// problem+json turned into an ApiError that names the fields. A 401 signs the person out (the shell shows the sign-in).
import { session } from '../app/session.js';

export interface Problem {
  status: number;
  title: string;
  detail?: string;
  errors?: Record<string, string[]>;
  [extension: string]: unknown;
}

/** A problem+json answer (or a network failure, status 0) as an error pages can show. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly errors: Record<string, string[]>;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail ?? '';
    this.errors = problem.errors ?? {};
    this.problem = problem;
  }

  /** The messages for one field of the request (a JSON path such as `kpis[0].min`), and of the fields under it. */
  field(path: string): string[] {
    return Object.entries(this.errors)
      .filter(([key]) => key === path || key.startsWith(path + '.') || key.startsWith(path + '['))
      .flatMap(([, messages]) => messages);
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** A raw body (a file being uploaded); sent as is with its own content type. */
  raw?: BodyInit;
  contentType?: string;
  signal?: AbortSignal;
}

export function withQuery(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

function headers(options: RequestOptions): Headers {
  const result = new Headers({ Accept: 'application/json' });
  const token = session.token;
  if (token) result.set('Authorization', `Bearer ${token}`);
  if (options.body !== undefined) result.set('Content-Type', 'application/json');
  else if (options.contentType) result.set('Content-Type', options.contentType);
  return result;
}

async function problemOf(response: Response): Promise<Problem> {
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    try {
      const body = await response.json();
      if (body && typeof body === 'object') return { status: response.status, title: response.statusText, ...body };
    } catch { /* not JSON after all: fall through */ }
  }
  return { status: response.status, title: response.statusText || 'Request failed', detail: await response.text().catch(() => '') };
}

/** Calls `/api/...` (or any same-origin path) and answers the parsed JSON (undefined for 204). */
export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers: headers(options),
      body: options.body !== undefined ? JSON.stringify(options.body) : options.raw,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError({ status: 0, title: 'The server cannot be reached', detail: String(error) });
  }
  if (response.status === 401) session.signedOut();
  if (!response.ok) throw new ApiError(await problemOf(response));
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('Content-Type') ?? '';
  // JSON Lines (application/x-ndjson) is text, one document per line.
  return (type.includes('json') && !type.includes('ndjson') ? await response.json() : await response.text()) as T;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) => api<T>('GET', path, { query, signal });
export const post = <T>(path: string, body?: unknown, query?: Query) => api<T>('POST', path, { body: body ?? {}, query });
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, { body });
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, { body });
export const del = <T>(path: string, query?: Query) => api<T>('DELETE', path, { query });

/**
 * Uploads a file with progress (fetch cannot report upload progress, XMLHttpRequest can). Answers the parsed JSON
 * answer; a problem answer rejects with an ApiError.
 */
export function upload<T>(path: string, file: Blob, contentType: string, onProgress?: (sent: number, total: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    request.setRequestHeader('Accept', 'application/json');
    request.setRequestHeader('Content-Type', contentType);
    if (session.token) request.setRequestHeader('Authorization', `Bearer ${session.token}`);
    request.upload.onprogress = event => onProgress?.(event.loaded, event.lengthComputable ? event.total : file.size);
    request.onerror = () => reject(new ApiError({ status: 0, title: 'The server cannot be reached' }));
    request.onload = () => {
      let body: unknown = undefined;
      try { body = request.responseText ? JSON.parse(request.responseText) : undefined; } catch { body = request.responseText; }
      if (request.status === 401) session.signedOut();
      if (request.status >= 200 && request.status < 300) resolve(body as T);
      else reject(new ApiError({ status: request.status, title: request.statusText, ...(typeof body === 'object' && body ? body : { detail: String(body ?? '') }) }));
    };
    request.send(file);
  });
}
