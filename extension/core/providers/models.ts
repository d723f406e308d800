/**
 * The models Cairn knows, with their context window, output limit and prices (USD per million tokens).
 * The one place to update when Anthropic ships or re-prices a model.
 */
export interface ModelInfo {
  id: string;
  label: string;
  contextWindow: number;
  maxOutput: number;
  /** How the model thinks: adaptive (it decides; budgets are not accepted) or manual (a token budget). */
  thinking: 'adaptive' | 'manual';
  /** USD per million tokens. */
  price: { input: number; output: number; cacheWrite5m: number; cacheWrite1h: number; cacheRead: number };
}

export const DEFAULT_MODEL = 'claude-sonnet-5-5';

export const MODELS: readonly ModelInfo[] = [
  { id: 'claude-sonnet-5-5', label: 'Claude Sonnet 5.5', contextWindow: 1_000_000, maxOutput: 128_000, thinking: 'adaptive',
    price: { input: 2, output: 10, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.2 } },
  { id: 'claude-opus-5-5', label: 'Claude Opus 5.5', contextWindow: 1_000_000, maxOutput: 128_000, thinking: 'adaptive',
    price: { input: 4, output: 20, cacheWrite5m: 5, cacheWrite1h: 8, cacheRead: 0.4 } },
  { id: 'claude-sonnet-5', label: 'Claude Sonnet 5', contextWindow: 1_000_000, maxOutput: 128_000, thinking: 'adaptive',
    price: { input: 2, output: 10, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.2 } },
  { id: 'claude-haiku-4-5', label: 'Claude Haiku 4.5', contextWindow: 200_000, maxOutput: 64_000, thinking: 'manual',
    price: { input: 1, output: 5, cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.1 } },
  { id: 'claude-sonnet-4-5', label: 'Claude Sonnet 4.5', contextWindow: 200_000, maxOutput: 64_000, thinking: 'manual',
    price: { input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3 } },
];

/**
 * The offline demo model: the scripted tour of the local emulator (test/emulator/demo/), used when the user picks
 * "Use the offline demo model". Not in MODELS (the model picker): it is chosen by the demo mode, never by the user.
 * It costs nothing, so its price is zero; the window matches the emulator's default.
 */
export const DEMO_MODEL: ModelInfo = {
  id: 'cairn-offline-demo', label: 'Offline demo model (scripted)', contextWindow: 200_000, maxOutput: 32_000, thinking: 'manual',
  price: { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 },
};

/** Info for a model id; unknown ids get a conservative 200K window and no price (cost shows as unknown). */
export function modelInfo(id: string): ModelInfo & { known: boolean } {
  const m = id === DEMO_MODEL.id ? DEMO_MODEL : MODELS.find((x) => x.id === id);
  if (m) return { ...m, known: true };
  return { id, label: id, contextWindow: 200_000, maxOutput: 32_000, thinking: 'manual', known: false,
    price: { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 } };
}

export type ThinkingSetting = 'default' | 'adaptive' | 'off';

/** The `thinking` request field for a setting and model, or undefined to leave the model's default. */
export function thinkingParam(setting: ThinkingSetting, modelId: string, maxTokens: number, budget: number):
  { type: 'adaptive' } | { type: 'disabled' } | { type: 'enabled'; budget_tokens: number } | undefined {
  if (setting === 'default') return undefined;
  if (setting === 'off') return { type: 'disabled' };
  if (modelInfo(modelId).thinking === 'adaptive') return { type: 'adaptive' };
  const b = Math.min(Math.max(1024, Math.floor(budget)), maxTokens - 1);
  return b >= 1024 ? { type: 'enabled', budget_tokens: b } : undefined;
}
