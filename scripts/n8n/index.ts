// Public surface of the n8n runtime manager (repo scripts only, never shipped).
export { LINES, N8N_LINES, cacheRoot, isLine, type N8nLine, type LineSpec } from './lines';
export { ensureN8n, type N8nInstall, type EnsureOptions } from './install';
export { startN8n, type RunningN8n, type StartOptions } from './runtime';
export {
	N8nApi,
	webhookPathsOf,
	type WorkflowInput,
	type Workflow,
	type WorkflowSummary,
	type WorkflowNode,
	type Connections,
	type Execution,
	type ExecutionStatus,
	type Credential,
	type WaitOptions,
} from './api';
export { installPackageTarball, nodesDir } from './packages';
export { N8nHttpError, http } from './http';
export type { OwnerCredentials } from './session';
export {
	startQueueCluster,
	type QueueCluster,
	type QueueClusterOptions,
	type QueueProcessInfo,
	type QueueRole,
} from './queue';
