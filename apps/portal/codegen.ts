import type { CodegenConfig } from '@graphql-codegen/cli';
import { Kind, visit, type DocumentNode, type FieldNode, type SelectionSetNode } from 'graphql';

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/**
 * `__typename` in every selection set, as Apollo Client's cache adds it
 * before sending (the same rules: not at the root of an operation, not where
 * a `__`-field is already selected, not under `@export`). The documents the
 * portal runs are then exactly the ones registered, so the cache still
 * normalises the answers of registered documents by type and id.
 */
export function addTypename(document: DocumentNode): DocumentNode {
  return visit(document, {
    SelectionSet: {
      enter(node: SelectionSetNode, _key, parent) {
        if (parent && !Array.isArray(parent) && (parent as { kind?: string }).kind === Kind.OPERATION_DEFINITION) return undefined;
        if (node.selections.some((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'))) return undefined;
        const field = parent as FieldNode | undefined;
        if (field && !Array.isArray(field) && field.kind === Kind.FIELD && field.directives?.some((d) => d.name.value === 'export')) return undefined;
        return { ...node, selections: [...node.selections, TYPENAME] };
      },
    },
  });
}

/**
 * The portal's GraphQL documents (`src/**\/*.graphql`, beside the page that
 * uses them), typed from the API's committed contract. A document that no
 * longer validates against `apps/api/schema.graphql` fails the build.
 *
 * They are the API's trusted documents: the preset writes
 * `src/generated/persisted-documents.json` (`sha256:<hex>` of each
 * operation's text → the text) and gives each document its id
 * (`__meta__.hash`); the build copies the manifest into `dist/` (vite.config.ts),
 * where the API reads it at start, and the portal sends each operation by its
 * id (src/apollo.ts). See docs/security.md, "Trusted documents".
 */
const config: CodegenConfig = {
  schema: '../api/schema.graphql',
  documents: ['src/**/*.graphql'],
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  generates: {
    './src/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      documentTransforms: [{ transform: ({ documents }) => documents.map((file) => ({ ...file, document: file.document && addTypename(file.document) })) }],
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTimeISO: 'string', JSONObject: 'Record<string, unknown>' },
      },
    },
  },
};

export default config;
