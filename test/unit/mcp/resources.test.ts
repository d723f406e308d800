// MCP resources and prompts for the composer, through the host's functions and the real fixture server (SDK server
// classes, stdio): resources listed as @ candidates and read into framed, redacted context; a resource that fails
// or a server that is gone is a problem, not a lost message; prompts listed with their arguments and expanded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { McpManager } from '../../../extension/core/mcp';
import { expandPrompt, promptList, readResources, resourceCandidates } from '../../../extension/host/extensions/resources';
import { readyManager, stdioSpec } from './helpers';

let m: McpManager | undefined;
let dir = '';
afterEach(async () => { await m?.close(); m = undefined; if (dir) rmSync(dir, { recursive: true, force: true }); });
const start = async (...specs: Parameters<typeof stdioSpec>[]) => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-mcp-res-'));
  m = await readyManager(dir, specs.length ? specs.map((s) => stdioSpec(...s)) : [stdioSpec()]);
  return m;
};

describe('MCP resources for @', () => {
  it('lists the ready servers\' resources as candidates, filtered by the query', async () => {
    await start();
    const all = await resourceCandidates(m, '');
    expect(all.map((c) => [c.kind, c.server, c.uri, c.label])).toEqual([
      ['mcp-resource', 'fixture', 'fixture://readme', 'readme'],
      ['mcp-resource', 'fixture', 'fixture://broken', 'broken'],
    ]);
    expect(all[0]!.detail).toBe("fixture · fixture://readme · The fixture's readme");
    expect((await resourceCandidates(m, 'READ')).map((c) => c.uri)).toEqual(['fixture://readme']);
    expect(await resourceCandidates(undefined, '')).toEqual([]);
  });

  it('reads an attached resource into framed, redacted context; a failing one and a gone server are problems', async () => {
    const key = 'sk-ant-resource-secret-0123456789abcdef';
    process.env.CAIRN_TEST_SECRET = key;
    process.env.CAIRN_SECRET_ENV_VARS = 'CAIRN_TEST_SECRET';
    try {
      await start(['fixture', { env: { LEAKED: key } }]);
      const r = await readResources(m, [
        { kind: 'mcp-resource', label: 'readme', server: 'fixture', uri: 'fixture://readme' },
        { kind: 'mcp-resource', label: 'broken', server: 'fixture', uri: 'fixture://broken' },
        { kind: 'mcp-resource', label: 'gone', server: 'nope', uri: 'x://y' },
      ]);
      expect(r.context).toEqual(['<mcp-resource server="fixture" uri="fixture://readme">\nFixture readme. Token: [redacted secret]\n</mcp-resource>']);
      expect(r.problems[0]).toMatch(/^broken: the MCP server "fixture" could not read it \(.*the disk is on fire/);
      expect(r.problems[1]).toBe('gone: the MCP server "nope" is not configured');
    } finally {
      delete process.env.CAIRN_TEST_SECRET;
      delete process.env.CAIRN_SECRET_ENV_VARS;
    }
  });

  it('a stopped server offers no resources and its attachment is a problem', async () => {
    await start();
    await m!.connection('fixture')!.close();
    expect(await resourceCandidates(m, '')).toEqual([]);
    const r = await readResources(m, [{ kind: 'mcp-resource', label: 'readme', server: 'fixture', uri: 'fixture://readme' }]);
    expect(r.problems[0]).toContain('is not running (stopped)');
  });
});

describe('MCP prompts as slash commands', () => {
  it('lists each prompt with its arguments and expands one with arguments', async () => {
    await start();
    expect(await promptList(m)).toEqual([{ server: 'fixture', name: 'review', description: 'Review a file', arguments: [{ name: 'file', required: true }, { name: 'focus', required: false }] }]);
    expect(await expandPrompt(m, 'fixture', 'review', { file: 'src/a.ts', focus: 'error handling' })).toBe('Review src/a.ts with a focus on error handling.');
    await expect(expandPrompt(m, 'fixture', 'nope', {})).rejects.toThrow();
    await expect(expandPrompt(m, 'other', 'review', {})).rejects.toThrow('The MCP server "other" is not configured.');
  });
});
