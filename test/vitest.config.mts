import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  esbuild: { jsx: 'automatic' },
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'node', environment: 'node', include: ['test/unit/**/*.test.ts', 'test/emulator/**/*.test.ts'] } },
      { extends: true, test: { name: 'webview', environment: 'jsdom', include: ['test/webview/**/*.test.{ts,tsx}'] } },
    ],
  },
});
