import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';

/** The API the dev server sends /graphql and /auth to (npm start serves both on one port). */
const API = process.env.SIGNPOST_API_URL ?? 'http://localhost:4000';

/** What codegen.ts writes: every operation of the portal, `sha256:<hex>` → its text. */
const MANIFEST = fileURLToPath(new URL('./src/generated/persisted-documents.json', import.meta.url));
/** Where the API reads it at start: beside index.html in the build (config.portalDir). */
const MANIFEST_IN_BUILD = 'persisted-documents.json';

/**
 * Trusted documents: the build carries the manifest of the portal's
 * operations into `dist/`, for the API to register. Every document id the
 * built code sends must be in it, or the build fails (with NODE_ENV=production
 * the API would refuse that operation for everyone signed in).
 */
function trustedDocuments(): Plugin {
  return {
    name: 'signpost-trusted-documents',
    apply: 'build',
    generateBundle(_options, bundle) {
      let text: string;
      try {
        text = readFileSync(MANIFEST, 'utf8');
      } catch {
        this.error(`${MANIFEST} is missing: run npm run codegen (npm run build does) before vite build.`);
      }
      const manifest = JSON.parse(text) as Record<string, string>;
      const missing = new Set<string>();
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        for (const [id] of chunk.code.matchAll(/sha256:[0-9a-f]{64}/g)) if (!(id in manifest)) missing.add(id);
      }
      if (missing.size > 0) this.error(`The built code sends documents that are not in ${MANIFEST}: ${[...missing].join(', ')}. Run npm run codegen, then build again.`);
      this.emitFile({ type: 'asset', fileName: MANIFEST_IN_BUILD, source: `${JSON.stringify(manifest, null, 2)}\n` });
    },
  };
}

export default defineConfig({
  plugins: [vue(), trustedDocuments()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  css: {
    preprocessorOptions: { scss: { quietDeps: true } },
    // GOV.UK Frontend still carries an old-IE `@media (min-width: 0\0)` hack that LightningCSS refuses: drop it.
    lightningcss: { errorRecovery: true },
  },
  server: {
    port: 5173,
    proxy: { '/graphql': API, '/auth': API },
  },
});
