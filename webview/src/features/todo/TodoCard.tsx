import { messageAt, useChat } from '../../store';
import { Icon } from '../../ui';

export interface TodoItem { content: string; status: 'pending' | 'in_progress' | 'completed' }

/** The items of a todo tool input (the whole list each time); null while it cannot be read (still streaming). */
export function parseTodos(inputJson: string): TodoItem[] | null {
  try {
    const v = JSON.parse(inputJson) as { todos?: unknown };
    if (!Array.isArray(v.todos)) return null;
    return v.todos.filter((t): t is TodoItem => !!t && typeof (t as TodoItem).content === 'string')
      .map((t) => ({ content: t.content, status: t.status === 'completed' || t.status === 'in_progress' ? t.status : 'pending' }));
  } catch {
    return null;
  }
}

const MARK: Record<TodoItem['status'], string> = { completed: 'pass-filled', in_progress: 'circle-large-filled', pending: 'circle-large-outline' };
const STATUS: Record<TodoItem['status'], string> = { completed: 'done', in_progress: 'in progress', pending: 'to do' };

/** The agent's current task list: the input of the latest `todo` tool call, as a checklist. */
export function TodoCard() {
  const input = useChat((s) => {
    if (!s.todo) return null;
    const m = s.index.get(s.todo.messageId);
    const block = m === undefined ? undefined : messageAt(s.messages, m)?.blocks[s.todo.blockIndex];
    return block?.type === 'tool_use' ? block.inputJson : null;
  });
  const todos = input === null ? null : parseTodos(input);
  if (!todos || todos.length === 0) return null;
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
