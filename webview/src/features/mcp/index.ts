export { McpPanel } from './McpPanel';
export { createMcpStore, initialMcpState, attention, type McpState, type McpActions, type McpStore } from './mcpStore';
export { ToolOrigin } from './ToolOrigin';
