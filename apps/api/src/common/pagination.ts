import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { IsOptional, Max, Min, IsString, MaxLength } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Kind, type GraphQLResolveInfo, type SelectionNode } from 'graphql';
import { badInput } from './errors.js';

@ObjectType('PageInfo', { description: 'Relay page information' })
export class PageInfo {
  @Field(() => Boolean) hasNextPage: boolean;
  @Field(() => Boolean) hasPreviousPage: boolean;
  @Field(() => String, { nullable: true }) startCursor: string | null;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20, description: 'At most 100' })
  @IsOptional()
  @Min(1)
  @Max(100)
  first: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  after?: string | null;
}

export interface Edge<T> {
  node: T;
  cursor: string;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** Counted only when asked for: a getter, so the COUNT runs only if the query selects it. */
  readonly totalCount: Promise<number>;
}

/** A Relay connection type for a node type: `XConnection { edges { node cursor } pageInfo totalCount }`. */
export function ConnectionType<T extends object>(name: string, node: ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => node) node: T;
    @Field(() => String) cursor: string;
  }
  @ObjectType(`${name}Connection`)
  class ConnectionTypeClass {
    @Field(() => [EdgeType]) edges: EdgeType[];
    @Field(() => PageInfo) pageInfo: PageInfo;
    @Field(() => Int, { description: 'All matching records the caller may see' }) totalCount: number;
  }
  return ConnectionTypeClass;
}

/** Postgres types a sort key may have; the cursor casts its text back to it. */
export type KeyType = 'timestamptz' | 'text' | 'bigint' | 'integer' | 'uuid';

/** One part of an ordering: an SQL expression (never null), its type and direction. */
export interface SortKey {
  sql: string;
  type: KeyType;
  direction: 'ASC' | 'DESC';
}

const CURSOR_PATTERNS: Record<KeyType, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  bigint: /^[0-9]{1,19}$/,
  integer: /^-?[0-9]{1,9}$/,
  // As Postgres prints timestamptz, or 'infinity' for the register's groups with no review due.
  timestamptz: /^(infinity|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?)$/,
  text: /^[\s\S]{0,500}$/,
};

const refuseCursor = () => badInput('after', 'The cursor is not one this API gave out for this list and order. Start again from the first page.');

/** A cursor names the ordering it belongs to, so one from another sort is refused rather than misread. */
const encodeCursor = (ordering: string, values: string[]): string => Buffer.from(JSON.stringify([ordering, ...values])).toString('base64url');

function decodeCursor(cursor: string, ordering: string, keys: readonly SortKey[]): string[] {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuseCursor();
  }
  if (!Array.isArray(v) || v.length !== keys.length + 1 || v[0] !== ordering || !v.every((x) => typeof x === 'string')) throw refuseCursor();
  const values = v.slice(1) as string[];
  // A forged cursor is bad input, caught here rather than by the database.
  if (!values.every((x, i) => CURSOR_PATTERNS[keys[i]!.type].test(x))) throw refuseCursor();
  return values;
}

export interface PageOptions<T extends ObjectLiteral = ObjectLiteral> {
  /** Names the ordering (e.g. `NAME:ASC`); cursors carry it. */
  ordering: string;
  /**
   * Count the matching rows in the page's own statement (an uncorrelated
   * sub-select PostgreSQL runs once): one round trip fewer when the caller
   * selected totalCount (see `selectsField`).
   */
  countWithPage?: boolean;
  /** Joins and selections for the page's statement only, not the count (e.g. the group of each referral). */
  decoratePage?: (page: SelectQueryBuilder<T>) => void;
  /** The ordering, most significant first; the last key must be unique (the id), so the order is total and stable. */
  keys: readonly SortKey[];
  first: number;
  after?: string | null;
}

/**
 * Keyset pagination over any ordering: the rows after the cursor are those
 * whose keys come later in that ordering — `(k1 > v1) OR (k1 = v1 AND k2 > v2) …`
 * with each key's own direction — compared in SQL at full precision, never
 * through a JS Date; never OFFSET. The query builder carries the caller's
 * scope, so totalCount counts only what the caller may see.
 */
export async function paginateBy<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, opts: PageOptions<T>): Promise<Connection<T>> {
  const countQb = qb.clone();
  const page = qb.clone();
  opts.decoratePage?.(page);
  // Same parameters as the page (both cloned from qb): the sub-select names them as the page does.
  if (opts.countWithPage) page.addSelect(`(${qb.clone().select('count(*)').orderBy().getQuery()})`, 'total_count');
  opts.keys.forEach((k, i) => page.addSelect(`(${k.sql})::text`, `cursor_${i}`));
  if (opts.after) {
    const values = decodeCursor(opts.after, opts.ordering, opts.keys);
    const params: Record<string, string> = {};
    const cast = (i: number) => `CAST(:cursor${i} AS ${opts.keys[i]!.type})`;
    values.forEach((v, i) => (params[`cursor${i}`] = v));
    const alternatives = opts.keys.map((k, i) => {
      const equal = opts.keys.slice(0, i).map((e, j) => `(${e.sql}) = ${cast(j)}`);
      return `(${[...equal, `(${k.sql}) ${k.direction === 'ASC' ? '>' : '<'} ${cast(i)}`].join(' AND ')})`;
    });
    page.andWhere(`(${alternatives.join(' OR ')})`, params);
  }
  opts.keys.forEach((k, i) => (i === 0 ? page.orderBy(`(${k.sql})`, k.direction) : page.addOrderBy(`(${k.sql})`, k.direction)));
  page.limit(opts.first + 1);
  const { entities, raw } = await page.getRawAndEntities();
  const hasNextPage = entities.length > opts.first;
  const rows = entities.slice(0, opts.first);
  const edges = rows.map((node, i) => ({ node, cursor: encodeCursor(opts.ordering, opts.keys.map((_, k) => raw[i][`cursor_${k}`] as string)) }));
  // Counted with the page; an empty page carries no count, so then (only if asked) it is counted on its own.
  let counted: Promise<number> | undefined = opts.countWithPage && raw.length > 0 ? Promise.resolve(Number(raw[0].total_count)) : undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: Boolean(opts.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    get totalCount() {
      return (counted ??= countQb.getCount());
    },
  };
}

/**
 * Whether the field being resolved selects `name` directly (through fragments
 * too), e.g. a connection's totalCount: so a count is made only when asked,
 * and then in the page's own statement.
 */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const seen = new Set<string>();
  const search = (selections: readonly SelectionNode[]): boolean =>
    selections.some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === name;
      if (s.kind === Kind.INLINE_FRAGMENT) return search(s.selectionSet.selections);
      if (seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      const fragment = info.fragments[s.name.value];
      return fragment ? search(fragment.selectionSet.selections) : false;
    });
  return info.fieldNodes.some((node) => (node.selectionSet ? search(node.selectionSet.selections) : false));
}

export interface KeysetOptions {
  /** SQL for the sort key, e.g. `g.created_at`. Compared at full precision in SQL, never via a JS Date. */
  sortKey: string;
  sortType: 'timestamptz' | 'text' | 'bigint';
  /** SQL for the unique tie-breaker. */
  idKey: string;
  idType: 'uuid' | 'bigint';
  direction: 'ASC' | 'DESC';
  first: number;
  after?: string | null;
}

/** One sort key and the id, both in one direction: the common case. */
export function paginate<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, opts: KeysetOptions): Promise<Connection<T>> {
  return paginateBy(qb, {
    ordering: opts.direction,
    keys: [
      { sql: opts.sortKey, type: opts.sortType, direction: opts.direction },
      { sql: opts.idKey, type: opts.idType, direction: opts.direction },
    ],
    first: opts.first,
    after: opts.after,
  });
}
