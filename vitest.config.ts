import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string): string => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

// Tests run from source: workspace packages resolve to their TypeScript entry points.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@netreach\/core$/, replacement: src('core') },
      { find: /^@netreach\/cli$/, replacement: src('cli') },
      { find: /^@netreach\/server$/, replacement: src('server') },
      { find: /^@netreach\/vitest$/, replacement: src('vitest') },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
