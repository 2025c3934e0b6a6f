// The time an account's queue limit allows for a batch's jobs: the floor P5 holds its times
// against (bench/README.md, "The queue-limit bound").
import type { SimJob } from '../test/simulator';

export interface QueueBound {
	/** The account's queue limit the jobs ran under. */
	queueLimit: number;
	/** Jobs the simulator ran (refused submits made none). */
	jobs: number;
	/** Sum of the jobs' lengths, each from its submit to its final state in the simulator. */
	totalJobSeconds: number;
	meanJobSeconds: number;
	longestJobSeconds: number;
	/**
	 * No schedule runs the jobs sooner: with at most `queueLimit` at once they need their summed
	 * length ÷ the limit, and never less than the longest one.
	 */
	seconds: number;
}

/** The bound from the jobs as they ran: their real lengths, not the range they were drawn from. */
export function queueLimitBound(jobs: Iterable<SimJob>, queueLimit: number): QueueBound {
	const lengths: number[] = [];
	for (const job of jobs) {
		if (job.kind !== 'generation') continue;
		lengths.push(((job.finishedAt ?? Date.now()) - job.createdAt) / 1000);
	}
	const total = lengths.reduce((sum, seconds) => sum + seconds, 0);
	const longest = lengths.reduce((most, seconds) => Math.max(most, seconds), 0);
	return {
		queueLimit,
		jobs: lengths.length,
		totalJobSeconds: total,
		meanJobSeconds: lengths.length ? total / lengths.length : 0,
		longestJobSeconds: longest,
		seconds: Math.max(total / queueLimit, longest),
	};
}
