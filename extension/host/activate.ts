/**
 * Composition root: builds the services, wires them to VS Code, and returns the extension's API.
 * This folder (extension/host) is the only code that imports `vscode`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findRgOnPath } from '../core/tools';
import * as vscode from 'vscode';
import { AuthService } from './auth';
import { ChatController } from './chat/controller';
import { registerBackground } from './background';
import { registerCommands } from './commands';
import { AgentExtensions } from './extensions/service';
import { mementoPins } from './extensions/pins';
import { freshSession, registerExtensionsPanel } from './extensions/panel';
import { readConfig, watchSecretEnvVars } from './config';
import { createLogger } from './log';
import { createHostPorts, registerHostPortHandlers } from './adapters';
import { createMemoryFeature, memoryOf, registerMemoryHandlers } from './memory';
import { registerPanelFeatures } from './panel';
import { registerPlanFeatures } from './plans';
import { registerUltraPlan } from './plans/ultra';
import { CHAT_PANEL_TYPE, CHAT_VIEW_ID, ChatPanels, ChatViewProvider } from './webview/views';

export interface CairnApi {
  version: string;
  /** Present only in development and test runs: hooks for the extension-host test suite. */
  test?: {
    snapshot: ChatController['snapshot'];
    webviewReady(): Promise<void>;
    send(text: string): { messageId: string };
    idle(): Promise<void>;
    effectiveBaseUrl(): { baseUrl: string; source: string };
    /** Transcript search as the memory tools run it, and the ripgrep it uses (null: the byte scan). */
    transcriptSearch(query: string): Promise<{ engine: string; ripgrep: string | null; hits: number }>;
    /** Answer a pending decision as the panel's buttons do (false when the answer does not fit). */
    answer(id: string, answer: Parameters<ChatController['decisions']['answer']>[1]): boolean;
    /** Set the permission mode as the panel's picker does. */
    setMode(mode: Parameters<ChatController['setMode']>[0]): void;
    /** Undo the newest dream without the confirmation dialog ("Cairn: Undo Last Dream" asks first). */
    undoLastDream(): Promise<{ ok: boolean; restored: string[]; conflicts: string[]; error?: string } | undefined>;
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<CairnApi> {
  const channel = vscode.window.createOutputChannel('Cairn', { log: true });
  // Before anything can spawn a process: which environment variables children must not inherit.
  context.subscriptions.push(watchSecretEnvVars());
  const log = createLogger(channel);
  const auth = new AuthService(context);
  await auth.refresh();
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const root = folder?.scheme === 'file' ? folder.fsPath : join(context.globalStorageUri.fsPath, 'no-folder');
  // In an untrusted workspace Cairn keeps its sessions out of the folder (a hostile .agent/ could point anywhere).
  const agentDir = vscode.workspace.isTrusted && folder?.scheme === 'file'
    ? join(root, '.agent')
    : join(context.globalStorageUri.fsPath, 'untrusted', Buffer.from(root).toString('base64url').slice(0, 60), '.agent');
  const workspace = { root, agentDir, trusted: () => vscode.workspace.isTrusted, rgPath: findVsCodeRipgrep(), cliPath: join(context.extensionPath, 'dist', 'cli.js') };
  const hostPorts = createHostPorts(context, log, root);
  const memory = createMemoryFeature(context, log, workspace);
  const extensions = new AgentExtensions(workspace, mementoPins(context.globalState), log);
  const controller = new ChatController(auth, log, workspace, context.workspaceState, [hostPorts, memory, extensions.contribution]);
  // Servers start in the background; when they are up, a still-empty session is assembled again to get their tools.
  void extensions.start().then(() => freshSession(controller, extensions), (err) => log.error('MCP servers / hooks could not start', err));
  const panels = new ChatPanels(context.extensionUri, controller, log);
  const sidebar = new ChatViewProvider(context.extensionUri, controller, log);

  context.subscriptions.push(
    channel, auth, hostPorts, memory, controller, extensions, panels,
    ...registerMemoryHandlers(controller, memory),
    ...registerHostPortHandlers(controller, hostPorts, { webviewVisible: () => sidebar.visible || panels.visible }),
    ...registerPanelFeatures(context, controller, log),
    ...registerExtensionsPanel(controller, extensions, root),
    ...registerPlanFeatures(controller, root),
    ...registerUltraPlan(controller),
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, sidebar),
    vscode.window.registerWebviewPanelSerializer(CHAT_PANEL_TYPE, { deserializeWebviewPanel: async (panel) => panels.adopt(panel) }),
    ...registerCommands(controller, auth, panels, extensions),
  );

  const background = registerBackground({
    controller, log, workspace, memory: memoryOf(memory)!,
    provider: () => controller.backgroundProvider(),
    model: () => { const c = readConfig(); return { id: auth.modelFor(c.model), maxTokens: c.maxOutputTokens, thinking: c.thinking, thinkingBudget: c.thinkingBudget }; },
    revealChat: () => vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`),
  });
  context.subscriptions.push(background);

  const cfg = readConfig();
  log.info(`Cairn ${context.extension.packageJSON.version} activated; model ${cfg.model}; auth ${auth.state.status} (${auth.state.source}); base URL from ${cfg.baseUrlSource}`);

  const api: CairnApi = { version: String(context.extension.packageJSON.version) };
  if (context.extensionMode !== vscode.ExtensionMode.Production) {
    api.test = {
      snapshot: () => controller.snapshot(),
      webviewReady: () => controller.webviewReady(),
      send: (text) => controller.send(text),
      idle: () => controller.idle(),
      answer: (id, answer) => controller.decisions.answer(id, answer),
      setMode: (mode) => { controller.setMode(mode); },
      undoLastDream: () => background.undoLastDream(false),
      effectiveBaseUrl: () => { const c = readConfig(); return { baseUrl: c.baseUrl, source: c.baseUrlSource }; },
      transcriptSearch: async (query) => {
        const m = memoryOf(memory)!;
        const r = await m.searcher.search(agentDir, { query });
        return { engine: r.engine, ripgrep: m.searcher.ripgrep, hits: r.hits.length };
      },
    };
  }
  return api;
}

/** VS Code ships ripgrep; its place differs between desktop builds and code-server. */
function findVsCodeRipgrep(): string | undefined {
  const root = vscode.env.appRoot;
  const bin = process.platform === 'win32' ? 'rg.exe' : 'rg';
  const arch = `${process.platform}-${process.arch}`;
  const candidates = [
    join(root, 'node_modules', '@vscode', 'ripgrep', 'bin', bin),
    join(root, 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin', bin),
    join(root, 'node_modules', '@vscode', 'ripgrep-universal', 'bin', arch, bin),
  ];
  return candidates.find((c) => existsSync(c)) ?? findRgOnPath();
}

export function deactivate(): void {
  // Disposables registered on the context are disposed by VS Code.
}
