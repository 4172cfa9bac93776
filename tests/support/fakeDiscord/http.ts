import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeResponse, RecordedFile, RecordedRequest } from './types.js';

const API_PREFIX = /^\/api(?:\/v\d+)?(?=\/|$)/;

export interface ParsedBody {
  body: unknown;
  files: RecordedFile[];
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    // Keep the raw text so a test can still see what a malformed request carried.
    return { __unparsable: text, __error: String(error) };
  }
}

/** Uses the WHATWG multipart parser built into Node's fetch Response instead of a hand-rolled one. */
async function parseMultipart(raw: Buffer, contentType: string): Promise<ParsedBody> {
  const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
  const files: RecordedFile[] = [];
  let body: unknown = null;
  for (const [fieldName, value] of form.entries()) {
    if (typeof value === 'string') {
      if (fieldName === 'payload_json') body = parseJson(Buffer.from(value));
      continue;
    }
    files.push({ fieldName, name: value.name, contentType: value.type, size: value.size });
  }
  return { body, files };
}

export async function readBody(req: IncomingMessage): Promise<ParsedBody> {
  const raw = await readRaw(req);
  if (raw.length === 0) return { body: null, files: [] };
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.startsWith('multipart/form-data')) return parseMultipart(raw, contentType);
  return { body: parseJson(raw), files: [] };
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function decodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch (error) {
        // A malformed escape is left as sent; the route simply will not match.
        if (error instanceof URIError) return segment;
        throw error;
      }
    })
    .join('/');
}

export async function recordRequest(req: IncomingMessage): Promise<RecordedRequest> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const { body, files } = await readBody(req);
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    // discord.js percent-encodes segments (`@original` arrives as `%40original`); tests match on the decoded form.
    path: decodePath(url.pathname.replace(API_PREFIX, '') || '/'),
    query: Object.fromEntries(url.searchParams.entries()),
    body,
    headers: flattenHeaders(req),
    at: Date.now(),
    files,
  };
}

export function isApiPath(rawUrl: string | undefined): boolean {
  return API_PREFIX.test(new URL(rawUrl ?? '/', 'http://127.0.0.1').pathname);
}

export function writeResponse(res: ServerResponse, response: FakeResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  if (response.status === 204 || response.body === undefined) {
    res.writeHead(response.status, headers).end();
    return;
  }
  const payload = JSON.stringify(response.body);
  headers['content-type'] ??= 'application/json';
  headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(response.status, headers).end(payload);
}

/** The 429 shape @discordjs/rest parses: retry-after header plus x-ratelimit-* bucket headers. */
export function rateLimitResponse(retryAfterSeconds: number, bucket: string): FakeResponse {
  const resetAt = Date.now() / 1000 + retryAfterSeconds;
  return {
    status: 429,
    headers: {
      'retry-after': String(retryAfterSeconds),
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': resetAt.toFixed(3),
      'x-ratelimit-reset-after': retryAfterSeconds.toFixed(3),
      'x-ratelimit-bucket': bucket,
      'x-ratelimit-scope': 'user',
    },
    body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: false },
  };
}
