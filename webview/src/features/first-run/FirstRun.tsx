import { useState } from 'react';
import { useActions, useChat } from '../../store';
import { Button } from '../../ui';

/**
 * Shown when no API key is known. The key itself is typed into VS Code's own password box (the host opens it
 * on `auth/promptKey`); it never passes through the webview.
 */
export function FirstRun() {
  const demoAvailable = useChat((s) => s.auth.demoAvailable);
  const actionError = useChat((s) => s.actionError);
  const { promptKey, useDemo } = useActions();
  const [busy, setBusy] = useState(false);

  const run = (action: () => Promise<boolean>) => async () => {
    setBusy(true);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="first-run" data-testid="first-run" aria-labelledby="first-run-title">
      <h1 id="first-run-title">Cairn</h1>
      <p className="first-run-pitch">A coding agent on Claude that keeps working coherently through long sessions and remembers across them.</p>
      <div className="first-run-actions">
        <Button variant="primary" testId="set-key-button" disabled={busy} onClick={run(promptKey)}>Set API key</Button>
        {demoAvailable && (
          <Button variant="secondary" testId="use-demo-button" disabled={busy} onClick={run(useDemo)}>Use the offline demo model</Button>
        )}
      </div>
      <p className="hint">
        The key is entered in VS Code&apos;s own password box and kept in its secret storage. Setting the{' '}
        <code>ANTHROPIC_API_KEY</code> environment variable before starting VS Code works too.
      </p>
      {actionError !== null && <p className="inline-error" role="alert" data-testid="action-error">{actionError}</p>}
    </main>
  );
}
