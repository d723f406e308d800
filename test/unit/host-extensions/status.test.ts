// The panel's status of MCP servers and hooks: what the host sends is valid protocol data, leaves out env values
// and headers, and names hook failures; MCP tool names split into server and tool exactly.
import { describe, expect, it } from 'vitest';
import { parseHooks } from '../../../extension/core/hooks';
import { summarizeServer } from '../../../extension/core/mcp/config';
import { hookKey, statusOf } from '../../../extension/host/extensions/status';
import { ExtensionsStatus, mcpToolParts } from '../../../extension/protocol/mcp';

describe('the panel status', () => {
  it('is valid protocol data; a blocked hook says why, a failed one its last problem; summaries carry no env values or headers', () => {
    const { hooks } = parseHooks({ Stop: [{ command: 'notify done' }], PreToolUse: [{ command: './check.sh', matcher: 'run_command' }] }, 'user', 'test');
    const stdio = { name: 'gh', scope: 'user' as const, source: 't', transport: 'stdio' as const, command: 'gh-mcp', args: ['--stdio'], env: { GITHUB_TOKEN: 'ghp_secretvalue' } };
    const http = { name: 'web', scope: 'project' as const, source: 't', transport: 'http' as const, url: 'https://example.com/mcp?token=abc', headers: { Authorization: 'Bearer xyz' } };
    expect(summarizeServer(stdio)).toBe('gh-mcp --stdio');
    expect(summarizeServer(http)).toBe('https://example.com/mcp');
    const s = statusOf(
      [{ name: 'gh', scope: 'user', transport: 'stdio', state: 'failed', toolCount: 0, tools: [], error: 'exited', stderrTail: 'boom', detail: 'GITHUB_TOKEN=ghp_secretvalue gh-mcp --stdio', summary: summarizeServer(stdio) }],
      [{ hook: hooks[0]! }, { hook: hooks[1]!, why: 'you did not approve this project hook' }],
      new Map([[hookKey('Stop', 'notify done'), { problem: 'exited with code 1', at: 5 }]]),
      ['a problem'],
    );
    expect(ExtensionsStatus.safeParse(s).success).toBe(true);
    expect(JSON.stringify(s)).not.toContain('ghp_secretvalue');
    expect(s.hooks).toEqual([
      { event: 'Stop', command: 'notify done', scope: 'user', state: 'active', lastProblem: 'exited with code 1', lastProblemAt: 5 },
      { event: 'PreToolUse', command: './check.sh', scope: 'user', matcher: 'run_command', state: 'blocked', why: 'you did not approve this project hook' },
    ]);
    expect(s.servers[0]).toMatchObject({ name: 'gh', state: 'failed', stderrTail: 'boom', summary: 'gh-mcp --stdio' });
  });

  it('splits mcp__<server>__<tool> exactly (a server name never holds "__"); other names are not MCP tools', () => {
    expect(mcpToolParts('mcp__github__create_issue')).toEqual({ server: 'github', tool: 'create_issue' });
    expect(mcpToolParts('mcp__my-srv_1__do__it')).toEqual({ server: 'my-srv_1', tool: 'do__it' });
    expect(mcpToolParts('read_file')).toBeUndefined();
    expect(mcpToolParts('mcp__x')).toBeUndefined();
    expect(mcpToolParts('mcp____tool')).toBeUndefined();
  });
});
