import { sleep, type IWebhookFunctions } from 'n8n-workflow';

import type { NormalisedCallback } from '../shared/transport/callbackPayload';
import type { JobState } from '../shared/transport/jobState';
import { quote } from './responses';
import { verifyCallback, type JobRead } from './verifyCallback';

/**
 * Reading a callback's job back until ModelsLab's fetch endpoint has caught up with it. A final
 * callback (success or failed) can arrive before the fetch endpoint shows the job as final, and
 * ModelsLab sends a generation callback once (docs/modelslab-api.md §5): dropping it loses the job.
 * So the job is read again, backing off. Within ANSWER_WINDOW_MS the sender keeps waiting (ModelsLab
 * gives up after 30 s), and a failed read may still turn into a 5xx it can retry on; after that
 * the sender gets a 202 and the reads go on without it, to the end of CONFIRM_DELAYS_MS.
 */

/** Waits before each further read; about 4 minutes in all, within the dedup claim's 5. */
export const CONFIRM_DELAYS_MS: readonly number[] = [
	1_000, 2_000, 4_000, 8_000, 15_000, 30_000, 60_000, 60_000, 60_000,
];
/** Until then the sender waits for the real answer. */
export const ANSWER_WINDOW_MS = 20_000;
/** Jobs read on in the background at once in this process; beyond it a sender gets a 503. */
export const MAX_BACKGROUND_CONFIRMATIONS = 100;

let inBackground = 0;

export type Confirmation =
	/** ModelsLab's word, final or matching what the callback claims. */
	| { kind: 'read'; state: JobState }
	/** The job could not be read within the answer window; the sender is still waiting. */
	| { kind: 'unreadable'; error: string }
	/** Too many jobs already read on in the background; the sender is still waiting. */
	| { kind: 'overloaded' }
	/** The sender got its 202 and the job never became readable or final: nothing starts. */
	| { kind: 'gaveUp'; detail: string };

export interface ConfirmationTiming {
	delaysMs?: readonly number[];
	answerWindowMs?: number;
}

/**
 * Reads the job until ModelsLab's answer is final or agrees with the callback. `answerEarly`
 * sends the sender its 202 once the answer window would pass; it is called at most once.
 */
export async function confirmJob(
	context: IWebhookFunctions,
	callback: NormalisedCallback,
	jobRead: JobRead,
	answerEarly: () => void,
	timing: ConfirmationTiming = {},
): Promise<Confirmation> {
	const delays = timing.delaysMs ?? CONFIRM_DELAYS_MS;
	const window = timing.answerWindowMs ?? ANSWER_WINDOW_MS;
	const arrived = Date.now();
	let answered = false;
	try {
		let read = await readOnce(context, callback, jobRead);
		for (const delay of delays) {
			if ('state' in read && !awaitsFinal(callback, read.state)) break;
			if (!answered && Date.now() - arrived + delay > window) {
				// A read that keeps failing is the sender's to retry; only a lagging job is read on.
				if ('error' in read) return { kind: 'unreadable', error: read.error };
				if (inBackground >= MAX_BACKGROUND_CONFIRMATIONS) return { kind: 'overloaded' };
				inBackground++;
				answered = true;
				answerEarly();
			}
			await sleep(delay);
			read = await readOnce(context, callback, jobRead);
		}
		if ('state' in read && !awaitsFinal(callback, read.state))
			return { kind: 'read', state: read.state };
		if (!answered) {
			return 'error' in read
				? { kind: 'unreadable', error: read.error }
				: { kind: 'read', state: read.state };
		}
		return {
			kind: 'gaveUp',
			detail: `job ${quote(callback.id)} is still ${'error' in read ? `unreadable (${read.error})` : 'not final'} at ModelsLab ${Math.round((Date.now() - arrived) / 1000)} s after its ${callback.status} callback; nothing started`,
		};
	} finally {
		if (answered) inBackground--;
	}
}

/** The callback says the job is over, ModelsLab does not (yet). */
function awaitsFinal(callback: NormalisedCallback, state: JobState): boolean {
	return callback.phase !== 'pending' && state.phase === 'pending';
}

async function readOnce(
	context: IWebhookFunctions,
	callback: NormalisedCallback,
	jobRead: JobRead,
): Promise<{ state: JobState } | { error: string }> {
	try {
		return { state: await verifyCallback.call(context, callback, jobRead) };
	} catch (error) {
		return { error: error instanceof Error ? error.message : String(error) };
	}
}
