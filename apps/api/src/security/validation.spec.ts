import { describe, expect, it } from 'vitest';
import { parse, validate, specifiedRules, Kind, type OperationDefinitionNode } from 'graphql';
import { isWebUrl } from '../common/validation.js';
import pino from 'pino';
import { createFormatError, describeCoercionError } from '../common/format-error.js';
import { AppError } from '../common/errors.js';
import { AD_HOC_LIMITS, LIST_SIZES, TRUSTED_LIMITS, adHocDocumentRefusals, documentLimitsRule, operationCost, type GraphQLLimits } from '../common/graphql-limits.js';
import { createSchema } from '../schema.js';
import { HOSTILE_URLS } from './hostile-values.js';
import { MAX_VALUE_DEPTH, nestingDepth } from './graphql-http-guard.js';

describe('isWebUrl', () => {
  it.each(HOSTILE_URLS)('refuses %j', (url) => {
    expect(isWebUrl(url)).toBe(false);
  });

  it.each([
    'https://www.example.ac.uk/wellbeing',
    'http://example.com',
    'HTTPS://EXAMPLE.COM/Path?q=1#frag',
    'https://www.instagram.com/p/Cx1_abc-9/?igsh=abc%3D%3D',
    'https://localhost:8443/x',
    'https://bücher.example/',
  ])('accepts %j', (url) => {
    expect(isWebUrl(url)).toBe(true);
  });

  it('refuses what is not a string', () => {
    for (const v of [null, undefined, 1, {}, ['https://example.com']]) expect(isWebUrl(v)).toBe(false);
  });
});

describe('describeCoercionError', () => {
  it('names the field and leaves the value out', () => {
    const reason = 'Value "<script>" does not exist in "Platform" enum. Did you mean the enum value "X"?';
    const d = describeCoercionError(`Variable "$input" got invalid value "<script>" at "input.platform"; ${reason}`, reason, true);
    expect(d).toEqual({ field: 'input.platform', message: 'input.platform must be one of the values of Platform.' });
  });

  it('names an unknown or missing field inside the object', () => {
    const unknown = 'Field "bogus" is not defined by type "RoutingDecisionInput".';
    expect(describeCoercionError(`Variable "$input" got invalid value { mode: "AUTO", bogus: 1 } at "input.routing"; ${unknown}`, unknown, true)?.field)
      .toBe('input.routing.bogus');
    const missing = 'Field "name" of required type "String!" was not provided.';
    expect(describeCoercionError(`Variable "$input" got invalid value {}; ${missing}`, missing, true))
      .toEqual({ field: 'input.name', message: 'input.name is required (String!).' });
  });

  it('is not fooled by a value that imitates the path', () => {
    const reason = 'String cannot represent a non string value: 5';
    const value = JSON.stringify('x" at "input.evil"; y');
    const d = describeCoercionError(`Variable "$input" got invalid value ${value} at "input.name"; ${reason}`, reason, true);
    expect(d?.field).toBe('input.name');
  });

  it('keeps suggestions outside production only', () => {
    const reason = 'Field "nmae" is not defined by type "CreateGroupInput". Did you mean "name"?';
    const message = `Variable "$input" got invalid value { nmae: "x" }; ${reason}`;
    expect(describeCoercionError(message, reason, false)?.message).toContain('Did you mean "name"?');
    expect(describeCoercionError(message, reason, true)?.message).not.toContain('Did you mean');
  });
});

describe('createFormatError', () => {
  const format = createFormatError(pino({ level: 'silent' }), { production: true });

  it('masks what it does not know, whatever the error says', () => {
    const err = Object.assign(new Error('relation "contact_log_entries" does not exist'), { query: 'SELECT * FROM contact_log_entries' });
    expect(format({ message: err.message, extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at /app/x.js:1'] } }, err)).toEqual({
      message: 'Something went wrong on our side. Try again; if it keeps happening, tell the Signpost team.',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
      locations: undefined,
      path: undefined,
    });
  });

  it('answers a value the database refused as data as bad input, without the SQL', () => {
    const err = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { driverError: { code: '22021' }, query: 'INSERT INTO groups ...' });
    const out = format({ message: err.message }, err);
    // The contract's shape for BAD_USER_INPUT: the field at fault (the whole input: the database does not say which) and the list.
    expect(out.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input', fields: [{ field: 'input', message: out.message }] });
    expect(out.message).not.toMatch(/UTF8|INSERT|groups/);
  });

  it("keeps a contract error's code and details, but not Apollo's http instructions", () => {
    const err = new AppError('UNAUTHENTICATED', 'The bearer token is not valid.', { reason: 'INVALID_TOKEN' }, { status: 401 });
    expect(format({ message: err.message, extensions: { code: 'UNAUTHENTICATED' } }, err).extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
  });
});

describe('GraphQL limits', async () => {
  const schema = await createSchema();
  const limitErrors = (query: string, limits: Readonly<GraphQLLimits> = AD_HOC_LIMITS) =>
    validate(schema, parse(query), [...specifiedRules, documentLimitsRule(limits)]).map((e) => e.extensions?.limit ?? e.message);
  const cost = (query: string, variables?: Record<string, unknown>) => {
    const document = parse(query);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    return operationCost(schema, document, operation, variables);
  };
  // `currentWording { group { ... } }` nests single objects, so only depth grows.
  const nested = (depth: number): string => {
    let inner = 'id';
    for (let level = depth - 1; level >= 2; level--) inner = level % 2 === 0 ? `currentWording { ${inner} }` : `group { ${inner} }`;
    return `query($id: ID!) { group(id: $id) { ${inner} } }`;
  };
  const aliased = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: me { id }`).join(' ');
  const spread = (n: number) => Array.from({ length: n }, () => '...F').join(' ');

  it('holds ad-hoc documents to depth 8, 15 aliases, 50 directives and 1,000 tokens; trusted ones to 12, 30, 50 and 5,000', () => {
    expect(AD_HOC_LIMITS).toMatchObject({ maxDepth: 8, maxAliases: 15, maxDirectives: 50, maxTokens: 1000 });
    expect(TRUSTED_LIMITS).toMatchObject({ maxDepth: 12, maxAliases: 30, maxDirectives: 50, maxTokens: 5000 });
    // A registered document is never held tighter than one the caller wrote, and the rest is shared.
    for (const key of Object.keys(AD_HOC_LIMITS) as (keyof GraphQLLimits)[]) expect(TRUSTED_LIMITS[key], key).toBeGreaterThanOrEqual(AD_HOC_LIMITS[key]);
    expect({ ...TRUSTED_LIMITS, maxDepth: 0, maxAliases: 0, maxTokens: 0 }).toEqual({ ...AD_HOC_LIMITS, maxDepth: 0, maxAliases: 0, maxTokens: 0 });
  });

  it.each([['ad-hoc', AD_HOC_LIMITS], ['trusted', TRUSTED_LIMITS]] as const)('allows the %s depth and refuses one level more', (_, limits) => {
    expect(limitErrors(nested(limits.maxDepth), limits)).toEqual([]);
    expect(limitErrors(nested(limits.maxDepth + 1), limits)).toEqual(['depth']);
  });

  it.each([['ad-hoc', AD_HOC_LIMITS], ['trusted', TRUSTED_LIMITS]] as const)('allows the %s number of aliases and directives and refuses one more', (_, limits) => {
    expect(limitErrors(`{ ${aliased(limits.maxAliases)} }`, limits)).toEqual([]);
    expect(limitErrors(`{ ${aliased(limits.maxAliases + 1)} }`, limits)).toEqual(['aliases']);
    const directives = (n: number) => `{ me { ${Array.from({ length: n }, (_, i) => `f${i}: id @include(if: true)`).join(' ')} } }`;
    // The directives' own aliases are under a generous alias limit here, so only the directives count.
    const loose = { ...limits, maxAliases: 1000 };
    expect(limitErrors(directives(limits.maxDirectives), loose)).toEqual([]);
    expect(limitErrors(directives(limits.maxDirectives + 1), loose)).toEqual(['directives']);
  });

  it('counts depth through fragments and inline fragments', () => {
    const q = `query($id: ID!) { group(id: $id) { ...A } }
      fragment A on Group { currentWording { ... on WordingAgreement { group { ...A } } } }`;
    // A cycle: graphql-js refuses it; the limit must not loop on it.
    expect(limitErrors(q)).toContain('Cannot spread fragment "A" within itself.');
  });

  it('refuses an ad-hoc document over its limits before Apollo, stopping the parser at 1,000 tokens', () => {
    // `{ me { id } ... }`: 2 + 4 per field. 249 fields are 998 tokens, 250 are 1,002.
    const fields = (n: number) => `{ ${'me { id } '.repeat(n)}}`;
    expect(adHocDocumentRefusals(fields(249))).toEqual([]);
    const [tokens] = adHocDocumentRefusals(fields(250));
    expect(tokens?.extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED', limit: 'tokens', max: 1000 });
    // The example: 300 fragments, about 2,700 tokens, each fragment small. Accepted before; refused now.
    const fragments = Array.from({ length: 300 }, (_, i) => `fragment F${i} on Query { me { id } }`).join('\n');
    expect(adHocDocumentRefusals(`{ ${Array.from({ length: 300 }, (_, i) => `...F${i}`).join(' ')} }\n${fragments}`).map((e) => e.extensions.limit)).toEqual(['tokens']);
    // Every limit an operation exceeds is named, with the operation.
    const both = adHocDocumentRefusals(`query Wide($id: ID!) { group(id: $id) { ${'currentWording { group { '.repeat(4)}id${' } }'.repeat(4)} } ${aliased(16)} }`);
    expect(both.map((e) => [e.extensions.limit, e.extensions.max, e.message])).toEqual([
      ['depth', 8, 'Operation "Wide" is nested more than 8 levels deep.'],
      ['aliases', 15, 'Operation "Wide" uses more than 15 aliases.'],
    ]);
    // A document that does not parse for another reason is Apollo's to answer (GRAPHQL_PARSE_FAILED, as ever).
    expect(adHocDocumentRefusals('{ me { id ')).toEqual([]);
    // The same documents are within the trusted limits.
    expect(adHocDocumentRefusals(fields(250), TRUSTED_LIMITS)).toEqual([]);
  });

  it('names only list fields of the schema in LIST_SIZES', async () => {
    const { isListType: isList, getNullableType: nullable, isObjectType } = await import('graphql');
    for (const key of Object.keys(LIST_SIZES)) {
      const [typeName, fieldName] = key.split('.') as [string, string];
      const type = schema.getType(typeName);
      const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
      expect(field && isList(nullable(field.type)), key).toBe(true);
    }
  });

  it('lets the standard introspection query through, but not introspection nested without end', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    // As an ad-hoc document too: GraphQL tools keep working outside production.
    expect(validate(schema, parse(getIntrospectionQuery()), [documentLimitsRule(AD_HOC_LIMITS)])).toEqual([]);
    expect(adHocDocumentRefusals(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true }))).toEqual([]);
    const ofTypes = (n: number) => `{ __type(name: "Group") { ${'ofType { '.repeat(n)}name${' }'.repeat(n)} } }`;
    expect(limitErrors(ofTypes(AD_HOC_LIMITS.maxIntrospectionDepth - 2))).toEqual([]);
    expect(limitErrors(ofTypes(AD_HOC_LIMITS.maxIntrospectionDepth))).toEqual(['depth']);
  });

  it('counts aliases and directives through fragments, with multiplicity', () => {
    // Ad-hoc: 3 × 5 aliases is 15, 4 × 4 is 16.
    expect(limitErrors(`{ ${spread(3)} } fragment F on Query { a: me { id } b: me { id } c: me { id } d: me { id } e: me { id } }`)).toEqual([]);
    expect(limitErrors(`{ ${spread(4)} } fragment F on Query { a: me { id } b: me { id } c: me { id } d: me { id } }`)).toEqual(['aliases']);
    // Trusted: 3 × 10 is 30, 4 × 8 is 32.
    expect(limitErrors(`{ ${spread(3)} } fragment F on Query { a: me { id } b: me { id } c: me { id } d: me { id } e: me { id } f: me { id } g: me { id } h: me { id } i: me { id } j: me { id } }`, TRUSTED_LIMITS))
      .toEqual([]);
    expect(limitErrors(`{ ${spread(4)} } fragment F on Query { a: me { id } b: me { id } c: me { id } d: me { id } e: me { id } f: me { id } g: me { id } h: me { id } }`, TRUSTED_LIMITS))
      .toEqual(['aliases']);
    expect(limitErrors(`{ ${spread(50)} } fragment F on Query { me { id @include(if: true) } }`)).toEqual([]);
    expect(limitErrors(`{ ${spread(51)} } fragment F on Query { me { id @include(if: true) } }`)).toEqual(['directives']);
  });

  it('costs lists by first, nesting multiplies, and a fragment bomb is infinite rather than slow', () => {
    expect(cost('{ me { id } }')).toBe(2);
    expect(cost('{ groups(first: 10) { totalCount edges { node { id name } } } }')).toBe(1 + 1 + 1 + 10 * (1 + 2));
    expect(cost('query($n: Int) { groups(first: $n) { edges { node { id } } } }', { n: 50 })).toBe(1 + 1 + 50 * 2);
    // No first: the schema's default page (20).
    expect(cost('{ groups { edges { node { id } } } }')).toBe(1 + 1 + 20 * 2);
    // A first beyond what PageArgs accepts counts as the most it accepts.
    expect(cost('{ groups(first: 100000) { edges { node { id } } } }')).toBe(1 + 1 + 100 * 2);
    // Lists without first count defaultListSize, times the page they sit in.
    expect(cost('{ groups(first: 100) { edges { node { administrators { id } } } } }')).toBe(1 + 1 + 100 * (1 + 1 + AD_HOC_LIMITS.defaultListSize));
    // Lists of a fixed size count that size.
    expect(cost('{ groups(first: 10) { edges { node { placements { id } } } } }')).toBe(1 + 1 + 10 * (1 + 1 + 2 * 1));
    let bomb = 'fragment F0 on Query { me { id } }';
    for (let i = 1; i <= 60; i++) bomb += ` fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`;
    expect(cost(`{ ...F60 } ${bomb}`)).toBeGreaterThan(AD_HOC_LIMITS.maxCost);
  });
});

describe('nestingDepth', () => {
  it('counts objects and lists inside one another, the value itself included', () => {
    expect(nestingDepth('text', MAX_VALUE_DEPTH)).toBe(0);
    expect(nestingDepth({}, MAX_VALUE_DEPTH)).toBe(1);
    expect(nestingDepth({ input: { ids: ['a'] } }, MAX_VALUE_DEPTH)).toBe(3);
    expect(nestingDepth({ wide: [1, 2, { a: null }], deep: [[[[]]]], after: 'x' }, MAX_VALUE_DEPTH)).toBe(5);
  });

  it('measures 100,000 levels without overflowing the stack, and stops once past the limit', () => {
    let deep: unknown = [];
    for (let i = 1; i < 100_000; i++) deep = [deep];
    expect(nestingDepth(deep, 200_000)).toBe(100_000);
    expect(nestingDepth({ ok: 1, junk: deep }, MAX_VALUE_DEPTH)).toBe(MAX_VALUE_DEPTH + 1);
  });
});
