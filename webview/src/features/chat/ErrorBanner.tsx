import { useState } from 'react';
import { useActions, useChat } from '../../store';
import { Button } from '../../ui';
import { errorTitle } from './labels';

/** The failed turn: what went wrong and a way forward (retry; set a key when the key was the problem). */
export function ErrorBanner() {
  const error = useChat((s) => s.lastError);
  const turnFailed = useChat((s) => s.turn === 'error');
  const { retry, promptKey } = useActions();
  const [busy, setBusy] = useState(false);

  if (error === null && !turnFailed) return null;
  const title = error ? errorTitle(error.kind) : 'The last turn failed';

  const onRetry = async () => {
    setBusy(true);
    try {
      await retry();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="error-banner" role="alert" data-testid="error-banner" data-kind={error?.kind ?? 'unknown'}>
      <div className="error-banner-text">
        <strong>{title}</strong>
        {error && error.message !== '' && <span className="error-banner-message">{error.message}</span>}
      </div>
      <div className="error-banner-actions">
        {error?.kind === 'auth' && (
          <Button variant="secondary" testId="banner-set-key-button" onClick={() => void promptKey()}>Set API key</Button>
        )}
        <Button variant={error === null || error.retryable ? 'primary' : 'secondary'} testId="retry-button" disabled={busy} onClick={() => void onRetry()}>
          Retry
        </Button>
      </div>
    </div>
  );
}
