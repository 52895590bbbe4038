import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

/** The API the dev server sends /graphql and /auth to (npm start serves both on one port). */
const API = process.env.SIGNPOST_API_URL ?? 'http://localhost:4000';

export default defineConfig({
  plugins: [vue()],
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
