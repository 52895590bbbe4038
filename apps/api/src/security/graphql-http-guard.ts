import type { RequestHandler, Response } from 'express';

/** The limit `express.json` enforces on every body; larger ones get 413 PAYLOAD_TOO_LARGE. */
export const MAX_BODY = '100kb';

// Content types a browser may send cross-site without a preflight (what CSRF prevention is about).
const SIMPLE_CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * How deep objects and lists may nest in `variables` and `extensions`, the
 * object itself counting 1 (`{"input": {"ids": ["a"]}}` is 3). No input of the
 * schema comes near it; code that walks values recursively (hashing variables
 * for idempotency keys, scalars' parsers) would overflow the stack long before
 * a 100 kB body runs out of brackets.
 */
export const MAX_VALUE_DEPTH = 32;

function refuse(res: Response, status: number, message: string, headers: Record<string, string> = {}, extensions: Record<string, unknown> = {}): void {
  res.status(status).set(headers).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST', ...extensions } }] });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** How many objects and lists deep `value` nests (itself included), measured with a stack of our own, not recursion; stops once past `max`. */
export function nestingDepth(value: unknown, max: number): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > max) return deepest;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
    }
  }
  return deepest;
}

/** GET carries variables and extensions as JSON text; what does not parse is left for Apollo to refuse. */
function parsedQueryParameter(value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function tooDeep(res: Response, key: 'variables' | 'extensions'): void {
  refuse(res, 400, `Objects and lists in \`${key}\` are nested more than ${MAX_VALUE_DEPTH} deep.`, {}, {
    code: 'BAD_USER_INPUT', field: key, limit: 'depth', max: MAX_VALUE_DEPTH,
  });
}

/**
 * Refuses malformed GraphQL HTTP requests before Apollo sees them. Apollo
 * would refuse them too, but only after building the request's context —
 * which opens a database transaction — and some of those refusals (batches,
 * bodies it cannot read, other methods) skip the hook that ends it. Here they
 * cost nothing and always answer 4xx with a code.
 */
export function graphqlRequestGuard(): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'POST') {
      return refuse(res, 405, 'GraphQL is served over POST (and GET for queries).', { allow: 'GET, POST' });
    }
    if (req.method === 'GET') {
      for (const key of ['variables', 'extensions'] as const) {
        if (nestingDepth(parsedQueryParameter(req.query[key]), MAX_VALUE_DEPTH) > MAX_VALUE_DEPTH) return tooDeep(res, key);
      }
      return next();
    }
    const body: unknown = req.body;
    if (body === undefined) {
      // express.json only reads application/json; anything else arrives unread.
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const simple = type === '' || SIMPLE_CONTENT_TYPES.includes(type);
      return refuse(res, simple ? 400 : 415, 'Send the GraphQL request as JSON, with the header content-type: application/json.');
    }
    if (Array.isArray(body)) return refuse(res, 400, 'Batched requests are not accepted: send one operation per request.');
    if (!isRecord(body) || Object.keys(body).length === 0) return refuse(res, 400, 'The body must be a JSON object with a query.');
    if (body.query !== undefined && typeof body.query !== 'string') return refuse(res, 400, '`query` must be a string.');
    for (const key of ['variables', 'extensions'] as const) {
      if (body[key] !== undefined && body[key] !== null && !isRecord(body[key])) return refuse(res, 400, `\`${key}\` must be a JSON object.`);
      if (nestingDepth(body[key], MAX_VALUE_DEPTH) > MAX_VALUE_DEPTH) return tooDeep(res, key);
    }
    if (body.operationName !== undefined && body.operationName !== null && typeof body.operationName !== 'string') {
      return refuse(res, 400, '`operationName` must be a string.');
    }
    next();
  };
}

