import type { SubmitEndpointSpec } from '../catalog/types';
import type { ModelsLabContext, ModelsLabCredentials } from '../transport/context';
import { QueueFullError, SubmitOutcomeUnknownError } from '../transport/errors';
import { submitJob } from '../transport/jobs';
import { isQueued, isRunning, type ItemJob } from './itemJob';
import { CALLBACK_POLICY } from './jobTracker';

/** Submits in flight at once: enough to fill a 5-15 job queue quickly, gentle on the API. */
const SUBMIT_CONCURRENCY = 2;

export interface Submitter {
	context: ModelsLabContext;
	endpoint: SubmitEndpointSpec;
	/** Set when the submits run after the webhook call that read the credential answered. */
	credentials?: ModelsLabCredentials;
	/** Told about every accepted job (logs: the ids of paced jobs live nowhere else durable). */
	onAccepted?: (job: ItemJob) => void;
}

export interface WaveResult {
	/** Set when ModelsLab said its queue is full: seconds it asked to wait. */
	queueFullFor?: number;
}

/**
 * Submits the given queued jobs in order until `capacity` jobs run or ModelsLab's queue is full.
 * A job refused with a full queue stays queued; any other failure is that item's error.
 */
export async function submitWave(
	submitter: Submitter,
	candidates: ItemJob[],
	running: number,
	capacity: number,
): Promise<WaveResult> {
	const queue = candidates.filter(isQueued);
	let inFlight = running;
	let queueFullFor: number | undefined;
	const worker = async (): Promise<void> => {
		while (queueFullFor === undefined && inFlight < capacity) {
			const job = queue.shift();
			if (!job?.request) return;
			inFlight++;
			const outcome = await submitOne(submitter, job);
			if (!isRunning(job)) inFlight--;
			if (typeof outcome === 'number') {
				queue.unshift(job);
				queueFullFor ??= outcome;
			}
		}
	};
	await Promise.all(Array.from({ length: SUBMIT_CONCURRENCY }, worker));
	return { queueFullFor };
}

/**
 * One submit; returns the seconds to wait when the account's queue is full. A submit whose outcome
 * is unknown (the job may exist) leaves the item unsure: never submitted again, settled by its
 * callback if it comes.
 */
export async function submitOne(submitter: Submitter, job: ItemJob): Promise<number | 'done'> {
	const request = job.request;
	if (!request) return 'done';
	try {
		job.state = await submitJob.call(
			submitter.context,
			submitter.endpoint,
			request.body,
			request.pathValues,
			job.itemIndex,
			{ onQueueFull: 'report', credentials: submitter.credentials },
		);
		job.submittedAt = Date.now();
		job.pathValues = request.pathValues;
		job.request = undefined;
		submitter.onAccepted?.(job);
	} catch (error) {
		if (error instanceof QueueFullError) return error.retryAfterSeconds;
		if (error instanceof SubmitOutcomeUnknownError) {
			const now = Date.now();
			job.submittedAt = now;
			job.unsure = {
				reason: 'outcome',
				until: now + CALLBACK_POLICY.firstDelayMs(undefined),
				// The transport's words say why the outcome is unknown and how to find the job.
				message: [error.error.message, error.error.description].filter(Boolean).join(' '),
			};
		} else job.error = error instanceof Error ? error : new Error(String(error));
		job.request = undefined;
	}
	return 'done';
}
