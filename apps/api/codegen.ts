import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The specs' GraphQL documents (`src/**\/*.graphql`, beside the spec that uses
 * them) typed from the committed contract, `schema.graphql`: the same set-up
 * the portal uses. A document that no longer validates against the schema
 * fails here, before any test runs.
 */
const config: CodegenConfig = {
  schema: './schema.graphql',
  documents: ['src/**/*.graphql'],
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  generates: {
    './src/testing/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTimeISO: 'string', JSONObject: 'Record<string, unknown>' },
      },
    },
  },
};

export default config;
