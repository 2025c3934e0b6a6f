import type { IExecuteFunctions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

/**
 * Every reach into n8n beyond its typed node API lives here, with the n8n versions it was verified
 * on (docs/n8n-internals.md has the evidence). Everything else in the package uses n8n-workflow's
 * public interfaces only, so an n8n upgrade that breaks one of these breaks it in one place.
 */

/** An execution's custom data: `this.customData` on n8n 2.x, `$execution.customData` on 1.x. */
export interface CustomDataStore {
	set(key: string, value: string): void;
	get(key: string): string | undefined;
}

interface ExecutionKeys {
	resumeUrl?: unknown;
	customData?: CustomDataStore;
}

/**
 * `$execution` as expressions see it, read from n8n's workflow data proxy without evaluating an
 * expression (each evaluation costs an expression isolate on n8n 2.x).
 * Verified: n8n 1.123.81 (legacy and vm engines), 2.41.1.
 */
function executionKeys(context: IExecuteFunctions): ExecutionKeys | undefined {
	const proxy = context.getWorkflowDataProxy?.(0) as { $execution?: ExecutionKeys } | undefined;
	return proxy?.$execution;
}

/** `$execution.resumeUrl` in execute(). Verified: 1.123.81, 2.41.1. */
export function resumeUrlOf(context: IExecuteFunctions): string {
	const resumeUrl = executionKeys(context)?.resumeUrl;
	if (typeof resumeUrl === 'string' && resumeUrl) return resumeUrl;
	return String(context.evaluateExpression('{{ $execution.resumeUrl }}', 0));
}

/**
 * The execution's custom data in execute(): `this.customData` (typed from n8n 2.x), else the data
 * proxy's `$execution.customData` (n8n 1.x). Verified: 1.123.81, 2.41.1.
 */
export function customDataOf(context: IExecuteFunctions): CustomDataStore | undefined {
	const direct = (context as { customData?: CustomDataStore }).customData;
	if (direct && typeof direct.set === 'function') return direct;
	return executionKeys(context)?.customData;
}

/** The run data n8n's WebhookContext holds (untyped): the execution as loaded for the callback. */
interface WebhookRunData {
	runExecutionData?: {
		resultData?: { metadata?: Record<string, string>; error?: unknown; lastNodeExecuted?: string };
		executionData?: {
			contextData?: Record<string, Record<string, unknown> | undefined>;
			nodeExecutionStack?: Array<{ metadata?: Record<string, unknown> }>;
		};
	};
}

function runDataOf(context: IWebhookFunctions): WebhookRunData['runExecutionData'] {
	return (context as unknown as WebhookRunData).runExecutionData;
}

/**
 * One custom data value inside a resume webhook. n8n 2.x has `this.customData`; 1.x has neither
 * that nor an expression engine that reaches custom data on its vm engine, so the loaded run data
 * is read. Verified: 1.123.81, 2.41.1.
 */
export function webhookCustomData(context: IWebhookFunctions, key: string): string | undefined {
	const direct = (context as { customData?: CustomDataStore }).customData;
	const value = direct && typeof direct.get === 'function' ? direct.get(key) : undefined;
	return value ?? runDataOf(context)?.resultData?.metadata?.[key];
}

/**
 * What a node saved with `this.getContext('node')` before it parked, read inside its resume
 * webhook (the webhook context has no getContext). n8n saves the node context with the waiting
 * execution (`executionData.contextData['node:<name>']`). Verified: 1.123.81, 2.41.1.
 */
export function webhookNodeContext(
	context: IWebhookFunctions,
): Record<string, unknown> | undefined {
	return runDataOf(context)?.executionData?.contextData?.[`node:${context.getNode().name}`];
}

/**
 * Fails the resumed node without running anything downstream, while the callback still gets its
 * 2xx. n8n 2.x rethrows `metadata.resumeError` of the resumed stack entry before it forwards
 * anything (verified 2.41.1). n8n 1.x lacks that hook; the empty output stops the branch and the
 * error left on the run data marks the execution failed (verified 1.123.81).
 */
export function markResumeFailed(context: IWebhookFunctions, error: Error): void {
	const runData = runDataOf(context);
	const resumed = runData?.executionData?.nodeExecutionStack?.[0];
	if (resumed) resumed.metadata = { ...(resumed.metadata ?? {}), resumeError: error };
	if (runData?.resultData) {
		runData.resultData.error = error;
		runData.resultData.lastNodeExecuted = context.getNode().name;
	}
}

/**
 * The node's run index in this execution (each loop iteration is a run), from the data proxy's
 * `$thisRunIndex`. Verified: 1.123.81, 2.41.1.
 */
export function runIndexOf(context: Pick<IExecuteFunctions, 'getWorkflowDataProxy'>): number {
	const index = (context.getWorkflowDataProxy(0) as { $thisRunIndex?: unknown }).$thisRunIndex;
	return typeof index === 'number' && Number.isInteger(index) ? index : 0;
}

/**
 * The items a parked node passes on if n8n resumes it at its wait limit without running node code
 * (docs/n8n-internals.md §3). n8n puts the node's execution stack entry back on the stack when it
 * parks and forwards that entry's data on a timed resume, so replacing the entry's data (a new
 * object: the input items themselves belong to the previous node's output) decides what flows on.
 * Verified: 1.123.81, 2.41.1.
 */
export function setTimedResumeItems(context: IExecuteFunctions, items: INodeExecutionData[]): void {
	const entry = context.getExecuteData();
	entry.data = { ...entry.data, main: [items] };
}
