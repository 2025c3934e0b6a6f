import { JobNotFoundError, ReadFailedError } from '../transport/errors';
import type { JobState } from '../transport/jobState';
import { isRunning, type ItemJob } from './itemJob';

/**
 * When each running job is read, and what a read's outcome means: the one read policy of every
 * completion mode. Poll mode reads on a schedule from ModelsLab's ETA; callback mode reads a job
 * only when its callback is overdue (it may have been lost). Whatever the mode:
 * - a job ModelsLab reports as failed (`error`/`failed`) ends failed, with ModelsLab's message;
 * - a job ModelsLab does not know (404) ends failed after three such answers in a row, not one;
 * - a read that fails (network, 5xx, rate limit) is tried again with backoff and never ends the
 *   job by itself: the wait limit does, naming the last read error (unfinished.ts).
 */
export interface ReadSchedule {
	dueAt: number;
	delayMs: number;
	/** 404 answers in a row. */
	notFound: number;
	/** Failed reads in a row. */
	failures: number;
	lastError?: string;
	/**
	 * Read once the park after the step that set it is saved: the step stood in for this read (as
	 * if it found the job running), and n8n refused any callback that came while the step ran.
	 */
	afterPark?: boolean;
}

export interface ReadPolicy {
	/** Milliseconds from the submit to the first read. */
	firstDelayMs(eta: number | undefined): number;
	/** Milliseconds to the next read after one that found the job still running. */
	nextDelayMs(previousMs: number): number;
}

const MIN_POLL_MS = 1_000;
const MAX_POLL_MS = 30_000;
const POLL_BACKOFF = 1.5;

/** Poll mode: first read at ModelsLab's ETA (1 to 30 s), then 1.5 times longer up to 30 s. */
export function pollPolicy(intervalSeconds: number): ReadPolicy {
	if (intervalSeconds > 0) {
		const fixed = intervalSeconds * 1000;
		return { firstDelayMs: () => fixed, nextDelayMs: () => fixed };
	}
	return {
		firstDelayMs: (eta) =>
			Math.min(
				Math.max(eta !== undefined && Number.isFinite(eta) ? eta * 1000 : 2_000, MIN_POLL_MS),
				MAX_POLL_MS,
			),
		nextDelayMs: (previous) => Math.min(previous * POLL_BACKOFF, MAX_POLL_MS),
	};
}

const DEFAULT_ETA_S = 30;
const MIN_OVERDUE_MS = 30_000;
/** With durations seen in the run itself, a callback is overdue sooner than on ETAs alone. */
const MIN_OVERDUE_LEARNT_MS = 5_000;
export const MAX_OVERDUE_MS = 10 * 60_000;

/**
 * Callback mode: a job is read only once its callback is overdue: three times as long as the run's
 * longest job took (what its own callbacks showed, `typicalMs`, at least 5 s), else twice
 * ModelsLab's ETA (at least 30 s); then twice as long each time, up to 10 minutes.
 */
export function callbackPolicy(typicalMs: () => number | undefined): ReadPolicy {
	return {
		firstDelayMs: (eta) => {
			const learnt = typicalMs();
			if (learnt !== undefined)
				return Math.min(Math.max(3 * learnt, MIN_OVERDUE_LEARNT_MS), MAX_OVERDUE_MS);
			return Math.min(Math.max(2 * (eta ?? DEFAULT_ETA_S) * 1000, MIN_OVERDUE_MS), MAX_OVERDUE_MS);
		},
		nextDelayMs: (previous) => Math.min(Math.max(previous * 2, MIN_OVERDUE_MS), MAX_OVERDUE_MS),
	};
}

/** The callback policy before the run has seen any of its own jobs finish. */
export const CALLBACK_POLICY: ReadPolicy = callbackPolicy(() => undefined);

const MAX_NOT_FOUND = 3;
const NOT_FOUND_RETRY_MS = 5_000;
const FAILED_READ_RETRY_MS = 5_000;
const MAX_FAILED_READ_RETRY_MS = 5 * 60_000;

export interface ReadOptions {
	now?: number;
	limit?: number;
	concurrency?: number;
	stop?: () => boolean;
	/** Read the jobs owed after a park (deferToAfterPark), not those due. */
	afterPark?: boolean;
}

/** Reads one job; throws the transport's JobNotFoundError or ReadFailedError. */
export type JobReader = (job: ItemJob) => Promise<JobState>;

export class JobTracker {
	private readonly schedules = new Map<number, ReadSchedule>();

	constructor(private readonly policy: ReadPolicy) {}

	/** How long after its submit a job with this ETA is overdue, by this tracker's policy. */
	overdueAfterMs(eta: number | undefined): number {
		return this.policy.firstDelayMs(eta);
	}

	/** The job's schedule, made from its submit time on first use. */
	scheduleOf(job: ItemJob): ReadSchedule {
		let schedule = this.schedules.get(job.itemIndex);
		if (!schedule) {
			const delayMs = this.policy.firstDelayMs(job.state?.eta);
			schedule = {
				dueAt: (job.submittedAt ?? Date.now()) + delayMs,
				delayMs,
				notFound: 0,
				failures: 0,
			};
			this.schedules.set(job.itemIndex, schedule);
		}
		return schedule;
	}

	/** Takes a schedule saved with the run (runLedger.ts). */
	restore(itemIndex: number, schedule: ReadSchedule): void {
		this.schedules.set(itemIndex, { ...schedule });
	}

	saved(itemIndex: number): ReadSchedule | undefined {
		return this.schedules.get(itemIndex);
	}

	/** Reads the job at `at` (now by default): its callback may have been lost, or the run ends. */
	readAt(job: ItemJob, at = Date.now()): void {
		const schedule = this.scheduleOf(job);
		schedule.dueAt = Math.min(schedule.dueAt, at);
	}

	/** A job that called back (even only to say it runs) is read only if its next callback is late. */
	heardFrom(job: ItemJob, now = Date.now()): void {
		const schedule = this.scheduleOf(job);
		const delayMs = this.policy.firstDelayMs(job.state?.eta);
		Object.assign(schedule, {
			dueAt: now + delayMs,
			delayMs,
			notFound: 0,
			failures: 0,
			afterPark: undefined,
		});
	}

	/**
	 * A read due now is left for after the park of the step about to run: the next read is timed
	 * as if this one found the job running, and this one comes once n8n has saved the park.
	 */
	deferToAfterPark(job: ItemJob, now = Date.now()): void {
		const schedule = this.scheduleOf(job);
		schedule.delayMs = this.policy.nextDelayMs(schedule.delayMs);
		Object.assign(schedule, { dueAt: now + schedule.delayMs, afterPark: true });
	}

	/** Every read due now is left for after the park of the step about to run (deferToAfterPark). */
	deferDueToAfterPark(jobs: readonly ItemJob[], now = Date.now()): void {
		for (const job of this.due(jobs, now)) this.deferToAfterPark(job, now);
	}

	/**
	 * Running jobs whose callback is late (overdue by this tracker's policy, read or not) are read
	 * after the park being saved, that read taking the place of their next one: a step nobody here
	 * asked for ran, during which n8n refused callbacks.
	 */
	readLateAfterPark(jobs: readonly ItemJob[], now = Date.now()): void {
		for (const job of jobs.filter(isRunning)) {
			if (now < (job.submittedAt ?? now) + this.overdueAfterMs(job.state?.eta)) continue;
			if (!this.scheduleOf(job).afterPark) this.deferToAfterPark(job, now);
		}
	}

	/** Running jobs whose read waits for the park to be saved (deferToAfterPark). */
	owedAfterPark(jobs: readonly ItemJob[]): ItemJob[] {
		return jobs.filter((job) => isRunning(job) && this.schedules.get(job.itemIndex)?.afterPark);
	}

	/**
	 * A job's first read follows the policy as it learns (earlier or later), as long as nothing
	 * else timed it: no read, no callback, no one asking for it.
	 */
	retime(job: ItemJob): void {
		const schedule = this.schedules.get(job.itemIndex);
		const submittedAt = job.submittedAt;
		if (!schedule || submittedAt === undefined || schedule.dueAt !== submittedAt + schedule.delayMs)
			return;
		const delayMs = this.policy.firstDelayMs(job.state?.eta);
		Object.assign(schedule, { dueAt: submittedAt + delayMs, delayMs });
	}

	forget(itemIndex: number): void {
		this.schedules.delete(itemIndex);
	}

	due(jobs: readonly ItemJob[], now = Date.now()): ItemJob[] {
		return jobs.filter((job) => isRunning(job) && this.scheduleOf(job).dueAt <= now);
	}

	/** When the next read of a running job is due; undefined when none runs. */
	nextDueAt(jobs: readonly ItemJob[]): number | undefined {
		const times = jobs.filter(isRunning).map((job) => this.scheduleOf(job).dueAt);
		return times.length ? Math.min(...times) : undefined;
	}

	/** The last read error of a job whose reads keep failing, for its error at the wait limit. */
	lastReadError(itemIndex: number): string | undefined {
		const schedule = this.schedules.get(itemIndex);
		return schedule && schedule.failures > 0 ? schedule.lastError : undefined;
	}

	/**
	 * Reads the jobs due now (`afterPark`: those owed after a park instead), `concurrency` at a
	 * time, at most `limit` of them, and applies each outcome. `stop` is asked after every read (a
	 * failure ends a run without Continue On Fail).
	 */
	async readDue(
		jobs: readonly ItemJob[],
		reader: JobReader,
		options: ReadOptions = {},
	): Promise<number> {
		const candidates = options.afterPark ? this.owedAfterPark(jobs) : this.due(jobs, options.now);
		const queue = candidates.slice(0, options.limit ?? Number.POSITIVE_INFINITY);
		const count = queue.length;
		const worker = async (): Promise<void> => {
			for (let job = queue.shift(); job; job = queue.shift()) {
				await this.readOne(job, reader, options.afterPark === true);
				if (options.stop?.()) queue.length = 0;
			}
		};
		await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, count) }, worker));
		return count;
	}

	/** `owed`: the read deferToAfterPark left; its next read is timed already. */
	private async readOne(job: ItemJob, reader: JobReader, owed: boolean): Promise<void> {
		const previous = job.state;
		if (!previous) return;
		const schedule = this.scheduleOf(job);
		schedule.afterPark = undefined;
		let outcome: JobState | Error;
		try {
			outcome = await reader(job);
		} catch (error) {
			outcome = error instanceof Error ? error : new Error(String(error));
		}
		const now = Date.now();
		if (!(outcome instanceof Error)) {
			job.state = {
				...outcome,
				id: outcome.id || previous.id,
				eta: previous.eta,
				fetchResult: outcome.fetchResult ?? previous.fetchResult,
				futureLinks: outcome.futureLinks ?? previous.futureLinks,
			};
			Object.assign(schedule, { notFound: 0, failures: 0, lastError: undefined });
			if (outcome.phase === 'pending') {
				if (owed) return;
				schedule.delayMs = this.policy.nextDelayMs(schedule.delayMs);
				schedule.dueAt = now + schedule.delayMs;
			} else this.schedules.delete(job.itemIndex);
			return;
		}
		if (outcome instanceof JobNotFoundError) {
			schedule.notFound++;
			if (schedule.notFound >= MAX_NOT_FOUND) {
				job.state = { ...previous, phase: 'failed', message: notFoundMessage(previous.id) };
				this.schedules.delete(job.itemIndex);
			} else schedule.dueAt = now + NOT_FOUND_RETRY_MS * 2 ** (schedule.notFound - 1);
			return;
		}
		schedule.failures++;
		schedule.lastError = outcome.message;
		const askedMs =
			outcome instanceof ReadFailedError ? (outcome.retryAfterSeconds ?? 0) * 1000 : 0;
		const backoffMs = FAILED_READ_RETRY_MS * 2 ** (schedule.failures - 1);
		schedule.dueAt = now + Math.min(Math.max(askedMs, backoffMs), MAX_FAILED_READ_RETRY_MS);
	}
}

function notFoundMessage(id: string): string {
	return `ModelsLab does not know job ${id} (it answered "not found" ${MAX_NOT_FOUND} times in a row)`;
}
