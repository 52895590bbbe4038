import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The portal's GraphQL documents (`src/**\/*.graphql`, beside the page that
 * uses them), typed from the API's committed contract. A document that no
 * longer validates against `apps/api/schema.graphql` fails the build.
 */
const config: CodegenConfig = {
  schema: '../api/schema.graphql',
  documents: ['src/**/*.graphql'],
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  generates: {
    './src/generated/': {
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
