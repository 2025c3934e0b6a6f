/**
 * Workflows API (§3.7): run, run status and the workflow's parameter list. The key travels in a
 * `key` header; the callback URL comes from the workflow's settings, never from the run body.
 */
import { drawDelay } from './behaviour';
import type { SimContext } from './context';
import { queueFinalCallback } from './delivery';
import { admitSubmit, checkHeaderKey, withoutKey, type IncomingCall } from './gate';
import { outputFiles, type JobRecord } from './jobs';
import { apiError, json, type Reply } from './replies';
import type { JsonObject, JsonValue, WorkflowDefinition, WorkflowParameter } from './types';
import { isMissing } from './validation';
import { webhooksPageCallback } from './workflowCallbacks';

export const DEFAULT_WORKFLOW: WorkflowDefinition = {
	name: 'Simulated workflow',
	parameters: [
		{ key: 'prompt', type: 'string', required: true, node_id: '1', node_name: 'Prompt' },
		{ key: 'width', type: 'integer', required: false, node_id: '2', node_name: 'Image Generator' },
		{ key: 'height', type: 'integer', required: false, node_id: '2', node_name: 'Image Generator' },
	],
};

/**
 * The workflow `GET /api/v1/workflows` always lists (with DEFAULT_WORKFLOW's parameters). Any other
 * id runs too, with the default parameters, but is listed only once `defineWorkflow` named it.
 */
export const DEFAULT_WORKFLOW_ID = '5f0c3a9e-8b1d-4c2a-9e7f-2d6b1a4c8e30';

/** "10 requests/min per user by default" (§3.7). */
const WORKFLOW_RATE_LIMIT = 10;

/** "Workflow webhooks: up to 3 retries with exponential backoff" (§5). */
const WORKFLOW_WEBHOOK_RETRIES = 3;

function definitionOf(ctx: SimContext, workflowId: string): WorkflowDefinition {
	return ctx.workflows.definitions.get(workflowId) ?? DEFAULT_WORKFLOW;
}

function hasType(value: JsonValue, type: WorkflowParameter['type']): boolean {
	switch (type) {
		case 'string':
			return typeof value === 'string';
		case 'integer':
			return typeof value === 'number' && Number.isInteger(value);
		case 'number':
			return typeof value === 'number';
		case 'boolean':
			return typeof value === 'boolean';
	}
}

function validateRunBody(definition: WorkflowDefinition, body: JsonObject): string | undefined {
	for (const parameter of definition.parameters) {
		const value = body[parameter.key];
		if (isMissing(value)) {
			if (parameter.required) return `${parameter.key} is required`;
			continue;
		}
		if (value !== undefined && !hasType(value, parameter.type))
			return `${parameter.key} must be of type ${parameter.type}`;
	}
	return undefined;
}

function iso(epochMs: number | undefined): string | null {
	return epochMs === undefined ? null : new Date(epochMs).toISOString();
}

function statusUrl(ctx: SimContext, workflowId: string, executionId: string): string {
	return `${ctx.origin}/api/v1/workflows/${encodeURIComponent(workflowId)}/runs/${executionId}`;
}

function markRunning(ctx: SimContext, job: JobRecord): void {
	if (job.workflowStatus !== 'pending') return;
	job.workflowStatus = 'running';
	job.startedAt = Date.now();
	ctx.log(`workflow run ${job.id} running`);
}

export function finishWorkflowRun(
	ctx: SimContext,
	job: JobRecord,
	outcome: 'success' | 'failed',
): Promise<void> {
	if (job.status !== 'processing') return job.callbackChain;
	ctx.timers.cancel(job.timer);
	job.timer = undefined;
	markRunning(ctx, job);
	const completedAt = Date.now();
	job.status = outcome;
	job.workflowStatus = outcome === 'success' ? 'completed' : 'failed';
	job.finishedAt = completedAt;
	if (outcome === 'failed')
		job.error = `Workflow failed: ${job.behaviour.errorMessage ?? 'simulated failure'}`;
	ctx.log(`workflow run ${job.id} ${job.workflowStatus}`);
	if (!job.webhook) return job.callbackChain;
	const common = {
		execution_id: Number(job.id),
		workflow_id: job.workflowId ?? '',
		completed_at: iso(completedAt),
	};
	const body: JsonObject =
		job.behaviour.workflowCallbackShape === 'webhooksPage'
			? webhooksPageCallback(job, outcome, completedAt)
			: outcome === 'success'
				? {
						event: 'workflow.completed',
						...common,
						status: 'completed',
						output: { output: [...job.output] },
					}
				: { event: 'workflow.failed', ...common, status: 'failed', error: job.error ?? null };
	return queueFinalCallback(ctx, job, job.webhook, body, 'workflow', WORKFLOW_WEBHOOK_RETRIES);
}

function scheduleRun(ctx: SimContext, job: JobRecord, delayMs: number): void {
	const { behaviour } = job;
	const totalMs = behaviour.instant ? 0 : delayMs;
	ctx.timers.after(Math.floor(totalMs / 3), () => markRunning(ctx, job));
	if (behaviour.hold && !behaviour.instant) return;
	job.timer = ctx.timers.after(totalMs, () =>
		finishWorkflowRun(ctx, job, behaviour.outcome ?? 'success'),
	);
}

/** `POST /api/v1/workflows/{workflow_id}/run`: HTTP 202 on success. */
export function runWorkflow(ctx: SimContext, workflowId: string, call: IncomingCall): Reply {
	const keyProblem = checkHeaderKey(ctx, call);
	if (keyProblem) return keyProblem;
	const body = call.body ?? {};
	const admission = admitSubmit(ctx, body, {
		problem: validateRunBody(definitionOf(ctx, workflowId), body),
		errorField: 'message',
		validationStatus: 422,
		takesQueuePlace: false,
	});
	if ('reply' in admission) return admission.reply;

	const { behaviour } = admission;
	const numericId = ctx.jobs.allocateNumericId();
	const id = String(numericId);
	const { files, urls } = outputFiles(ctx.origin, id, 'png', 1);
	const delayMs = drawDelay(ctx.random, behaviour.delayMs, ctx.callbackDelayMs);
	const webhook = ctx.workflows.webhooks.get(workflowId);
	const job: JobRecord = {
		id,
		kind: 'workflowRun',
		endpoint: `/v1/workflows/${workflowId}/run`,
		status: 'processing',
		workflowStatus: 'pending',
		workflowId,
		request: withoutKey(body),
		webhook,
		behaviour,
		output: urls,
		files,
		delayMs,
		eta: Math.round(delayMs / 10) / 100,
		createdAt: Date.now(),
		callbackChain: Promise.resolve(),
	};
	ctx.jobs.add(job);
	scheduleRun(ctx, job, delayMs);
	return json(202, {
		status: 'success',
		message: 'Workflow execution started',
		execution_id: numericId,
		workflow_id: workflowId,
		status_url: statusUrl(ctx, workflowId, id),
		webhook_url: webhook ?? null,
	});
}

/** `GET /api/v1/workflows/{workflow_id}/runs/{execution_id}`. */
export function workflowRunStatus(
	ctx: SimContext,
	workflowId: string,
	executionId: string,
	call: IncomingCall,
): Reply {
	const keyProblem = checkHeaderKey(ctx, call);
	if (keyProblem) return keyProblem;
	const job = ctx.jobs.get(executionId);
	if (!job || job.kind !== 'workflowRun' || job.workflowId !== workflowId) {
		return apiError(`Execution ${executionId} not found for workflow ${workflowId}`, {
			httpStatus: 404,
		});
	}
	const status = job.workflowStatus ?? 'pending';
	const executionTime =
		job.startedAt !== undefined && job.finishedAt !== undefined
			? Math.round(job.finishedAt - job.startedAt) / 1000
			: null;
	return json(200, {
		status: 'success',
		execution: {
			id: Number(job.id),
			workflow_id: workflowId,
			status,
			started_at: iso(job.startedAt),
			completed_at: iso(job.finishedAt),
			execution_time: executionTime,
		},
		output: { output: job.status === 'success' ? [...job.output] : [], proxy_links: [], status },
		error: job.error ?? null,
		steps: [],
	});
}

/** `GET /api/v1/workflows/{workflow_id}`: the parameters a run body carries. */
export function workflowSchema(ctx: SimContext, workflowId: string, call: IncomingCall): Reply {
	const keyProblem = checkHeaderKey(ctx, call);
	if (keyProblem) return keyProblem;
	const definition = definitionOf(ctx, workflowId);
	return json(200, {
		status: 'success',
		workflow: { id: workflowId, name: definition.name },
		parameters: definition.parameters.map((parameter) => ({ ...parameter })),
	});
}

/**
 * `GET /api/v1/workflows` (key header): `{status, workflows:[{id, name, description, rate_limit,
 * call_count, last_called_at, created_at, updated_at}]}`, the built-in workflow first, then the
 * defined ones in the order they were first defined. `call_count` counts runs since reset().
 */
export function listWorkflows(ctx: SimContext, call: IncomingCall): Reply {
	const keyProblem = checkHeaderKey(ctx, call);
	if (keyProblem) return keyProblem;
	const ids = [DEFAULT_WORKFLOW_ID, ...ctx.workflows.definitions.keys()].filter(
		(id, index, all) => all.indexOf(id) === index,
	);
	const runs = [...ctx.jobs.byId.values()].filter((job) => job.kind === 'workflowRun');
	return json(200, {
		status: 'success',
		workflows: ids.map((id) => {
			const definition = definitionOf(ctx, id);
			const ownRuns = runs.filter((job) => job.workflowId === id);
			const lastRun = Math.max(...ownRuns.map((job) => job.createdAt));
			const definedAt = ctx.workflows.definedAt.get(id) ?? ctx.startedAt;
			return {
				id,
				name: definition.name,
				description: definition.description ?? '',
				rate_limit: WORKFLOW_RATE_LIMIT,
				call_count: ownRuns.length,
				last_called_at: ownRuns.length === 0 ? null : iso(lastRun),
				created_at: iso(id === DEFAULT_WORKFLOW_ID ? ctx.startedAt : definedAt),
				updated_at: iso(definedAt),
			};
		}),
	});
}
