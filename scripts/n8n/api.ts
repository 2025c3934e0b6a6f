// Typed client for n8n's public REST API (X-N8N-API-KEY), plus node types via the owner session.
import { http, httpJson, N8nHttpError } from './http';
import type { N8nLine } from './lines';
import type { RestSession } from './session';

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	webhookId?: string;
	credentials?: Record<string, { id: string; name: string }>;
	disabled?: boolean;
}

export type Connections = Record<
	string,
	{ main: Array<Array<{ node: string; type: 'main'; index: number }>> }
>;

/** Exactly what POST /api/v1/workflows accepts: extra properties are rejected. */
export interface WorkflowInput {
	name: string;
	nodes: WorkflowNode[];
	connections: Connections;
	settings: Record<string, unknown>;
}

export interface Workflow extends WorkflowInput {
	id: string;
	active: boolean;
	/** What nodes keep between executions (`node:<name>` → data); null until one saves some. */
	staticData?: Record<string, unknown> | null;
	createdAt: string;
	updatedAt: string;
}

export type ExecutionStatus =
	'new' | 'running' | 'waiting' | 'success' | 'error' | 'crashed' | 'canceled' | 'unknown';

export interface Execution {
	id: string;
	workflowId: string;
	status: ExecutionStatus;
	finished: boolean;
	mode: string;
	startedAt: string;
	stoppedAt: string | null;
	waitTill: string | null;
	/** Only with includeData. */
	data?: {
		/** Set while parked; stale after a resume until the final data row is written. */
		waitTill?: string | null;
		/** Nodes' context data (`node:<name>`), saved with the execution at each park. */
		executionData?: { contextData?: Record<string, Record<string, unknown> | undefined> };
		resultData: {
			error?: { message: string; description?: string; stack?: string; node?: { name: string } };
			lastNodeExecuted?: string;
			runData: Record<
				string,
				Array<{
					data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> };
					error?: unknown;
				}>
			>;
		};
	};
}

/** A workflow as GET /api/v1/workflows lists it. */
export interface WorkflowSummary extends Workflow {
	/** n8n 2.x. */
	isArchived?: boolean;
}

export interface Credential {
	id: string;
	name: string;
	type: string;
}

export interface WaitOptions {
	timeoutMs?: number;
	intervalMs?: number;
}

const TERMINAL: ExecutionStatus[] = ['success', 'error', 'crashed', 'canceled'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class N8nApi {
	/**
	 * `webhookOrigin`: where production webhooks are served, which waitForWebhook (and so
	 * activateWorkflow) polls; default `baseUrl`, the webhook processor in queue mode.
	 */
	constructor(
		readonly baseUrl: string,
		readonly apiKey: string,
		readonly line: N8nLine,
		private readonly session: RestSession,
		readonly webhookOrigin: string = baseUrl,
	) {}

	private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
		const { body: out } = await httpJson<T>({
			method,
			url: `${this.baseUrl}/api/v1${path}`,
			headers: { 'X-N8N-API-KEY': this.apiKey },
			body,
		});
		return out;
	}

	createWorkflow(wf: WorkflowInput): Promise<Workflow> {
		return this.call('POST', '/workflows', wf);
	}

	/** Replaces a workflow's name, nodes, connections and settings (public API PUT). */
	updateWorkflow(id: string, wf: WorkflowInput): Promise<Workflow> {
		return this.call('PUT', `/workflows/${id}`, {
			name: wf.name,
			nodes: wf.nodes,
			connections: wf.connections,
			settings: wf.settings ?? {},
		});
	}

	getWorkflow(id: string): Promise<Workflow> {
		return this.call('GET', `/workflows/${id}`);
	}

	/**
	 * Activates (1.x) or publishes (2.x) and waits until the workflow's webhooks answer (at webhookOrigin).
	 * 2.x registers webhooks asynchronously after the 200 (about 150 ms of 404s).
	 */
	async activateWorkflow(
		id: string,
		opts: WaitOptions & { webhookPaths?: string[] } = {},
	): Promise<Workflow> {
		const wf = await this.call<Workflow>(
			'POST',
			`/workflows/${id}/${this.line === '1' ? 'activate' : 'publish'}`,
		);
		const paths =
			opts.webhookPaths ?? webhookPathsOf(wf.nodes ?? (await this.getWorkflow(id)).nodes);
		for (const p of paths) await this.waitForWebhook(p, opts);
		return wf;
	}

	async deactivateWorkflow(id: string): Promise<Workflow> {
		return this.call('POST', `/workflows/${id}/${this.line === '1' ? 'deactivate' : 'unpublish'}`);
	}

	async deleteWorkflow(id: string): Promise<void> {
		await this.call('DELETE', `/workflows/${id}`);
	}

	/** Every workflow (cursor pages of 250), archived ones included where n8n lists them. */
	async listWorkflows(q: { active?: boolean } = {}): Promise<WorkflowSummary[]> {
		const out: WorkflowSummary[] = [];
		let cursor: string | undefined;
		for (let page = 0; page < 100; page++) {
			const qs = new URLSearchParams({ limit: '250', excludePinnedData: 'true' });
			if (q.active !== undefined) qs.set('active', String(q.active));
			if (cursor) qs.set('cursor', cursor);
			const body = await this.call<{ data: WorkflowSummary[]; nextCursor?: string | null }>(
				'GET',
				`/workflows?${qs}`,
			);
			out.push(...body.data);
			if (!body.nextCursor) return out;
			cursor = body.nextCursor;
		}
		throw new Error('more than 25,000 workflows: refusing to page further');
	}

	/** n8n 2.x: archives (and unpublishes) a workflow; an archived one cannot be published again. */
	async archiveWorkflow(id: string): Promise<void> {
		await this.call('POST', `/workflows/${id}/archive`);
	}

	/**
	 * n8n 2.x: stops every execution with one of the statuses, instance-wide or of one workflow
	 * (`queued` is n8n's `new`); stopped ones end as `canceled`. Returns how many it stopped.
	 */
	async stopExecutions(
		status: Array<'queued' | 'running' | 'waiting'>,
		workflowId = 'all',
	): Promise<number> {
		const out = await this.call<{ stopped: number }>('POST', '/executions/stop', {
			status,
			workflowId,
		});
		return out.stopped;
	}

	/** Hard-deletes one execution; n8n refuses (400) while it is `running`. */
	async deleteExecution(id: string): Promise<void> {
		await this.call('DELETE', `/executions/${id}`);
	}

	/** A CORS preflight reaches the webhook router without starting an execution: 204 = registered (at webhookOrigin). */
	async waitForWebhook(
		path: string,
		{ timeoutMs = 15_000, intervalMs = 100 }: WaitOptions = {},
	): Promise<void> {
		const url = `${this.webhookOrigin}/webhook/${path.replace(/^\//, '')}`;
		const until = Date.now() + timeoutMs;
		let last = 0;
		while (Date.now() < until) {
			const res = await http({
				method: 'OPTIONS',
				url,
				headers: { origin: this.webhookOrigin, 'access-control-request-method': 'POST' },
			});
			last = res.status;
			if (res.status === 204) return;
			await sleep(intervalMs);
		}
		throw new Error(
			`webhook ${url} not registered after ${timeoutMs} ms (last OPTIONS status ${last})`,
		);
	}

	getExecution(id: string, includeData = true): Promise<Execution> {
		return this.call('GET', `/executions/${id}?includeData=${includeData}`);
	}

	/** Note: 1.123 omits executions it still tracks as active, parked (waiting) ones included. */
	async listExecutions(
		q: { workflowId?: string; status?: ExecutionStatus; limit?: number } = {},
	): Promise<Execution[]> {
		const qs = new URLSearchParams();
		if (q.workflowId) qs.set('workflowId', q.workflowId);
		if (q.status) qs.set('status', q.status);
		qs.set('limit', String(q.limit ?? 100));
		const out = await this.call<{ data: Execution[] }>('GET', `/executions?${qs}`);
		return out.data;
	}

	/** Polls until the execution has one of `statuses`; throws (with the last state) on a timeout. */
	async waitForExecution(
		id: string,
		statuses: ExecutionStatus | ExecutionStatus[],
		opts: WaitOptions = {},
	): Promise<Execution> {
		const want = Array.isArray(statuses) ? statuses : [statuses];
		const { timeoutMs = 30_000, intervalMs = 250 } = opts;
		const until = Date.now() + timeoutMs;
		let last: Execution | undefined;
		for (;;) {
			try {
				last = await this.getExecution(id, true);
				if (want.includes(last.status)) {
					if (!TERMINAL.includes(last.status)) return last;
					// 1.x on SQLite writes the status row, then the data row, without a transaction:
					// a read in between pairs "success" with the parked run's data. Read again.
					await sleep(Math.max(intervalMs, 200));
					const again = await this.getExecution(id, true);
					if (want.includes(again.status) && !again.data?.waitTill) return again;
					last = again;
				}
			} catch (e) {
				// Not saved yet right after the trigger: keep polling.
				if (!(e instanceof N8nHttpError && e.status === 404)) throw e;
			}
			if (Date.now() >= until) {
				const err = last?.data?.resultData.error;
				throw new Error(
					`execution ${id} not ${want.join('|')} after ${timeoutMs} ms: status ${last?.status ?? 'not found'}` +
						(err ? `, error: ${err.message}` : ''),
				);
			}
			await sleep(intervalMs);
		}
	}

	createCredential(c: {
		name: string;
		type: string;
		data: Record<string, unknown>;
	}): Promise<Credential> {
		return this.call('POST', '/credentials', c);
	}

	async deleteCredential(id: string): Promise<void> {
		await this.call('DELETE', `/credentials/${id}`);
	}

	/**
	 * Runs a workflow as the editor's "Execute workflow" button does, from the named trigger (the
	 * internal /rest route, owner cookie): a manual execution, parked like any other when a node
	 * waits. Returns its id.
	 */
	async runManually(workflowId: string, triggerName: string): Promise<string> {
		const body =
			this.line === '1'
				? {
						workflowData: (
							await this.session.request<{ data: Record<string, unknown> }>(
								'GET',
								`/rest/workflows/${workflowId}`,
							)
						).data,
						triggerToStartFrom: { name: triggerName },
					}
				: { triggerToStartFrom: { name: triggerName } };
		const out = await this.session.request<{ data: { executionId?: string } }>(
			'POST',
			`/rest/workflows/${workflowId}/run`,
			body,
		);
		if (!out.data.executionId)
			throw new Error(
				`manual run of ${workflowId} started no execution: ${JSON.stringify(out.data)}`,
			);
		return String(out.data.executionId);
	}

	/**
	 * The error n8n kept from activating a workflow, as its editor shows it (internal /rest route,
	 * owner cookie); undefined when there is none. n8n 2.x publishes first and activates after.
	 */
	async activationError(workflowId: string): Promise<string | undefined> {
		const out = await this.session.request<{ data?: string | null }>(
			'GET',
			`/rest/active-workflows/error/${workflowId}`,
		);
		return out.data ?? undefined;
	}

	/** GET /types/nodes.json (cookie auth; the API key is not accepted there). */
	nodeTypes(): ReturnType<RestSession['nodeTypes']> {
		return this.session.nodeTypes();
	}
}

/** Static paths of n8n's own Webhook nodes (expressions cannot be probed). */
export function webhookPathsOf(nodes: WorkflowNode[]): string[] {
	return nodes
		.filter((n) => n.type === 'n8n-nodes-base.webhook' && !n.disabled)
		.map((n) => String(n.parameters.path ?? ''))
		.filter((p) => p && !p.startsWith('='));
}
