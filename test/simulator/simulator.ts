/**
 * The running simulator: the control surface tests use (plans, completion, waiting, reset, stop).
 */
import type { Server } from 'node:http';

import { emptyCounters, type SimContext } from './context';
import { finishGeneration } from './generations';
import { completeTraining } from './training';
import type {
	DeliveredCallback,
	FaceSwapFamily,
	FetchFault,
	JobBehaviour,
	RecordedRequest,
	SimJob,
	SimStats,
	SimUpload,
	Simulator,
	WorkflowDefinition,
} from './types';
import { finishWorkflowRun } from './workflows';

const DEFAULT_WAIT_FOR_CALLBACKS_MS = 5000;

/** A queue limit is a non-negative integer (0 turns every generation and training away). */
export function checkQueueLimit(limit: number | undefined): number | undefined {
	if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0))
		throw new RangeError(`queueLimit must be a non-negative integer, not ${String(limit)}`);
	return limit;
}

export class RunningSimulator implements Simulator {
	readonly baseUrl: string;
	readonly origin: string;
	readonly apiKey: string;
	readonly requests: RecordedRequest[];
	readonly callbacks: DeliveredCallback[];
	private stopping: Promise<void> | undefined;

	constructor(
		private readonly ctx: SimContext,
		private readonly server: Server,
		requests: RecordedRequest[],
	) {
		this.origin = ctx.origin;
		this.baseUrl = `${ctx.origin}/api`;
		this.apiKey = ctx.apiKey;
		this.requests = requests;
		this.callbacks = ctx.callbacks.delivered;
	}

	get jobs(): ReadonlyMap<string, SimJob> {
		return this.ctx.jobs.byId;
	}

	plan(behaviour: JobBehaviour, count = 1): void {
		this.ctx.planner.plan(behaviour, count);
	}

	setDefaultBehaviour(behaviour: JobBehaviour): void {
		this.ctx.planner.setDefault(behaviour);
	}

	async completeJob(id: string, outcome?: 'success' | 'failed'): Promise<void> {
		const job = this.ctx.jobs.get(id);
		if (!job) throw new Error(`No simulated job with id ${id}`);
		if (job.status !== 'processing') throw new Error(`Job ${id} already finished (${job.status})`);
		const finalOutcome = outcome ?? job.behaviour.outcome ?? 'success';
		switch (job.kind) {
			case 'generation':
				return finishGeneration(this.ctx, job, finalOutcome);
			case 'training':
				return completeTraining(this.ctx, job, finalOutcome);
			case 'workflowRun':
				return finishWorkflowRun(this.ctx, job, finalOutcome);
		}
	}

	waitForCallbacks(
		n: number,
		timeoutMs = DEFAULT_WAIT_FOR_CALLBACKS_MS,
	): Promise<DeliveredCallback[]> {
		return this.ctx.callbacks.waitFor(n, timeoutMs);
	}

	setWorkflowWebhook(workflowId: string, url: string | undefined): void {
		if (url === undefined) this.ctx.workflows.webhooks.delete(workflowId);
		else this.ctx.workflows.webhooks.set(workflowId, url);
	}

	defineWorkflow(workflowId: string, definition: WorkflowDefinition): void {
		this.ctx.workflows.definitions.set(workflowId, definition);
		this.ctx.workflows.definedAt.set(workflowId, Date.now());
	}

	setQueueLimit(limit: number | undefined): void {
		this.ctx.queue.limit = checkQueueLimit(limit);
	}

	setFaceSwapPaths(families: readonly FaceSwapFamily[]): void {
		this.ctx.quirks.setFaceSwapPaths(families);
	}

	planFetch(fault: FetchFault, count = 1): void {
		this.ctx.quirks.planFetch(fault, count);
	}

	stats(): SimStats {
		return {
			...this.ctx.counters,
			running: this.ctx.jobs.runningCount(),
			maxRunning: this.ctx.jobs.maxRunning,
		};
	}

	uploads(): readonly SimUpload[] {
		return this.ctx.uploads.list.map((upload) => ({ ...upload }));
	}

	expireUploads(): void {
		this.ctx.uploads.expireAll(Date.now());
	}

	reset(): void {
		this.cancelPendingWork('reset');
		this.requests.length = 0;
		this.callbacks.length = 0;
		Object.assign(this.ctx.counters, emptyCounters());
		this.ctx.queue.limit = this.ctx.queue.configuredLimit;
		this.ctx.jobs.clear();
		this.ctx.uploads.clear();
		this.ctx.planner.reset();
		this.ctx.quirks.reset();
		this.ctx.random.restart();
		this.ctx.workflows.webhooks.clear();
		this.ctx.workflows.definitions.clear();
		this.ctx.workflows.definedAt.clear();
	}

	stop(): Promise<void> {
		this.stopping ??= new Promise<void>((resolve, reject) => {
			this.cancelPendingWork('stopped');
			this.server.close((error) => (error ? reject(error) : resolve()));
			// Keep-alive client sockets would otherwise hold close() open.
			this.server.closeAllConnections();
		});
		return this.stopping;
	}

	private cancelPendingWork(reason: string): void {
		this.ctx.timers.cancelAll();
		this.ctx.callbacks.cancelAll(reason);
	}
}
