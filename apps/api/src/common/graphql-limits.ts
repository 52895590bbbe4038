import {
  GraphQLError, Kind, MaxIntrospectionDepthRule, parse, getNamedType, getNullableType, isListType, isObjectType, isInterfaceType,
  type ASTVisitor, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLNamedType,
  type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, type ValidationContext, type ValidationRule,
} from 'graphql';
import type { AppConfig } from '../config.js';

/** What one GraphQL document may ask for. */
export interface GraphQLLimits {
  /** Nested fields, counted along the longest path (`{ me { id } }` is 2). */
  maxDepth: number;
  /** Depth inside `__schema`/`__type`: the standard introspection query is 15 deep (type references nest). */
  maxIntrospectionDepth: number;
  /** Aliased fields in one operation, fragments expanded. */
  maxAliases: number;
  /** Directives in one operation, fragments expanded. */
  maxDirectives: number;
  /** Lexical tokens in the document; the parser stops counting there. */
  maxTokens: number;
  /** Estimated fields resolved: each field 1, times the size of every list it sits in. */
  maxCost: number;
  /** The size assumed for a list without a `first` argument (a group's administrators, a referral's notes...). */
  defaultListSize: number;
  /** `first` is validated to at most this by PageArgs; the cost never assumes more. */
  maxFirst: number;
}

/**
 * The limits of an ad-hoc document: one the caller wrote and sent as `query`
 * (a service client's, or anyone's outside production). Hard-coded rather
 * than configured: they bound the server's work, not a policy choice. The
 * portal's own operations are registered at build time (trusted documents,
 * security/trusted-documents.ts) and held to TRUSTED_LIMITS instead, so these
 * can be tight: the deepest operation of the portal or the API's specs is 7
 * levels, the longest about 200 tokens, and none uses an alias.
 */
export const AD_HOC_LIMITS: Readonly<GraphQLLimits> = Object.freeze({
  maxDepth: 8,
  maxIntrospectionDepth: 20,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 1000,
  maxCost: 10_000,
  defaultListSize: 5,
  maxFirst: 100,
});

/**
 * The limits of a registered (trusted) document, named by `documentId`: it
 * was written and reviewed with the portal and registered when the portal was
 * built, so it may be larger than what a caller may write. Never tighter than
 * AD_HOC_LIMITS in any dimension. Apollo applies these to every document (the
 * parser's token limit and the validation rules); ad-hoc documents were
 * already held to AD_HOC_LIMITS before Apollo saw them.
 */
export const TRUSTED_LIMITS: Readonly<GraphQLLimits> = Object.freeze({
  ...AD_HOC_LIMITS,
  maxDepth: 12,
  maxAliases: 30,
  maxTokens: 5000,
});

/** Lists whose length the domain fixes: two placements, at most three teams, four wording elements. */
export const LIST_SIZES: Readonly<Record<string, number>> = {
  'Group.placements': 2,
  'WordingAgreement.placements': 2,
  'RoutingProposal.byTeam': 3,
  'WordingCheckResult.elements': 4,
};

export type GraphQLLimit = 'depth' | 'aliases' | 'directives' | 'tokens' | 'cost';

/** A refusal the client can act on: GRAPHQL_VALIDATION_FAILED, HTTP 400, `extensions.limit` naming the limit. */
export function limitExceeded(limit: GraphQLLimit, message: string, max: number, nodes?: readonly OperationDefinitionNode[]): GraphQLError {
  return new GraphQLError(message, {
    nodes,
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit, max, http: { status: 400 } },
  });
}

const isIntrospection = (field: FieldNode): boolean => field.name.value === '__schema' || field.name.value === '__type';

interface Shape {
  depth: number;
  /** Depth of the deepest introspection subtree, which `depth` counts as 1. */
  introspectionDepth: number;
  aliases: number;
  directives: number;
}

const EMPTY: Shape = { depth: 0, introspectionDepth: 0, aliases: 0, directives: 0 };

/**
 * Depth, aliases and directives of every operation, fragments expanded.
 * Each fragment is measured once and reused, so a "fragment bomb" (each
 * fragment spreading the previous one twice) costs linear time here while
 * its counts grow, correctly, to Infinity.
 */
function measureDocument(document: DocumentNode): Map<OperationDefinitionNode, Shape> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, Shape>();
  const inProgress = new Set<string>();

  const measure = (set: SelectionSetNode): Shape => {
    const shape: Shape = { ...EMPTY };
    for (const s of set.selections) {
      shape.directives += s.directives?.length ?? 0;
      let inner: Shape;
      if (s.kind === Kind.FIELD) {
        const child = s.selectionSet ? measure(s.selectionSet) : EMPTY;
        // Introspection gets its own, larger depth (its type references nest 15 deep) and MaxIntrospectionDepthRule.
        const introspection = isIntrospection(s);
        inner = {
          depth: introspection ? 1 : 1 + child.depth,
          introspectionDepth: introspection ? 1 + child.depth : child.introspectionDepth,
          aliases: (s.alias ? 1 : 0) + child.aliases,
          directives: child.directives,
        };
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        inner = measure(s.selectionSet);
      } else {
        const name = s.name.value;
        const fragment = fragments.get(name);
        // Unknown or cyclic fragments are reported by graphql-js's own rules.
        if (!fragment || inProgress.has(name)) continue;
        let known = memo.get(name);
        if (!known) {
          inProgress.add(name);
          known = measure(fragment.selectionSet);
          inProgress.delete(name);
          memo.set(name, known);
        }
        inner = known;
      }
      shape.depth = Math.max(shape.depth, inner.depth);
      shape.introspectionDepth = Math.max(shape.introspectionDepth, inner.introspectionDepth);
      shape.aliases += inner.aliases;
      shape.directives += inner.directives;
    }
    return shape;
  };

  const shapes = new Map<OperationDefinitionNode, Shape>();
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    const shape = measure(d.selectionSet);
    shape.directives += d.directives?.length ?? 0;
    shapes.set(d, shape);
  }
  return shapes;
}

/** Every operation of `document` over the depth, alias or directive limits, as refusals (fragments expanded, each measured once). */
export function documentLimitErrors(document: DocumentNode, limits: Readonly<GraphQLLimits>): GraphQLError[] {
  const errors: GraphQLError[] = [];
  for (const [operation, shape] of measureDocument(document)) {
    const name = operation.name ? `Operation "${operation.name.value}"` : 'The operation';
    if (shape.depth > limits.maxDepth) {
      errors.push(limitExceeded('depth', `${name} is nested more than ${limits.maxDepth} levels deep.`, limits.maxDepth, [operation]));
    }
    if (shape.introspectionDepth > limits.maxIntrospectionDepth) {
      errors.push(limitExceeded('depth', `${name} nests introspection more than ${limits.maxIntrospectionDepth} levels deep.`, limits.maxIntrospectionDepth, [operation]));
    }
    if (shape.aliases > limits.maxAliases) {
      errors.push(limitExceeded('aliases', `${name} uses more than ${limits.maxAliases} aliases.`, limits.maxAliases, [operation]));
    }
    if (shape.directives > limits.maxDirectives) {
      errors.push(limitExceeded('directives', `${name} uses more than ${limits.maxDirectives} directives.`, limits.maxDirectives, [operation]));
    }
  }
  return errors;
}

/** Depth, alias and directive limits, checked once the whole document (fragments included) has been read. */
export function documentLimitsRule(limits: Readonly<GraphQLLimits> = TRUSTED_LIMITS): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    Document: {
      leave(document) {
        for (const error of documentLimitErrors(document, limits)) context.reportError(error);
      },
    },
  });
}

/** The parser's refusal of a document with too many tokens: graphql-js 16 says "more that", later versions "more than". */
const TOO_MANY_TOKENS = /^Syntax Error: Document contains more th(?:an|at) (\d+) tokens/;

/** GRAPHQL_PARSE_FAILED, HTTP 400, `limit: "tokens"`: the same answer whichever limit (ad-hoc or trusted) the document exceeded. */
export function tooManyTokens(max: number): GraphQLError {
  return new GraphQLError(`The document has more than ${max} tokens; send a smaller one.`, {
    extensions: { code: 'GRAPHQL_PARSE_FAILED', limit: 'tokens', max, http: { status: 400 } },
  });
}

/** The token count graphql-js stopped at, when `error` is its refusal of a document with too many tokens. */
export function tokenLimitOf(error: unknown): number | null {
  const match = error instanceof GraphQLError ? TOO_MANY_TOKENS.exec(error.message) : null;
  return match ? Number(match[1]) : null;
}

/**
 * An ad-hoc document held to `limits` before Apollo sees it: its refusals
 * (too many tokens; or each operation over the depth, alias or directive
 * limit), none when it is within them. The parser stops at the token limit,
 * so a long document costs no more than a short one to refuse. A document
 * that does not parse for any other reason is left to Apollo, which answers
 * GRAPHQL_PARSE_FAILED as for any syntax error. The cost, which needs the schema and the variables, is
 * checked for every document once the operation is known (checkOperationCost).
 */
export function adHocDocumentRefusals(query: string, limits: Readonly<GraphQLLimits> = AD_HOC_LIMITS): GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxTokens });
  } catch (err) {
    return tokenLimitOf(err) !== null ? [tooManyTokens(limits.maxTokens)] : [];
  }
  return documentLimitErrors(document, limits);
}

/**
 * An operation type the schema does not have (there are no subscriptions)
 * is a validation error, not a failure at execution: graphql-js 16 only
 * notices it when executing, which would surface as an internal error.
 */
export const KnownOperationTypeRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    const schema = context.getSchema();
    const root = node.operation === 'query' ? schema.getQueryType() : node.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
    if (!root) context.reportError(new GraphQLError(`This API has no ${node.operation} operations.`, { nodes: [node] }));
  },
});

/**
 * Apollo's validation rules, for every document: the trusted limits (ad-hoc
 * documents were held to the tighter ones before Apollo, see
 * adHocDocumentRefusals). The token limit is the parser's, the cost limit the plugin's.
 */
export function graphqlValidationRules(_config: AppConfig): ValidationRule[] {
  return [KnownOperationTypeRule, documentLimitsRule(TRUSTED_LIMITS), MaxIntrospectionDepthRule];
}

/**
 * The estimated number of fields an operation resolves: each field counts 1,
 * times the size of every list above it. A connection's `edges` count its
 * `first` (the variable's value when it is one, else the schema default);
 * lists of a fixed size count that (LIST_SIZES), other lists `defaultListSize`. Introspection counts nothing (it is
 * answered from memory and bounded by MaxIntrospectionDepthRule).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: Readonly<GraphQLLimits> = AD_HOC_LIMITS,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, number>();
  const inProgress = new Set<string>();

  const firstOf = (field: FieldNode, fallback: unknown): number => {
    const arg = field.arguments?.find((a) => a.name.value === 'first');
    let value: unknown = fallback;
    if (arg?.value.kind === Kind.INT) value = Number(arg.value.value);
    else if (arg?.value.kind === Kind.VARIABLE) value = variables?.[arg.value.name.value] ?? fallback;
    // A bad `first` is refused as BAD_USER_INPUT by PageArgs; here it counts as the most it could be.
    return typeof value === 'number' && Number.isFinite(value) ? Math.min(Math.max(value, 0), limits.maxFirst) : limits.maxFirst;
  };

  /** `pageSize` is set inside a connection: the size of its `edges`. */
  const cost = (set: SelectionSetNode, parent: GraphQLNamedType | undefined, pageSize: number | null): number => {
    let total = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.INLINE_FRAGMENT) {
        const type = s.typeCondition ? schema.getType(s.typeCondition.name.value) ?? undefined : parent;
        total += cost(s.selectionSet, type, pageSize);
        continue;
      }
      if (s.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(s.name.value);
        const key = `${s.name.value}:${pageSize}`;
        if (!fragment || inProgress.has(key)) continue;
        let known = memo.get(key);
        if (known === undefined) {
          inProgress.add(key);
          known = cost(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? undefined, pageSize);
          inProgress.delete(key);
          memo.set(key, known);
        }
        total += known;
        continue;
      }
      if (s.name.value.startsWith('__')) continue;
      const def = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[s.name.value] : undefined;
      if (!def) {
        total += 1;
        continue;
      }
      const isList = isListType(getNullableType(def.type));
      const firstArg = def.args.find((a) => a.name === 'first');
      let childPageSize: number | null = null;
      let times = 1;
      if (firstArg && isList) times = firstOf(s, firstArg.defaultValue);
      else if (firstArg) childPageSize = firstOf(s, firstArg.defaultValue);
      else if (isList) times = pageSize !== null && s.name.value === 'edges' ? pageSize : LIST_SIZES[`${parent!.name}.${def.name}`] ?? limits.defaultListSize;
      total += 1 + (s.selectionSet ? times * cost(s.selectionSet, getNamedType(def.type), childPageSize) : 0);
    }
    return total;
  };

  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  return cost(operation.selectionSet, root ?? undefined, null);
}

/**
 * The cost limit needs the request's variables (`groups(first: $n)`), which
 * validation rules never see: it is checked once the operation is known,
 * before the request opens its transaction or anything executes
 * (request-transaction.ts), and refuses with HTTP 400.
 */
export function checkOperationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: Readonly<GraphQLLimits> = AD_HOC_LIMITS,
): void {
  const total = operationCost(schema, document, operation, variables, limits);
  if (total <= limits.maxCost) return;
  const name = operation.name ? `Operation "${operation.name.value}"` : 'The operation';
  throw limitExceeded(
    'cost',
    `${name} would resolve about ${total > 1e9 ? 'over a billion' : Math.round(total)} fields; the limit is ${limits.maxCost}. Ask for smaller pages (first) or fewer nested lists.`,
    limits.maxCost,
    [operation],
  );
}
