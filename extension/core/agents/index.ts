/** Subagents: types (built-in and the user's), their scope, the hub and the runner. No VS Code here. */
export { BUILTIN_TYPES } from './builtins';
export { loadAgentTypes, parseAgentFile, type LoadedTypes } from './load';
export { scopedPermissions, scopeDecision, stricter } from './scope';
export { SubagentHub, DEFAULT_SUBAGENT_SETTINGS, type SubagentSettings, type SubagentStatus, type SubagentState } from './hub';
export { runSubagent, childCatalog, subagentDefinition, SUBAGENT_SYSTEM, type SubagentServices } from './run';
export { frameReport, MAX_REPORT_CHARS } from './report';
export { PARENT_ONLY_TOOLS, type AgentType, type TypeScope } from './types';
