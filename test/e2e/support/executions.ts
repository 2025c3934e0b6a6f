// Reading executions back: ids from the simulator's records, node outputs, bounded waits.
import type { Execution, ExecutionStatus, N8nApi } from '../../../scripts/n8n';
import type { SimJob, Simulator } from '../../simulator';

export const FINISHED: ExecutionStatus[] = ['success', 'error', 'crashed', 'canceled'];

export interface OutputItem {
	json: Record<string, unknown>;
	binary?: Record<string, BinaryRef>;
	pairedItem?: { item: number } | Array<{ item: number }>;
}

export interface BinaryRef {
	mimeType: string;
	fileName?: string;
	fileSize?: string;
	bytes?: number;
	/** Base64 in n8n's default (in-memory) mode; a mode name when `id` is set. */
	data: string;
	/** Set by filesystem/database binary modes (n8n 2.x default). */
	id?: string;
}

interface RunEntry {
	data?: { main: Array<OutputItem[] | null> };
	error?: { message?: string; description?: string };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function eventually<T>(
	what: string,
	probe: () => T | undefined | false | Promise<T | undefined | false>,
	timeoutMs = 15_000,
	intervalMs = 100,
): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const got = await probe();
		if (got) return got;
		if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(intervalMs);
	}
}

/** Ids of the simulator's jobs in submit order; with `after`, only jobs not in that set. */
export function jobIds(sim: Simulator, after?: ReadonlySet<string>): string[] {
	return [...sim.jobs.keys()].filter((id) => !after?.has(id));
}

/** Waits for `count` jobs submitted since `before` was taken (new Set(sim.jobs.keys())). */
export async function newJobs(
	sim: Simulator,
	before: ReadonlySet<string>,
	count = 1,
	timeoutMs = 15_000,
): Promise<SimJob[]> {
	return eventually(
		`${count} new simulator job(s)`,
		() => {
			const ids = jobIds(sim, before);
			return ids.length >= count && ids.map((id) => sim.jobs.get(id) as SimJob);
		},
		timeoutMs,
	);
}

/**
 * The execution a callback-mode job belongs to, from the webhook URL it was submitted with:
 * `…/webhook-waiting/<execution id>/<node id>?…` (1.123 lists no parked executions).
 */
export function executionIdOfJob(job: SimJob): string {
	const m = /\/webhook-waiting\/([^/?]+)\//.exec(job.webhook ?? '');
	if (!m)
		throw new Error(
			`job ${job.id} was submitted without a resume URL (webhook: ${job.webhook ?? 'none'})`,
		);
	return m[1];
}

/** The only execution of a workflow once it has finished (finished ones are listed on every line). */
export async function onlyFinishedExecution(
	n8n: { api: N8nApi },
	workflowId: string,
	timeoutMs = 30_000,
): Promise<Execution> {
	const listed = await eventually(
		`a finished execution of workflow ${workflowId}`,
		async () => {
			const list = await n8n.api.listExecutions({ workflowId });
			return list.length > 0 && FINISHED.includes(list[0].status) && list;
		},
		timeoutMs,
		250,
	);
	if (listed.length !== 1)
		throw new Error(`workflow ${workflowId} has ${listed.length} executions, expected 1`);
	return n8n.api.waitForExecution(listed[0].id, FINISHED, { timeoutMs });
}

function runsOf(execution: Execution, node: string): RunEntry[] {
	return (execution.data?.resultData.runData[node] ?? []) as unknown as RunEntry[];
}

/** How often a node ran in an execution (0 = never). */
export function runCount(execution: Execution, node: string): number {
	return runsOf(execution, node).length;
}

/** Items of a node's first output in its last run. */
export function nodeOutput(execution: Execution, node: string): OutputItem[] {
	const runs = runsOf(execution, node);
	return runs[runs.length - 1]?.data?.main[0] ?? [];
}

/** A custom data value, wherever this n8n line's public API puts it. */
export function customDataOf(execution: Execution, key: string): string | undefined {
	const top = (execution as Execution & { customData?: Record<string, string> }).customData;
	const inData = (execution.data?.resultData as { metadata?: Record<string, string> } | undefined)
		?.metadata;
	return top?.[key] ?? inData?.[key];
}
