// Callbacks the load generator sends itself (the simulator only marks the job done): the same
// body the simulator would post, to the URL the job was submitted with.
import type { JsonObject, SimJob, Simulator } from '../../simulator';

/** Jobs park the execution (ETA 60 s: no quick check before parking), never finish on their own, and send no callback. */
export const HELD_QUIET = { hold: true, eta: 60, dropCallback: true } as const;

/** What the simulator posts when a generation job succeeds (generations.ts finalCallbackBody). */
export function successBody(job: SimJob): JsonObject {
	return {
		status: 'success',
		id: Number(job.id),
		output: [...job.output],
		generationTime: 1.5,
		track_id: job.trackId ?? null,
		meta: { ...job.request, webhook: job.webhook ?? null, track_id: job.trackId ?? null },
	};
}

/** Marks a held job done (fetch answers success) without a callback; the caller posts it. */
export async function finishQuietly(sim: Simulator, job: SimJob): Promise<void> {
	if (job.status === 'processing') await sim.completeJob(job.id, 'success');
}

/** A trigger callback for a job the simulator never saw (the trigger does not look jobs up by default). */
export function triggerBody(
	id: number,
	trackId: string,
	status: 'success' | 'failed' = 'success',
): JsonObject {
	return status === 'success'
		? {
				status,
				id,
				output: [`http://127.0.0.1/files/${id}-0.png`],
				generationTime: 1.2,
				track_id: trackId,
				meta: { prompt: `job ${id}`, track_id: trackId },
			}
		: { status, id, message: 'simulated failure', track_id: trackId };
}

/** `…/webhook-waiting/<execution id>/…` of a callback URL. */
export function executionIdOf(url: string): string {
	const m = /\/webhook-waiting\/([^/?]+)/.exec(url);
	if (!m) throw new Error(`not a resume URL: ${url}`);
	return m[1];
}
