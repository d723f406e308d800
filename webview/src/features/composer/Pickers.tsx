import { useEffect, useState } from 'react';
import type { ModelChoice, PermissionMode } from '../../protocol';
import { useActions, useChat } from '../../store';

const MODES: Array<{ value: PermissionMode; label: string; hint: string }> = [
  { value: 'ask', label: 'Ask', hint: 'Ask before edits and commands' },
  { value: 'accept-edits', label: 'Accept edits', hint: 'Apply edits without asking; still ask for commands' },
  { value: 'plan', label: 'Plan', hint: 'Read and plan only; no edits' },
  { value: 'auto', label: 'Auto', hint: 'Run without asking, within the permission rules' },
];

/** The permission mode (the host answers with mode/changed, which moves the picker). */
export function ModePicker() {
  const mode = useChat((s) => s.mode);
  const { setMode } = useActions();
  return (
    <span className="picker">
      <label htmlFor="mode-picker" className="visually-hidden">Permission mode</label>
      <select id="mode-picker" className="ui-select" data-testid="mode-picker" value={mode}
        title={MODES.find((m) => m.value === mode)?.hint}
        onChange={(e) => void setMode(e.target.value as PermissionMode)}>
        {MODES.map((m) => <option key={m.value} value={m.value} title={m.hint}>{m.label}</option>)}
      </select>
    </span>
  );
}

/**
 * Coordinator mode: the agent only orchestrates workers, each in its own worktree, whose changes come back for
 * review. It changes the session's tools, so switching starts a new session (the host says so).
 */
export function CoordinatorToggle() {
  const on = useChat((s) => s.coordinator);
  const { setCoordinator } = useActions();
  return (
    <span className="picker">
      <label className="coordinator-toggle" title="The agent orchestrates workers in their own worktrees; their changes come back for review. Switching starts a new session.">
        <input type="checkbox" data-testid="coordinator-toggle" checked={on} onChange={(e) => void setCoordinator(e.target.checked)} />
        Coordinator
      </label>
    </span>
  );
}

/** The model (written to the user's `cairn.model`; config/changed moves the picker). Hidden in the demo. */
export function ModelPicker() {
  const model = useChat((s) => s.model);
  const demo = useChat((s) => s.auth.status === 'demo');
  const { listModels, setModel } = useActions();
  const [models, setModels] = useState<ModelChoice[]>([]);
  useEffect(() => {
    let live = true;
    void listModels().then((r) => { if (live && r) setModels(r.models); });
    return () => { live = false; };
  }, [listModels]);
  if (demo) return null;
  const known = models.some((m) => m.id === model);
  return (
    <span className="picker">
      <label htmlFor="model-picker" className="visually-hidden">Model</label>
      <select id="model-picker" className="ui-select" data-testid="model-picker" value={model} onChange={(e) => void setModel(e.target.value)}>
        {!known && model && <option value={model}>{model}</option>}
        {models.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
      </select>
    </span>
  );
}
