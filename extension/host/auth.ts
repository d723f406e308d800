/**
 * Where the API key comes from: VS Code SecretStorage first, then ANTHROPIC_API_KEY. The key is typed in
 * VS Code's own password box, never in the webview, and is never written to settings, files or logs.
 * With no key, an offline demo model (a local emulator named by CAIRN_DEMO_URL) can be chosen.
 */
import * as vscode from 'vscode';
import { DEMO_MODEL } from '../core/providers/models';
import type { AuthState } from '../protocol/model';

const SECRET_KEY = 'cairn.anthropicApiKey';
const DEMO_FLAG = 'cairn.demoChosen';

export interface Credentials {
  apiKey: string;
  /** Set when the demo emulator answers instead of Anthropic. */
  demoUrl?: string;
}

export class AuthService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AuthState>();
  readonly onDidChange = this.changed.event;
  private secretKey: string | undefined;
  private current: AuthState = { status: 'missing', source: 'none', demoAvailable: false };
  private readonly sub: vscode.Disposable;

  constructor(private readonly ctx: vscode.ExtensionContext, private readonly env: NodeJS.ProcessEnv = process.env) {
    this.sub = ctx.secrets.onDidChange(async (e) => { if (e.key === SECRET_KEY) await this.refresh(); });
  }

  get state(): AuthState { return this.current; }

  private get demoUrl(): string | undefined { return this.env.CAIRN_DEMO_URL?.trim() || undefined; }

  async refresh(): Promise<AuthState> {
    this.secretKey = (await this.ctx.secrets.get(SECRET_KEY))?.trim() || undefined;
    const demoAvailable = Boolean(this.demoUrl);
    let next: AuthState;
    if (this.secretKey) next = { status: 'ready', source: 'secret', demoAvailable };
    else if (this.env.ANTHROPIC_API_KEY?.trim()) next = { status: 'ready', source: 'env', demoAvailable };
    else if (demoAvailable && this.ctx.globalState.get<boolean>(DEMO_FLAG)) next = { status: 'demo', source: 'demo', demoAvailable };
    else next = { status: 'missing', source: 'none', demoAvailable };
    const differs = JSON.stringify(next) !== JSON.stringify(this.current);
    this.current = next;
    if (differs) this.changed.fire(next);
    return next;
  }

  credentials(): Credentials | undefined {
    switch (this.current.source) {
      case 'secret': return this.secretKey ? { apiKey: this.secretKey } : undefined;
      case 'env': { const k = this.env.ANTHROPIC_API_KEY?.trim(); return k ? { apiKey: k } : undefined; }
      case 'demo': return this.demoUrl ? { apiKey: 'demo-key-offline-emulator', demoUrl: this.demoUrl } : undefined;
      default: return undefined;
    }
  }

  /**
   * The model id requests use: the configured one, or in the demo the offline demo model (the emulator plays its
   * scripted tour for that id, and its price is zero, so the demo shows a cost of $0).
   */
  modelFor(configured: string): string {
    return this.current.source === 'demo' ? DEMO_MODEL.id : configured;
  }

  /** Ask for the key in VS Code's password input. Returns true when a key was stored. */
  async promptForKey(): Promise<boolean> {
    const key = await vscode.window.showInputBox({
      title: 'Cairn: Anthropic API key',
      prompt: 'Stored in VS Code\'s secret storage (your OS keychain). It never goes into settings or files.',
      placeHolder: 'sk-ant-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => validateKey(v),
    });
    if (!key) return false;
    await this.ctx.secrets.store(SECRET_KEY, key.trim());
    await this.ctx.globalState.update(DEMO_FLAG, false);
    await this.refresh();
    return true;
  }

  async clearKey(): Promise<void> {
    await this.ctx.secrets.delete(SECRET_KEY);
    await this.refresh();
  }

  async useDemo(): Promise<boolean> {
    if (!this.demoUrl) return false;
    await this.ctx.globalState.update(DEMO_FLAG, true);
    await this.refresh();
    return this.current.status === 'demo' || this.current.status === 'ready';
  }

  dispose(): void { this.sub.dispose(); this.changed.dispose(); }
}

export function validateKey(v: string): string | undefined {
  const k = v.trim();
  if (!k) return 'Paste your Anthropic API key (it starts with sk-ant-).';
  if (/\s/.test(k)) return 'The key must not contain spaces or line breaks.';
  if (k.length < 20) return 'That looks too short for an Anthropic API key.';
  return undefined;
}
