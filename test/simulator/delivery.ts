/**
 * Per-job callback sequencing: a job's callbacks go out in order (interim before final, training
 * states one after another), and the final one can be duplicated or dropped as the behaviour says.
 */
import type { CallbackTarget } from './callbacks';
import type { SimContext } from './context';
import type { JobRecord } from './jobs';
import { CancelledError } from './timers';
import type { CallbackPurpose, JsonObject, JsonValue } from './types';

/** Gap between sequential duplicate callbacks. */
const DUPLICATE_GAP_MS = 20;

/** Appends one step to the job's callback chain and returns the chain, which never rejects. */
function enqueue(ctx: SimContext, job: JobRecord, step: () => Promise<void>): Promise<void> {
	job.callbackChain = job.callbackChain.then(step).catch((error: unknown) => {
		if (!(error instanceof CancelledError))
			ctx.log(`callback for job ${job.id} failed: ${String(error)}`);
	});
	return job.callbackChain;
}

/** Sends one callback after the job's earlier ones; the caller decides whether callbacks are dropped. */
export function queueCallback(
	ctx: SimContext,
	job: JobRecord,
	url: string,
	body: JsonObject,
	purpose: CallbackPurpose,
	retries = 0,
): Promise<void> {
	return enqueue(ctx, job, () =>
		ctx.callbacks.deliver({ url, body, jobId: job.id, purpose, retries }),
	);
}

/**
 * Sends the final callback plus `duplicateCallbacks` copies: half of the copies race the original,
 * the rest follow one by one. Does nothing when the behaviour drops callbacks.
 */
export function queueFinalCallback(
	ctx: SimContext,
	job: JobRecord,
	url: string,
	body: JsonObject,
	purpose: CallbackPurpose,
	defaultRetries = 0,
): Promise<void> {
	if (job.behaviour.dropCallback) return job.callbackChain;
	const retries = job.behaviour.retryCallbacksOnNon2xx ?? defaultRetries;
	const copies = Math.max(0, job.behaviour.duplicateCallbacks ?? 0);
	const target = (copy: boolean): CallbackTarget => ({
		url,
		body,
		jobId: job.id,
		purpose: copy ? 'duplicate' : purpose,
		retries,
	});
	return enqueue(ctx, job, async () => {
		const racing = Math.ceil(copies / 2);
		await Promise.all([
			ctx.callbacks.deliver(target(false)),
			...Array.from({ length: racing }, () => ctx.callbacks.deliver(target(true))),
		]);
		for (let copy = racing; copy < copies; copy++) {
			await ctx.timers.sleep(DUPLICATE_GAP_MS);
			await ctx.callbacks.deliver(target(true));
		}
	});
}

/** `track_id` as sent, or as a number when the behaviour asks for that and it is digits only. */
export function echoedTrackId(job: JobRecord): JsonValue {
	const trackId = job.trackId ?? null;
	if (job.behaviour.callbackTrackIdAsNumber && typeof trackId === 'string' && /^\d+$/.test(trackId))
		return Number(trackId);
	return trackId;
}
