// Lint, including the layer rule that keeps Cairn's architecture honest:
//   extension/core/      plain TypeScript: never imports `vscode`, the host, or the webview
//   extension/core/agent the agent core: not even the UI protocol (it yields domain events)
//   extension/protocol/  shared with the webview: imports nothing from the extension but itself
//   webview/             imports from extension/ only through extension/protocol/
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodeBan = { name: 'vscode', message: 'extension/core and extension/protocol never import vscode: add a port in extension/core/ports and implement it in extension/host.' };

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.e2e/**', 'coverage/**', '**/*.js', '!eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', URL: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', queueMicrotask: 'readonly', performance: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['extension/core/**/*.ts', 'extension/cli.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [vscodeBan],
        patterns: [
          { group: ['**/host', '**/host/**'], message: 'extension/core never imports extension/host (the host depends on the core, not the other way).' },
          { group: ['**/webview/**'], message: 'extension/core never imports the webview.' },
        ],
      }],
    },
  },
  {
    // The agent core knows nothing of any UI: it yields domain events; the session's view turns them into the panel's.
    files: ['extension/core/agent/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [vscodeBan],
        patterns: [
          { group: ['**/host', '**/host/**'], message: 'extension/core never imports extension/host (the host depends on the core, not the other way).' },
          { group: ['**/webview/**'], message: 'extension/core never imports the webview.' },
          { group: ['**/protocol', '**/protocol/**'], message: 'extension/core/agent knows nothing of the UI protocol: yield domain events (agent/events.ts); core/session/view.ts projects them for the panel.' },
        ],
      }],
    },
  },
  {
    files: ['extension/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [vscodeBan],
        patterns: [{ group: ['**/core', '**/core/**', '**/host', '**/host/**', '**/webview/**'], message: 'extension/protocol is shared with the webview: it imports only itself and zod.' }],
      }],
    },
  },
  {
    files: ['webview/**/*.ts', 'webview/**/*.tsx', 'test/webview/**/*.ts', 'test/webview/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The webview runs in a browser: it talks to the host only through the protocol.' }],
        patterns: [
          { group: ['**/extension/core', '**/extension/core/**', '**/extension/host', '**/extension/host/**', '**/extension/cli'], message: 'The webview shares only extension/protocol with the extension.' },
          { group: ['@vscode/webview-ui-toolkit', '@vscode/webview-ui-toolkit/**'], message: 'Use the toolkit only through the wrappers in webview/src/ui/ (it is deprecated upstream; the wrappers keep a swap to one folder).' },
        ],
      }],
    },
  },
  {
    files: ['webview/src/ui/**/*.ts', 'webview/src/ui/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The webview runs in a browser.' }],
        patterns: [{ group: ['**/extension/core', '**/extension/core/**', '**/extension/host', '**/extension/host/**'], message: 'The webview shares only extension/protocol with the extension.' }],
      }],
    },
  },
);
