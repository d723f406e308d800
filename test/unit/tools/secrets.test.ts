/**
 * No key in child processes, none in tool output: children of the Node process port (every command Cairn runs)
 * start without ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN and the variables marked secret (setting or
 * CAIRN_SECRET_ENV_VARS); the key's value is removed from run_command, read_file and grep output wherever it
 * appears, whatever its shape.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createNodeProcessPort } from '../../../extension/core/tools/node-process';
import { runCommandTool } from '../../../extension/core/tools/run-command';
import { readFileTool } from '../../../extension/core/tools/read-file';
import { createGrepTool } from '../../../extension/core/tools/grep';
import { registerSecretValue, scrubEnv, secretEnvNames, setSecretEnvVars } from '../../../extension/core/util/secrets';
import { redact, redactForModel } from '../../../extension/core/util/redact';
import { createAnthropicProvider } from '../../../extension/core/providers/anthropic';
import { makeCtx, tempWorkspace } from './helpers';

const KEY = 'sk-ant-api03-CHILDPROCESSTESTKEY0123456789abcdefghijkl';
const TOKEN = 'oauth-token-value-0123456789';
const saved = { ...process.env };
let root: string;

beforeEach(() => {
  root = tempWorkspace();
  process.env.ANTHROPIC_API_KEY = KEY;
  process.env.ANTHROPIC_AUTH_TOKEN = TOKEN;
  process.env.MY_DB_PASSWORD = 'hunter2-hunter2';
  process.env.AWS_SECRET_ACCESS_KEY = 'aws-secret-0123456789';
  process.env.HARMLESS_SETTING = 'visible';
});
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  setSecretEnvVars([]);
  fs.rmSync(root, { recursive: true, force: true });
});

async function childEnv(): Promise<Record<string, string>> {
  const port = createNodeProcessPort();
  const r = await port.run({ argv: [process.execPath, '-e', 'process.stdout.write(JSON.stringify(process.env))'], cwd: root, timeoutMs: 10_000, visible: false, signal: new AbortController().signal });
  expect(r.exitCode).toBe(0);
  return JSON.parse(r.output) as Record<string, string>;
}

describe('child processes', () => {
  it('never inherit the key or the auth token; other variables pass', async () => {
    const env = await childEnv();
    expect(env.ANTHROPIC_API_KEY).toBeUndefined();
    expect(env.ANTHROPIC_AUTH_TOKEN).toBeUndefined();
    expect(env.HARMLESS_SETTING).toBe('visible');
    expect(env.MY_DB_PASSWORD).toBe('hunter2-hunter2'); // not marked secret: a user's tools may need it
  });
  it('drop the variables the user marks secret (setting, with * prefixes; CAIRN_SECRET_ENV_VARS for the CLI)', async () => {
    setSecretEnvVars(['MY_DB_PASSWORD', 'AWS_*']);
    let env = await childEnv();
    expect(env.MY_DB_PASSWORD).toBeUndefined();
    expect(env.AWS_SECRET_ACCESS_KEY).toBeUndefined();
    setSecretEnvVars([]);
    process.env.CAIRN_SECRET_ENV_VARS = 'MY_DB_PASSWORD, AWS_SECRET_ACCESS_KEY';
    env = await childEnv();
    expect(env.MY_DB_PASSWORD).toBeUndefined();
    expect(env.AWS_SECRET_ACCESS_KEY).toBeUndefined();
    expect(secretEnvNames()).toEqual(['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'MY_DB_PASSWORD', 'AWS_SECRET_ACCESS_KEY']);
  });
  it('an explicit environment is scrubbed too', () => {
    expect(scrubEnv({ ANTHROPIC_API_KEY: 'x', PATH: '/bin' })).toEqual({ PATH: '/bin' });
  });
});

describe('tool output reaching the model', () => {
  it('has the key value removed from run_command, read_file and grep output, whatever the key looks like', async () => {
    const odd = 'plainkeywithoutprefix-0123456789';
    createAnthropicProvider({ apiKey: odd, baseURL: 'http://127.0.0.1:9' }); // the provider registers the key it was given
    fs.writeFileSync(path.join(root, 'leak.txt'), `key=${odd}\nenv=${KEY}\ntoken=${TOKEN}\n`);
    const ctx = makeCtx(root, {}, { process: createNodeProcessPort() });
    const ran = await runCommandTool.execute({ command: 'cat leak.txt' }, ctx);
    const read = await readFileTool.execute({ path: 'leak.txt' }, ctx);
    const grep = await createGrepTool().execute({ pattern: '=' }, ctx);
    for (const out of [ran.content, read.content, grep.content]) {
      expect(out).not.toContain(odd);
      expect(out).not.toContain(KEY);
      expect(out).not.toContain(TOKEN);
      expect(out).toContain('[redacted secret]');
    }
  });
  it('source code that mentions auth headers reaches the model unchanged; logs still redact headers', () => {
    const code = 'headers: { authorization: token, "x-api-key": apiKey }';
    expect(redactForModel(code)).toBe(code);
    expect(redact(code)).not.toContain('authorization: token');
  });
  it('registered values are redacted in logs and transcripts too', () => {
    registerSecretValue('registered-secret-value-42');
    expect(redact('a registered-secret-value-42 b')).toBe('a [redacted secret] b');
    registerSecretValue('short'); // too short to redact as text
    expect(redact('short')).toBe('short');
  });
});
