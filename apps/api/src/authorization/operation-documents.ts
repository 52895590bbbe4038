import { randomUUID } from 'node:crypto';
import {
  getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType,
  type GraphQLField, type GraphQLInputType, type GraphQLSchema,
} from 'graphql';

/**
 * A valid document and variables for any operation, built from the schema:
 * required arguments only, ids that exist nowhere, plausible values for the
 * rest. Enough to get past validation to the authorization check.
 */
export function documentFor(schema: GraphQLSchema, kind: 'Query' | 'Mutation', name: string): { query: string; variables: Record<string, unknown> } {
  const type = kind === 'Query' ? schema.getQueryType()! : schema.getMutationType()!;
  const field = type.getFields()[name] as GraphQLField<unknown, unknown>;
  const args = field.args.filter((a) => isNonNullType(a.type));
  const variables = Object.fromEntries(args.map((a) => [a.name, valueFor(a.type, a.name)]));
  const defs = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const op = kind === 'Query' ? 'query' : 'mutation';
  return { query: `${op}${defs ? `(${defs})` : ''} { ${name}${call ? `(${call})` : ''} { __typename } }`, variables };
}

function valueFor(type: GraphQLInputType, name: string): unknown {
  if (isNonNullType(type)) return valueFor(type.ofType, name);
  if (isListType(type)) return [valueFor(type.ofType, name)];
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type));
    return Object.fromEntries(fields.map((f) => [f.name, valueFor(f.type, f.name)]));
  }
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isScalarType(type)) {
    switch (getNamedType(type).name) {
      case 'ID':
        return randomUUID();
      case 'Int':
        return 1;
      case 'Boolean':
        return false;
      case 'DateTimeISO':
      case 'DateTime':
        return new Date(Date.now() - 60_000).toISOString();
      default:
        if (/email/i.test(name)) return `matrix-${randomUUID().slice(0, 8)}@signpost.test`;
        if (/password/i.test(name)) return 'a long enough matrix password';
        if (/url|link/i.test(name)) return 'https://www.example.ac.uk/wellbeing';
        if (name === 'scopes') return 'groups:read';
        return `Matrix value ${randomUUID().slice(0, 8)}`;
    }
  }
  throw new Error(`no value for ${String(type)}`);
}
