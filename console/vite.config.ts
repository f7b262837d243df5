/**
 * Builds the web console (console/src) into dist/console, served by Parlor under /console.
 * `npm run build` runs it; the browser tests call Vite's `build` with this file and another
 * outDir. `parlor/client` resolves to the package's own source, as the tsconfig path does.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/console/',
  logLevel: 'warn',
  publicDir: false,
  resolve: {
    alias: { 'parlor/client': here('../src/client/index.ts') },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: here('../dist/console'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
});
