import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The specs' GraphQL documents (`src/**\/*.graphql`, beside the spec that uses
 * them) typed from the committed contract, `schema.graphql`: the same set-up
 * the portal uses. A document that no longer validates against the schema
 * fails here, before any test runs.
 *
 * Like the portal's, they are trusted documents: the preset writes
 * `persisted-documents.json` (`sha256:<hex>` → document), which the test
 * servers register (testing/test-environment.ts), and the specs' client sends
 * a typed document by its `documentId` (testing/test-client.ts), as the
 * portal does. Documents written in a spec as text travel as ad-hoc `query`.
 */
const config: CodegenConfig = {
  schema: './schema.graphql',
  documents: ['src/**/*.graphql'],
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  generates: {
    './src/testing/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTimeISO: 'string', JSONObject: 'Record<string, unknown>' },
      },
    },
  },
};

export default config;
