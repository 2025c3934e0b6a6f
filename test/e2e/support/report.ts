// Failure reports: every failing scenario says which n8n, workflow and node failed, and why.
import type { Execution, Workflow } from '../../../scripts/n8n';
import type { E2eN8n } from './stack';

/** Filled in as a scenario goes, read only when it fails. */
export interface ScenarioTrace {
	workflow?: Pick<Workflow, 'id' | 'name'>;
	executionId?: string;
	/** More executions worth showing (e.g. several parked ones). */
	executionIds?: string[];
}

function describeExecution(id: string, exec: Execution | string): string {
	if (typeof exec === 'string') return `execution ${id}: ${exec}`;
	const result = exec.data?.resultData;
	const err = result?.error;
	const nodesRan = Object.entries(result?.runData ?? {}).map(([name, runs]) => {
		const errors = runs
			.map((r) => (r.error as { message?: string } | undefined)?.message)
			.filter(Boolean);
		return `${name} x${runs.length}${errors.length ? ` (error: ${errors.join('; ')})` : ''}`;
	});
	return [
		`execution ${id}: status ${exec.status}, finished ${exec.finished}, waitTill ${exec.waitTill ?? 'none'}`,
		`  failed node: ${err?.node?.name ?? result?.lastNodeExecuted ?? 'n/a'}`,
		`  error: ${err ? `${err.message}${err.description ? ` — ${err.description}` : ''}` : 'none'}`,
		`  nodes run: ${nodesRan.join(', ') || 'none'}`,
	].join('\n');
}

/** Debug lines that flood the log on every expression (2.x) or start. */
const NOISE = /IsolatedVmBridge|Registered rule:|Lazy-loading|No codex available/;

function tail(text: string, lines: number): string {
	return text
		.split('\n')
		.slice(-2000)
		.filter((l) => l.trim() && !NOISE.test(l))
		.slice(-lines)
		.join('\n');
}

/** The last lines of n8n's log; in queue mode of each process (the webhook processor and the workers matter as much as the main). */
function logTail(n8n: E2eN8n, lines = 25): string {
	const byProcess = n8n.processLogs?.();
	if (!byProcess) return tail(n8n.logs(2000), lines);
	return Object.entries(byProcess)
		.map(([name, text]) => `--- ${name}:\n${tail(text, 15)}`)
		.join('\n');
}

/** Runs a scenario; on failure rethrows with n8n version, workflow, node, execution error and log tail. */
export async function withReport<T>(
	n8n: E2eN8n,
	trace: ScenarioTrace,
	scenario: () => Promise<T>,
): Promise<T> {
	try {
		return await scenario();
	} catch (e) {
		const ids = [
			...new Set(
				[trace.executionId, ...(trace.executionIds ?? [])].filter((x): x is string => !!x),
			),
		];
		if (!ids.length && trace.workflow) {
			const listed = await n8n.api
				.listExecutions({ workflowId: trace.workflow.id, limit: 3 })
				.catch(() => []);
			ids.push(...listed.map((x) => String(x.id)));
		}
		const executions = await Promise.all(
			ids.map(async (id) =>
				describeExecution(
					id,
					await n8n.api.getExecution(id, true).catch((err: Error) => `unavailable: ${err.message}`),
				),
			),
		);
		const msg = [
			(e as Error).message,
			`--- n8n ${n8n.version} (line ${n8n.line}) at ${n8n.baseUrl}, log ${n8n.logFile}`,
			`workflow: ${trace.workflow ? `"${trace.workflow.name}" (${trace.workflow.id})` : 'not created'}`,
			...(executions.length ? executions : ['no execution found']),
			`last n8n log lines:\n${logTail(n8n)}`,
		].join('\n');
		throw Object.assign(new Error(msg), { stack: `${msg}\n${(e as Error).stack ?? ''}` });
	}
}
