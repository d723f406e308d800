/**
 * The bash grammar (tree-sitter, the build VS Code ships in @vscode/tree-sitter-wasm) on the web-tree-sitter
 * runtime. The permission engine is synchronous, so the grammar is made ready without waiting on I/O: both wasm
 * files are read and compiled synchronously, and the runtime is instantiated through a synchronous
 * `instantiateWasm` hook. What is left are promise continuations, so the parser is ready before the next I/O
 * callback runs; in practice before the first tool call can arrive. Until then (and if loading failed) the
 * engine asks instead of guessing (fail closed). Loading happens once per process.
 *
 * Where the wasm files are: next to the bundle (esbuild copies them into dist/), else in node_modules (tests,
 * development).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type * as TreeSitter from 'web-tree-sitter';

// The CommonJS build, by a plain require: bundled into dist/ (the ESM build needs import.meta, which a CommonJS
// bundle does not have).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Language, Parser } = require('web-tree-sitter') as typeof TreeSitter;
type Parser = TreeSitter.Parser;

export const RUNTIME_WASM = 'web-tree-sitter.wasm';
export const BASH_WASM = 'tree-sitter-bash.wasm';

/** The slice of the WebAssembly API used here (the project's lib settings have no WebAssembly types). */
interface Wasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

let parser: Parser | undefined;
let failure: string | undefined;
let loading: Promise<void> | undefined;

function locate(name: string, pkgPath: string): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [path.join(here, name), path.join(here, '..', 'dist', name)];
  try { candidates.push(createRequire(typeof __filename === 'string' ? __filename : path.join(process.cwd(), 'x.js')).resolve(pkgPath)); } catch { /* not installed */ }
  const found = candidates.find((c) => { try { return fs.statSync(c).isFile(); } catch { return false; } });
  if (!found) throw new Error(`${name} was not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** Start loading the grammar (idempotent). Resolves when the parser is ready; never rejects. */
export function loadBashGrammar(): Promise<void> {
  if (loading) return loading;
  try {
    const runtime = new wasm.Module(fs.readFileSync(locate(RUNTIME_WASM, 'web-tree-sitter/web-tree-sitter.wasm')));
    const bash = new wasm.Module(fs.readFileSync(locate(BASH_WASM, '@vscode/tree-sitter-wasm/wasm/tree-sitter-bash.wasm')));
    const options = {
      instantiateWasm(imports: object, done: (instance: object, module: object) => void) {
        const instance = new wasm.Instance(runtime, imports);
        done(instance, runtime);
        return instance.exports;
      },
    };
    loading = Parser.init(options as never).then(() => {
      const p = new Parser();
      p.setLanguage(Language.loadSync(bash as never));
      parser = p;
    }).catch((e: unknown) => { failure = `the shell grammar failed to load: ${e instanceof Error ? e.message : String(e)}`; });
  } catch (e) {
    failure = `the shell grammar failed to load: ${e instanceof Error ? e.message : String(e)}`;
    loading = Promise.resolve();
  }
  return loading;
}

/** The ready parser, or undefined (still loading, or failed: see grammarProblem()). */
export function bashParser(): Parser | undefined {
  return parser;
}

/** Why commands cannot be parsed right now, or undefined when the parser is ready. */
export function grammarProblem(): string | undefined {
  if (parser) return undefined;
  if (failure) return failure;
  if (!loading) void loadBashGrammar();
  return failure ?? 'the shell grammar is still loading';
}
