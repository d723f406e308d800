import { useActions, useChat } from '../../store';
import type { Notice } from '../../store';
import { Icon, IconButton } from '../../ui';

const LEVEL_ICON: Record<Notice['level'], string> = { info: 'info', warning: 'warning', error: 'error' };
const LEVEL_LABEL: Record<Notice['level'], string> = { info: 'Note', warning: 'Warning', error: 'Error' };

/** Things the host wants the user to know about the session (e.g. a damaged transcript line was skipped). */
export function NoticeList() {
  const notices = useChat((s) => s.notices);
  const { dismissNotice } = useActions();
  if (notices.length === 0) return null;
  return (
    <section className="notices" aria-label="Session notices">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.level}`} role={n.level === 'error' ? 'alert' : 'status'} data-testid="notice" data-level={n.level}>
          <Icon name={LEVEL_ICON[n.level]} className="notice-icon" />
          <span className="notice-text"><strong>{LEVEL_LABEL[n.level]}:</strong> {n.message}</span>
          <IconButton icon="close" label="Dismiss notice" testId="dismiss-notice" onClick={() => dismissNotice(n.id)} />
        </div>
      ))}
    </section>
  );
}
