// Every execution of a workflow (or of the instance) through the public API (cursor pages of
// 250), and counts by status.
import type { Execution, ExecutionStatus, N8nApi } from '../../../scripts/n8n';
import { httpJson } from '../../../scripts/n8n/http';

/**
 * `workflowId` undefined: the whole instance. Without `status`, n8n 2.x leaves out executions its
 * main process is running right now (ask for `running` to see those).
 */
export async function allExecutions(
	api: N8nApi,
	workflowId: string | undefined,
	status?: ExecutionStatus,
): Promise<Execution[]> {
	const out: Execution[] = [];
	let cursor: string | undefined;
	for (let page = 0; page < 400; page++) {
		const qs = new URLSearchParams({ limit: '250' });
		if (workflowId) qs.set('workflowId', workflowId);
		if (status) qs.set('status', status);
		if (cursor) qs.set('cursor', cursor);
		const { body } = await httpJson<{ data: Execution[]; nextCursor?: string | null }>({
			url: `${api.baseUrl}/api/v1/executions?${qs}`,
			headers: { 'X-N8N-API-KEY': api.apiKey },
			timeoutMs: 60_000,
		});
		out.push(...body.data);
		if (!body.nextCursor) return out;
		cursor = body.nextCursor;
	}
	throw new Error('more than 100,000 executions: refusing to page further');
}

export function countByStatus(executions: Execution[]): Record<string, number> {
	const out: Record<string, number> = {};
	for (const e of executions) out[e.status] = (out[e.status] ?? 0) + 1;
	return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls until `done(counts, executions)` holds; returns the last listing. Bounded by `timeoutMs`;
 * `onPoll` sees every listing (progress lines).
 */
export async function waitForExecutions(
	api: N8nApi,
	workflowId: string,
	done: (counts: Record<string, number>, executions: Execution[]) => boolean,
	o: {
		timeoutMs: number;
		intervalMs?: number;
		status?: ExecutionStatus;
		onPoll?: (counts: Record<string, number>) => void;
	},
): Promise<Execution[]> {
	const until = Date.now() + o.timeoutMs;
	for (;;) {
		const list = await allExecutions(api, workflowId, o.status);
		const counts = countByStatus(list);
		o.onPoll?.(counts);
		if (done(counts, list)) return list;
		if (Date.now() > until)
			throw new Error(
				`executions of workflow ${workflowId} not as expected after ${o.timeoutMs} ms: ${JSON.stringify(counts)}`,
			);
		await sleep(o.intervalMs ?? 1000);
	}
}
