/** Coordinator mode: the main agent orchestrates workers (separate processes in their own worktrees). No VS Code here. */
export { WorkerPool, readSavedStatuses, SETTLED, workerEnv, type WorkerPoolOptions, type WorkerState, type WorkerStatus } from './pool';
export { CoordinatorServer, newToken, sameSecret } from './server';
export { createWorkerWorkspace, workerDiff, workerFileVersions, removeWorkerWorkspace, type WorkerWorkspace, type FileChange, type WorkerDiff } from './workspace';
export { coordinatorBuiltins, coordinatorExtras, ORCHESTRATION_TOOLS } from './catalog';
export { describeWorker, workerMode, COORDINATOR_SYSTEM } from './result';
export { connectWorker, type WorkerConnection } from './client';
export { WorkerBoot, WorkerMessage, CoordinatorMessage } from './wire';
export { proposeMerge, type MergeProposal } from './merge';
