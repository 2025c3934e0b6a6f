/**
 * Training jobs (§3.6): lora_fine_tune / fine_tune submit, the state sequence posted to the
 * webhook, and fine_tune_status. Training endpoints spell their error text `messege`.
 */
import { drawDelay } from './behaviour';
import type { SimContext } from './context';
import { queueCallback, queueFinalCallback } from './delivery';
import type { EndpointRule } from './endpoints';
import { admitSubmit, checkBodyKey, withoutKey, type IncomingCall } from './gate';
import type { JobRecord } from './jobs';
import { apiError, json, type Reply } from './replies';
import type { JsonObject, TrainingState } from './types';
import { validateSubmitBody } from './validation';

export const TRAINING_STATES = [
	'deploying_gpu',
	'training_started',
	'training_success',
	'trained_model_compressing',
	'trained_model_uploading',
	'trained_model_uploaded',
	'deploying_model',
	'model_ready',
] as const satisfies readonly TrainingState[];

/** A failing training reports `failed` right after `training_started`. */
const LAST_STEP_BEFORE_FAILURE = 1;

function logFor(state: TrainingState, job: JobRecord): string {
	switch (state) {
		case 'deploying_gpu':
			return 'it will take upto 25 minutes';
		case 'training_started':
			return `training started: step 0 of ${String(job.request.max_train_steps ?? 'n/a')}`;
		case 'training_success':
			return 'training finished';
		case 'trained_model_compressing':
			return 'compressing the trained model';
		case 'trained_model_uploading':
			return 'uploading the trained model';
		case 'trained_model_uploaded':
			return 'trained model uploaded';
		case 'deploying_model':
			return 'deploying the model';
		case 'model_ready':
			return `model ready, use model_id ${job.id}`;
		case 'failed':
			return `Training failed: ${job.behaviour.errorMessage ?? 'simulated failure'}`;
	}
}

function isFinal(job: JobRecord): boolean {
	return job.trainingState === 'model_ready' || job.trainingState === 'failed';
}

/** Enters the next state and posts it; resolves once that callback is delivered. */
function advanceTraining(
	ctx: SimContext,
	job: JobRecord,
	outcome: 'success' | 'failed',
): Promise<void> {
	const step = (job.trainingStep ?? -1) + 1;
	const state: TrainingState =
		outcome === 'failed' && step > LAST_STEP_BEFORE_FAILURE ? 'failed' : TRAINING_STATES[step];
	job.trainingStep = step;
	job.trainingState = state;
	if (isFinal(job)) {
		job.status = state === 'failed' ? 'failed' : 'success';
		job.finishedAt = Date.now();
	}
	ctx.log(`training ${job.id} ${state}`);
	if (!job.webhook || job.behaviour.dropCallback) return job.callbackChain;
	const body: JsonObject = {
		status: state === 'failed' ? 'failed' : 'success',
		training_status: state,
		logs: logFor(state, job),
		model_id: job.id,
	};
	return isFinal(job)
		? queueFinalCallback(ctx, job, job.webhook, body, 'trainingState')
		: queueCallback(ctx, job, job.webhook, body, 'trainingState');
}

function scheduleNextState(ctx: SimContext, job: JobRecord): void {
	if (isFinal(job) || job.behaviour.hold) return;
	job.timer = ctx.timers.after(job.delayMs, () => {
		job.timer = undefined;
		void advanceTraining(ctx, job, job.behaviour.outcome ?? 'success');
		scheduleNextState(ctx, job);
	});
}

/** Runs the remaining states at once (completeJob on a held or slow training). */
export async function completeTraining(
	ctx: SimContext,
	job: JobRecord,
	outcome: 'success' | 'failed',
): Promise<void> {
	ctx.timers.cancel(job.timer);
	job.timer = undefined;
	while (!isFinal(job)) void advanceTraining(ctx, job, outcome);
	await job.callbackChain;
}

export function submitTraining(ctx: SimContext, rule: EndpointRule, call: IncomingCall): Reply {
	const keyProblem = checkBodyKey(ctx, call, 'messege');
	if (keyProblem || !call.body)
		return keyProblem ?? apiError('Invalid API key', { httpStatus: 401, field: 'messege' });
	const body = call.body;
	const admission = admitSubmit(ctx, body, {
		problem: validateSubmitBody(body, rule),
		errorField: 'messege',
		validationStatus: 200,
		validationExtra: { code: 422 },
		takesQueuePlace: true,
	});
	if ('reply' in admission) return admission.reply;

	const id = ctx.jobs.allocateTrainingId();
	const stepMs = drawDelay(ctx.random, admission.behaviour.delayMs, ctx.trainingStepDelayMs);
	const job: JobRecord = {
		id,
		kind: 'training',
		endpoint: rule.path,
		status: 'processing',
		trainingState: 'deploying_gpu',
		trainingStep: -1,
		request: withoutKey(body),
		webhook: typeof body.webhook === 'string' ? body.webhook : undefined,
		behaviour: admission.behaviour,
		output: [],
		files: [],
		delayMs: stepMs,
		eta: Math.round((stepMs * TRAINING_STATES.length) / 10) / 100,
		createdAt: Date.now(),
		callbackChain: Promise.resolve(),
	};
	ctx.jobs.add(job);
	scheduleNextState(ctx, job);
	return json(200, {
		status: 'success',
		messege: 'deploying_gpu',
		data: 'it will take upto 30 minutes.',
		training_id: id,
	});
}

/** `POST /api/v3/fine_tune_status/{training_id}` with `{key}`. */
export function trainingStatus(ctx: SimContext, id: string, call: IncomingCall): Reply {
	const keyProblem = checkBodyKey(ctx, call, 'messege');
	if (keyProblem) return keyProblem;
	const job = ctx.jobs.get(id);
	if (!job || job.kind !== 'training' || !job.trainingState) {
		return apiError(`Training not found: ${id}`, { field: 'messege', extra: { code: 404 } });
	}
	return json(200, {
		status: 'success',
		messege: job.trainingState,
		data: logFor(job.trainingState, job),
	});
}
