import type {
	IExecuteData,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
} from 'n8n-workflow';

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
 * The node's run index in this execution (each loop iteration is a run), from the data proxy's
 * `$thisRunIndex`. Verified: 1.123.81, 2.41.1.
 */
export function runIndexOf(context: Pick<IExecuteFunctions, 'getWorkflowDataProxy'>): number {
	const index = (context.getWorkflowDataProxy(0) as { $thisRunIndex?: unknown }).$thisRunIndex;
	return typeof index === 'number' && Number.isInteger(index) ? index : 0;
}

/** The execution data an execute() context runs on (untyped). */
interface ExecuteRunData {
	runExecutionData?: {
		executionData?: { nodeExecutionStack?: IExecuteData[] };
	};
}

/** Marks the stack entry that runs a parked node's next step with the run it continues. */
const STEP_MARK = 'modelslabStep';

type MarkedMetadata = Record<string, unknown> & { [STEP_MARK]?: string };

/**
 * Parks the node so that whatever resumes it runs the node again: n8n puts the parked node's stack
 * entry back on the stack and, on its own timed resume, runs that entry disabled (passing its data
 * on) without running node code (docs/n8n-internals.md §3). So the parked entry gets no data (an
 * empty pass-through), and a second entry for the same node, marked with the run, follows it: that
 * one runs execute() again, with the node's input items. A resume by callback removes the parked
 * entry first (resumeIntoStep). Verified: 1.123.81, 2.41.1 (timed resume, callback, SIGKILL and
 * restart while parked).
 */
export function parkWithStep(
	context: IExecuteFunctions,
	runId: string,
	items: INodeExecutionData[],
): void {
	const stack = (context as unknown as ExecuteRunData).runExecutionData?.executionData
		?.nodeExecutionStack;
	if (!stack) throw new Error('n8n gave this node no execution stack to park on');
	const parked = context.getExecuteData();
	const metadata: MarkedMetadata = { [STEP_MARK]: runId };
	stack.unshift({
		// A copy: n8n disables the parked entry's node object when it resumes.
		node: { ...parked.node, disabled: false },
		data: { main: [items] },
		source: parked.source,
		metadata: metadata as IExecuteData['metadata'],
	});
	parked.data = { main: [[]] };
	// "Always Output Data" would turn the empty pass-through into an item that flows on.
	parked.node = { ...parked.node, alwaysOutputData: false };
}

/** The run a step of this node continues, when this execute() is one (parkWithStep). */
export function stepRunIdOf(context: IExecuteFunctions): string | undefined {
	const metadata = context.getExecuteData().metadata as MarkedMetadata | undefined;
	const runId = metadata?.[STEP_MARK];
	return typeof runId === 'string' ? runId : undefined;
}

/**
 * Inside the resume webhook: removes the parked entry, so that the step entry behind it runs with
 * the data the webhook returns (n8n puts it on the stack's first entry), and returns the step's
 * input items. Undefined when the stack holds no step of this run (a run parked otherwise).
 * Verified: 1.123.81, 2.41.1.
 */
export function resumeIntoStep(
	context: IWebhookFunctions,
	runId: string,
): INodeExecutionData[] | undefined {
	const stack = runDataOf(context)?.executionData?.nodeExecutionStack as IExecuteData[] | undefined;
	const step = stack?.[1];
	if (!stack || (step?.metadata as MarkedMetadata | undefined)?.[STEP_MARK] !== runId)
		return undefined;
	stack.shift();
	return step?.data.main[0] ?? [];
}
