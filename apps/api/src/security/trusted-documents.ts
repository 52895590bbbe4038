import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Request, RequestHandler, Response } from 'express';
import { GraphQLError, parse, specifiedRules, validate, type GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { AppConfig } from '../config.js';
import { errorBody } from '../common/errors.js';
import { AD_HOC_LIMITS, TRUSTED_LIMITS, adHocDocumentRefusals, graphqlValidationRules, tokenLimitOf } from '../common/graphql-limits.js';

/**
 * Trusted documents (GraphQL over HTTP, Appendix A "Persisted Documents").
 *
 * The portal's build writes a manifest of its operations, `sha256:<hex>` →
 * document (GraphQL Code Generator's client preset, `persistedDocuments`), and
 * Vite copies it into the build beside index.html. The API reads it once, at
 * start, from the portal folder it serves (config.portalDir); nothing a
 * request sends can add to it (automatic persisted queries stay off).
 *
 * A request names a registered document with `documentId` (in the JSON body,
 * or as a GET parameter) instead of sending `query`:
 * - a registered id runs that document, held to TRUSTED_LIMITS (it was written
 *   and reviewed with the portal);
 * - an id that is not registered: 400 PERSISTED_DOCUMENT_NOT_FOUND;
 * - `documentId` and `query` together: 400 BAD_REQUEST (a request never registers a document).
 *
 * A document the caller wrote (`query`, "ad-hoc") is held to the tighter
 * AD_HOC_LIMITS here, before Apollo parses it. With NODE_ENV=production it is
 * accepted only from a service client (an `Authorization` header, which
 * decides who is calling — auth/identity.ts): from a person's session cookie,
 * or from nobody, it is refused with 403 FORBIDDEN, `reason:
 * TRUSTED_DOCUMENTS_ONLY`. Outside production anyone may send one, within
 * the ad-hoc limits, so GraphQL tools keep working in development.
 */

/** Where the portal's build puts the manifest, in the portal folder. */
export const TRUSTED_DOCUMENTS_FILE = 'persisted-documents.json';

/** `sha256:` and 64 lower-case hex digits: the identifier of the SHA-256 of the document's text (UTF-8). */
const SHA256_DOCUMENT_ID = /^sha256:[0-9a-f]{64}$/;

/** The documents registered at start; read-only. */
export interface TrustedDocuments {
  /** The registered document with this id, or undefined. */
  get(documentId: string): string | undefined;
  /** How many are registered. */
  readonly size: number;
  /** Every registered id and its document, in the order the manifests listed them. */
  entries(): [string, string][];
}

/** The identifier of a document's text: what the portal's build computes, and what a request names. */
export function documentIdOf(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/** A manifest that is there but corrupt or altered: the API does not start, naming the file and each problem. */
export class TrustedDocumentsError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`The trusted documents in ${file} cannot be used (rebuild the portal):\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'TrustedDocumentsError';
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a registered document would not run here (it does not parse, validate or keep within the trusted limits), or null. */
function problemOf(document: string, schema: GraphQLSchema, config: AppConfig): string | null {
  let parsed;
  try {
    parsed = parse(document, { maxTokens: TRUSTED_LIMITS.maxTokens });
  } catch (err) {
    return tokenLimitOf(err) !== null ? `has more than ${TRUSTED_LIMITS.maxTokens} tokens` : (err as Error).message;
  }
  const errors = validate(schema, parsed, [...specifiedRules, ...graphqlValidationRules(config)]);
  return errors.length > 0 ? errors.map((e) => e.message).join(' ') : null;
}

/** The names of a document's operations, for the log. */
function operationNames(document: string): string {
  const names = [...document.matchAll(/\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/g)].map((m) => m[1]);
  return names.length > 0 ? names.join(', ') : 'an anonymous operation';
}

/**
 * Reads the manifests (`sha256:<hex>` → document): the portal's, in
 * `config.portalDir`, and any in `config.trustedDocumentFiles` (the API's spec
 * documents, in tests). A missing manifest registers nothing (the portal is
 * not built: in production a person's session can then run no GraphQL, which
 * is logged as a warning). A manifest that is not JSON, or whose ids are not
 * the SHA-256 of their documents, is a corrupt or altered build: the API does
 * not start. A document that does not validate against this schema or keep
 * within the trusted limits (a portal built against another API) is not
 * registered, and logged as an error naming it: the page that sends it is
 * answered PERSISTED_DOCUMENT_NOT_FOUND, the rest keep working.
 */
export function loadTrustedDocuments(files: readonly string[], schema: GraphQLSchema, config: AppConfig, logger: Logger): TrustedDocuments {
  const documents = new Map<string, string>();
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new TrustedDocumentsError(file, [`cannot be read (${(err as Error).message})`]);
      if (config.production) {
        logger.warn({ file }, `no trusted documents in ${file}: with NODE_ENV=production a person's session can run no GraphQL until the portal is built (npm run build) and the API restarted`);
      } else {
        logger.debug({ file }, `no trusted documents in ${file}`);
      }
      continue;
    }
    let manifest: unknown;
    try {
      manifest = JSON.parse(text);
    } catch (err) {
      throw new TrustedDocumentsError(file, [`is not valid JSON (${(err as Error).message})`]);
    }
    if (!isRecord(manifest)) throw new TrustedDocumentsError(file, ['is not a JSON object of document ids and documents']);
    const corrupt: string[] = [];
    const usable: [string, string][] = [];
    for (const [id, document] of Object.entries(manifest)) {
      if (!SHA256_DOCUMENT_ID.test(id)) corrupt.push(`${JSON.stringify(id.slice(0, 80))} is not a document id (sha256: and 64 lower-case hex digits)`);
      else if (typeof document !== 'string') corrupt.push(`${id} is not a document (a string)`);
      else if (documentIdOf(document) !== id) corrupt.push(`${id} is not the SHA-256 of its document`);
      else usable.push([id, document]);
    }
    if (corrupt.length > 0) throw new TrustedDocumentsError(file, corrupt);
    let registered = 0;
    for (const [id, document] of usable) {
      const problem = problemOf(document, schema, config);
      if (problem) {
        logger.error({ file, documentId: id, problem }, `trusted document ${id} (${operationNames(document)}) in ${file} does not run on this API, so it is not registered: ${problem} Rebuild the portal against this API.`);
      } else if (!documents.has(id)) {
        documents.set(id, document);
        registered++;
      }
    }
    logger.info({ file, documents: registered }, `registered ${registered} trusted documents from ${file}`);
  }
  return {
    get: (documentId) => documents.get(documentId),
    get size() {
      return documents.size;
    },
    entries: () => [...documents.entries()],
  };
}

function refuse(res: Response, status: number, body: unknown): void {
  res.status(status).json(body);
}

/** Refusals of a document over the ad-hoc limits, as Apollo would have formatted them (code, limit, max; no `http`). */
function limitRefusal(res: Response, errors: readonly GraphQLError[]): void {
  const formatted = errors.map((e) => {
    const { http: _http, ...extensions } = e.extensions as Record<string, unknown>;
    return { message: e.message, ...(e.locations ? { locations: e.locations } : {}), extensions };
  });
  res.status(400).json({ errors: formatted });
}

/** The caller is a service client: an Authorization header decides who is calling (auth/identity.ts), whatever cookie comes with it. */
const callsAsService = (req: Request): boolean => Boolean(req.headers.authorization?.trim());

/** A GET's parameters, whose `documentId` becomes `query` for Apollo (which reads the URL itself). */
function replaceInUrl(req: Request, document: string): void {
  const url = new URL(req.url, 'http://signpost.invalid');
  url.searchParams.delete('documentId');
  url.searchParams.set('query', document);
  req.url = `${url.pathname}${url.search}`;
}

/**
 * Mounted on /graphql after graphqlRequestGuard (which has checked the body's
 * shape) and before Apollo: resolves `documentId` to the registered document,
 * and holds documents the caller wrote to the ad-hoc limits and, in
 * production, to service clients.
 */
export function trustedDocumentsGuard(documents: TrustedDocuments, options: { production: boolean }): RequestHandler {
  return (req, res, next) => {
    const get = req.method === 'GET';
    const params: Record<string, unknown> = get ? (req.query as Record<string, unknown>) : (req.body as Record<string, unknown>);
    const documentId = params.documentId;
    const query = params.query;
    if (documentId !== undefined && documentId !== null) {
      if (typeof documentId !== 'string') {
        return refuse(res, 400, errorBody('BAD_REQUEST', '`documentId` must be a string, given once.', {}));
      }
      if (query !== undefined && query !== null) {
        return refuse(res, 400, errorBody('BAD_REQUEST', 'Send a documentId or a query, not both: documents are registered when the portal is built, never by a request.', {}));
      }
      const document = documents.get(documentId);
      if (document === undefined) {
        return refuse(res, 400, errorBody('PERSISTED_DOCUMENT_NOT_FOUND', 'No registered document has this documentId: the page may be older than the server. Reload it, then try again.', {}));
      }
      if (get) replaceInUrl(req, document);
      else {
        const body = req.body as Record<string, unknown>;
        delete body.documentId;
        body.query = document;
      }
      return next();
    }
    if (query === undefined || query === null) return next();
    if (options.production && !callsAsService(req)) {
      return refuse(res, 403, errorBody('FORBIDDEN', "Signpost runs only its portal's own operations for a signed-in person: name one by its documentId. Other documents need a service client's bearer token.", {
        permission: null,
        reason: 'TRUSTED_DOCUMENTS_ONLY',
      }));
    }
    // Anything but one string (two GET parameters) is Apollo's to refuse.
    if (typeof query === 'string') {
      const refusals = adHocDocumentRefusals(query, AD_HOC_LIMITS);
      if (refusals.length > 0) return limitRefusal(res, refusals);
    }
    next();
  };
}
