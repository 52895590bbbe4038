import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { IsOptional, Max, Min, IsString, MaxLength } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
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

type CursorValue = [string, string];

const encodeCursor = (value: CursorValue): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function decodeCursor(cursor: string): CursorValue {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string')) return v as CursorValue;
  } catch {
    // fall through
  }
  throw badInput('after', 'The cursor is not one this API gave out. Start again from the first page.');
}

const CURSOR_PATTERNS: Record<KeysetOptions['sortType'] | KeysetOptions['idType'], RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  bigint: /^[0-9]{1,19}$/,
  // As Postgres prints timestamptz, or 'infinity' for the register's groups with no review due.
  timestamptz: /^(infinity|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?)$/,
  text: /^[\s\S]{0,500}$/,
};

export interface KeysetOptions {
  /** SQL for the sort key, e.g. `g.created_at`. Compared at full precision in SQL, never via a JS Date. */
  sortKey: string;
  /** Postgres type of the sort key, to cast the cursor back. */
  sortType: 'timestamptz' | 'text' | 'bigint';
  /** SQL for the unique tie-breaker. */
  idKey: string;
  idType: 'uuid' | 'bigint';
  direction: 'ASC' | 'DESC';
  first: number;
  after?: string | null;
}

/**
 * Keyset pagination: `(sort, id) > (cursor)` reads straight off an index in the
 * same order; never OFFSET. The query builder carries the caller's scope, so
 * totalCount counts only what the caller may see.
 */
export async function paginate<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, opts: KeysetOptions): Promise<Connection<T>> {
  const countQb = qb.clone();
  const op = opts.direction === 'ASC' ? '>' : '<';
  const page = qb.clone().addSelect(`(${opts.sortKey})::text`, 'cursor_sort').addSelect(`(${opts.idKey})::text`, 'cursor_id');
  if (opts.after) {
    const [sort, id] = decodeCursor(opts.after);
    // A forged cursor is bad input, caught here rather than by the database.
    if (!CURSOR_PATTERNS[opts.idType].test(id) || !CURSOR_PATTERNS[opts.sortType].test(sort)) {
      throw badInput('after', 'The cursor is not one this API gave out. Start again from the first page.');
    }
    page.andWhere(`((${opts.sortKey}), ${opts.idKey}) ${op} (CAST(:cursorSort AS ${opts.sortType}), CAST(:cursorId AS ${opts.idType}))`, {
      cursorSort: sort,
      cursorId: id,
    });
  }
  page.orderBy(`(${opts.sortKey})`, opts.direction).addOrderBy(opts.idKey, opts.direction).limit(opts.first + 1);
  const { entities, raw } = await page.getRawAndEntities();
  const hasNextPage = entities.length > opts.first;
  const rows = entities.slice(0, opts.first);
  const edges = rows.map((node, i) => ({ node, cursor: encodeCursor([raw[i].cursor_sort, raw[i].cursor_id]) }));
  let counted: Promise<number> | undefined;
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
