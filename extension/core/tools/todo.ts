/** todo: the agent's task list for the session. The whole list is replaced on every call; the UI subscribes to the store. */
import { z } from 'zod';
import type { Tool } from './types';

export type TodoStatus = 'pending' | 'in_progress' | 'completed';
export interface TodoItem { content: string; status: TodoStatus }

/** A small observable store (one per session). */
export class TodoStore {
  private items: TodoItem[] = [];
  private readonly listeners = new Set<(items: readonly TodoItem[]) => void>();
  get(): readonly TodoItem[] { return this.items; }
  set(items: TodoItem[]): void {
    this.items = items.map((i) => ({ ...i }));
    for (const l of this.listeners) l(this.items);
  }
  subscribe(fn: (items: readonly TodoItem[]) => void): () => void {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  }
}

const input = z.object({
  todos: z.array(z.object({
    content: z.string().min(1).describe('The task, imperative ("Add tests for the parser").'),
    status: z.enum(['pending', 'in_progress', 'completed']),
  })).max(100).describe('The complete list; it replaces the previous one.'),
});

export function createTodoTool(store: TodoStore): Tool<typeof input> {
  return {
    name: 'todo',
    description: 'Keep a task list for multi-step work: send the complete list each time (it replaces the old one). Keep exactly one task in_progress while working; mark a task completed as soon as it is done and verified.',
    input,
    kind: 'state',
    label: 'Tasks',
    describe: (i) => `${i.todos.filter((t) => t.status === 'completed').length}/${i.todos.length} done`,
    readOnly: true,
    concurrencySafe: false,
    async execute(args) {
      store.set(args.todos);
      const n = (s: TodoStatus) => args.todos.filter((t) => t.status === s).length;
      const doing = args.todos.filter((t) => t.status === 'in_progress').length;
      const notes: string[] = [];
      if (doing > 1) notes.push('More than one task is in_progress; keep one at a time.');
      if (args.todos.length && n('completed') === args.todos.length) notes.push('All tasks are completed. Before finishing, verify the result (run the tests or check the diagnostics).');
      return {
        content: `Task list updated: ${n('completed')} completed, ${doing} in progress, ${n('pending')} pending.${notes.length ? ' ' + notes.join(' ') : ''}`,
        display: { todos: args.todos },
      };
    },
  };
}
