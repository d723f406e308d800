/**
 * MCP servers and hooks: each server with its state (starting, ready, failed with the tail of its stderr,
 * blocked and why), its tools and a restart button, and a notice when its tools changed since the session started;
 * each hook with its event, command and whether it runs (or its last failure); the configuration's mistakes.
 */
import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { HookInfo, McpServerInfo } from '../../protocol';
import { Button, Icon, IconButton } from '../../ui';
import type { McpStore } from './mcpStore';

const STATE_ICON: Record<McpServerInfo['state'], { icon: string; spin?: boolean }> = {
  starting: { icon: 'loading', spin: true }, ready: { icon: 'pass' }, failed: { icon: 'error' }, blocked: { icon: 'shield' }, stopped: { icon: 'circle-slash' },
};

export function McpPanel({ store: mcp }: { store: McpStore }) {
  useEffect(() => { void mcp.actions.load(); }, [mcp]);
  const s = useStore(mcp.store);
  const a = mcp.actions;
  if (s.status === 'idle' || s.status === 'loading') return <section className="mcp-view" data-testid="mcp-view"><p>Loading MCP servers…</p></section>;
  if (s.status === 'error') {
    return (
      <section className="mcp-view" data-testid="mcp-view" role="alert">
        <p>Could not load the MCP servers: {s.error}</p>
        <Button testId="mcp-reload" onClick={() => void a.load()}>Reload</Button>
      </section>
    );
  }
  return (
    <section className="mcp-view" data-testid="mcp-view" aria-label="MCP servers and hooks">
      {s.error && (
        <div className="notice notice-error" role="alert" data-testid="mcp-error">
          <span className="notice-text">{s.error}</span>
          <IconButton icon="close" label="Dismiss" onClick={a.dismissError} />
        </div>
      )}
      <h3>MCP servers</h3>
      {s.servers.length === 0
        ? <p className="hint" data-testid="mcp-empty">No MCP servers. Add yours in the user setting <code>cairn.mcpServers</code>, or a project's in <code>.agent/mcp.json</code>.</p>
        : <ul className="mcp-servers">{s.servers.map((srv) => <ServerRow key={srv.name} server={srv} restarting={s.restarting.includes(srv.name)} onRestart={() => void a.restart(srv.name)} />)}</ul>}
      {s.hooks.length > 0 && (
        <>
          <h3>Hooks</h3>
          <ul className="mcp-hooks">{s.hooks.map((h, i) => <HookRow key={`${h.event}:${h.command}:${i}`} hook={h} />)}</ul>
        </>
      )}
      {s.problems.length > 0 && (
        <>
          <h3>Configuration problems</h3>
          <ul className="mcp-problems" data-testid="mcp-problems">{s.problems.map((p) => <li key={p}>{p}</li>)}</ul>
        </>
      )}
    </section>
  );
}

function ServerRow({ server: s, restarting, onRestart }: { server: McpServerInfo; restarting: boolean; onRestart: () => void }) {
  const icon = STATE_ICON[s.state];
  const tools = s.state === 'ready' ? ` · ${s.toolCount} tool${s.toolCount === 1 ? '' : 's'}` : '';
  return (
    <li className="mcp-server" data-testid="mcp-server" data-name={s.name} data-state={s.state}>
      <div className="mcp-server-head">
        <Icon name={icon.icon} spin={icon.spin ?? false} className={`mcp-state mcp-state-${s.state}`} />
        <strong className="mcp-server-name">{s.name}</strong>
        <span className="mcp-server-meta" data-testid="mcp-server-state">{s.state}{tools} · {s.scope} · {s.transport}</span>
        <Button variant="secondary" icon="debug-restart" testId="mcp-restart" disabled={restarting || s.state === 'starting'}
          title={s.state === 'blocked' ? 'Ask again whether this server may start' : 'Restart this server'} onClick={onRestart}>
          {restarting ? 'Restarting…' : 'Restart'}
        </Button>
      </div>
      <div className="mcp-summary" title={s.summary}><code>{s.summary}</code></div>
      {s.error && <div className="mcp-why" data-testid="mcp-server-error">{s.error}</div>}
      {s.state === 'failed' && s.stderrTail && (
        <pre className="mcp-stderr" data-testid="mcp-stderr" aria-label={`The last lines ${s.name} wrote to stderr`} tabIndex={0}>{s.stderrTail.split('\n').slice(-12).join('\n')}</pre>
      )}
      {s.toolsChanged && (
        <div className="notice notice-info mcp-changed" role="status" data-testid="mcp-tools-changed">
          <Icon name="info" className="notice-icon" />
          <span className="notice-text">Its tools changed since this session started: new tools wait for the next session.</span>
        </div>
      )}
      {s.tools.length > 0 && (
        <details className="mcp-tools">
          <summary>Tools</summary>
          <ul data-testid="mcp-tools">{s.tools.map((t) => <li key={t} data-testid="mcp-tool"><code>{t}</code></li>)}</ul>
        </details>
      )}
    </li>
  );
}

function HookRow({ hook: h }: { hook: HookInfo }) {
  const failed = h.lastProblem !== undefined;
  return (
    <li className="mcp-hook" data-testid="mcp-hook" data-event={h.event} data-state={failed ? 'failed' : h.state}>
      <div className="mcp-server-head">
        <Icon name={h.state === 'blocked' ? 'shield' : failed ? 'warning' : 'pass'} className={`mcp-state mcp-state-${h.state === 'blocked' ? 'blocked' : failed ? 'failed' : 'ready'}`} />
        <strong>{h.event}</strong>
        <span className="mcp-server-meta">{h.scope}{h.matcher ? ` · tools matching ${h.matcher}` : ''}</span>
      </div>
      <div className="mcp-summary"><code>{h.command}</code></div>
      {h.why && <div className="mcp-why">Does not run: {h.why}</div>}
      {h.lastProblem && <div className="mcp-why" data-testid="mcp-hook-problem">Last run failed: {h.lastProblem}</div>}
    </li>
  );
}
