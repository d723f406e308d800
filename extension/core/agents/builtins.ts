/** The built-in subagent types: explore, plan, general, verify. Users cannot redefine these names. */
import type { AgentType } from './types';

/** Tools that only look: the workspace, diagnostics, the editor, memory and past sessions. */
const LOOKING = ['editor_context', 'get_diagnostics', 'glob', 'grep', 'list_files', 'memory_read', 'memory_view', 'read_file', 'transcript_read', 'transcript_search'];

export const BUILTIN_TYPES: readonly AgentType[] = [
  {
    name: 'explore',
    description: 'Read-only search of the workspace: finds files, code and facts and reports them with paths and line numbers.',
    tools: [...LOOKING, 'run_command'],
    scope: 'read-only',
    deny: [],
    instructions: [
      'You are an explore subagent. Find what the task asks for by reading the workspace: search, list, read.',
      'You cannot change anything: edits, memory writes and commands that are not read-only are denied.',
      'Your final message is your report: the facts found, each with its file path and line numbers, and what you could not find.',
    ].join('\n'),
    source: 'builtin',
  },
  {
    name: 'general',
    description: 'A general-purpose worker with the same tools as you, for a self-contained task whose details you do not need to see.',
    tools: 'parent',
    scope: 'none',
    deny: [],
    instructions: [
      'You are a general subagent. Do the task you were given completely, with the tools you have.',
      'Your final message is your report: what you did, which files you changed, and anything left undone.',
    ].join('\n'),
    source: 'builtin',
  },
  {
    name: 'plan',
    description: 'Read-only: studies the code a change touches and returns a step-by-step implementation plan.',
    tools: [...LOOKING, 'run_command'],
    scope: 'read-only',
    deny: [],
    instructions: [
      'You are a plan subagent. Read the code the task touches; change nothing (edits and non read-only commands are denied).',
      'Your final message is a plan: numbered steps, each naming the files and functions to change and how to check the step.',
    ].join('\n'),
    source: 'builtin',
  },
  {
    name: 'verify',
    description: 'Checks work without editing: reads the code and runs tests, builds and linters, and reports what passes and fails.',
    tools: [...LOOKING, 'run_command'],
    scope: 'verify',
    deny: [],
    instructions: [
      'You are a verify subagent. Check the work the task describes: read the code and run the tests, type checks and linters.',
      'You edit nothing: edits, memory writes and commands that change files (patch, git apply, redirections) are denied.',
      'Your final message is your verdict: what you ran, what passed, what failed (with the output lines that show it).',
    ].join('\n'),
    source: 'builtin',
  },
];
