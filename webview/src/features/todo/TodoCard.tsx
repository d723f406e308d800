import type { TodoItem } from '../../protocol';
import { useChat } from '../../store';
import { Icon } from '../../ui';

const MARK: Record<TodoItem['status'], string> = { completed: 'pass-filled', in_progress: 'circle-large-filled', pending: 'circle-large-outline' };
const STATUS: Record<TodoItem['status'], string> = { completed: 'done', in_progress: 'in progress', pending: 'to do' };

/** The agent's current task list (the host publishes it whole on every change), as a checklist. */
export function TodoCard() {
  const todos = useChat((s) => s.todo);
  if (todos.length === 0) return null;
  const done = todos.filter((t) => t.status === 'completed').length;
  return (
    <details className="todo-card" data-testid="todo-card" open>
      <summary className="todo-summary">
        <Icon name="checklist" className="todo-summary-icon" />
        <span className="todo-title">Tasks</span>
        <span className="todo-count">{done}/{todos.length} done</span>
        <Icon name="chevron-right" className="todo-chevron" />
      </summary>
      <ul className="todo-list" aria-label="Task list">
        {todos.map((t, i) => (
          <li key={i} className={`todo-item todo-${t.status}`} data-testid="todo-item" data-status={t.status}>
            <Icon name={MARK[t.status]} className="todo-mark" />
            <span className="todo-text">{t.content}</span>
            <span className="visually-hidden"> ({STATUS[t.status]})</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
