import { NodeOperationError, sleep, type INode } from 'n8n-workflow';

import type { ModelsLabContext } from '../transport/context';
import { userFacingError } from '../transport/errors';
import { fetchJob } from '../transport/jobs';
import { isQueued, isRunning, isTerminal, type ItemJob } from './itemJob';
import { failureWithRunningJobs } from './outputItems';
import { submitWave, type Submitter } from './submissions';

export interface InProcessSchedule {
	/** Epoch ms after which nothing more is submitted or checked. */
	deadline: number;
	/** Jobs allowed to run at once (the account's queue limit, or what the user set). */
	capacity: number;
	/** Read running jobs until they finish (poll mode); false: only submit (submit mode). */
	poll: boolean;
	/** Fixed seconds between checks of a job; 0 = from ModelsLab's ETA, backing off. */
	intervalSeconds: number;
	/** Without Continue On Fail the first failure ends the run (nothing more is submitted). */
	stopOnFailure: boolean;
}

export interface InProcessResult {
	/** Set when the run ended on a failure (stopOnFailure); names the jobs still running. */
	failure?: Error;
	/** Jobs that ran when the run stopped: the capacity ModelsLab granted. */
	capacity: number;
}

/** Concurrent reads of running jobs. */
const POLLERS = 4;
const MIN_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;
const BACKOFF = 1.5;
/** Reads of one job that may fail in a row before the job counts as failed. */
const MAX_READ_FAILURES = 3;
const SLICE_MS = 500;

/** First wait before reading a job: the ETA ModelsLab gave, within bounds. */
export function firstDelayMs(eta: number | undefined, intervalSeconds: number): number {
	if (intervalSeconds > 0) return intervalSeconds * 1000;
	const ms = eta !== undefined && Number.isFinite(eta) ? eta * 1000 : 2_000;
	return Math.min(Math.max(ms, MIN_DELAY_MS), MAX_DELAY_MS);
}

interface ReadSchedule {
	dueAt: number;
	delayMs: number;
	failures: number;
}

/**
 * Submits and (in poll mode) reads jobs inside execute() until every job is finished, the
 * deadline passes, or (without Continue On Fail) one fails. Submissions are paced to the
 * account's queue: ModelsLab's "queue full" answers set the capacity, and a finished job frees
 * its slot for the next queued one. Honours the execution being cancelled.
 */
export async function runInProcess(
	submitter: Submitter,
	jobs: ItemJob[],
	schedule: InProcessSchedule,
): Promise<InProcessResult> {
	const context = submitter.context;
	const node = context.getNode();
	const reads = new Map<number, ReadSchedule>();
	let capacity = schedule.capacity;
	let queueFullUntil = 0;
	for (;;) {
		throwIfCancelled(context, node);
		const failed = jobs.find(
			(job) => isTerminal(job) && (job.error || job.state?.phase === 'failed'),
		);
		if (schedule.stopOnFailure && failed)
			return { failure: failureWithRunningJobs(node, failed, jobs), capacity };
		const now = Date.now();
		const running = jobs.filter(isRunning);
		const queued = jobs.filter(isQueued);
		if (now >= schedule.deadline) return { capacity };
		if (queued.length && running.length < capacity && now >= queueFullUntil) {
			const wave = await submitWave(submitter, queued, running.length, capacity);
			if (wave.queueFullFor !== undefined) {
				queueFullUntil = Date.now() + wave.queueFullFor * 1000;
				// The account holds as many of our jobs as run now; more would only be refused.
				capacity = Math.max(1, jobs.filter(isRunning).length);
			}
			continue;
		}
		if (!schedule.poll && !queued.length) return { capacity };
		if (!running.length && !queued.length) return { capacity };

		if (schedule.poll) {
			for (const job of running) {
				if (!reads.has(job.itemIndex)) {
					const delayMs = firstDelayMs(job.state?.eta, schedule.intervalSeconds);
					reads.set(job.itemIndex, {
						dueAt: (job.submittedAt ?? now) + delayMs,
						delayMs,
						failures: 0,
					});
				}
			}
			const due = running.filter((job) => (reads.get(job.itemIndex)?.dueAt ?? 0) <= now);
			if (due.length) {
				await readJobs(context, submitter, due, reads, schedule);
				continue;
			}
		}
		const nextRead = schedule.poll
			? Math.min(...running.map((job) => reads.get(job.itemIndex)?.dueAt ?? now))
			: Number.POSITIVE_INFINITY;
		const nextSubmit = queued.length
			? Math.max(queueFullUntil, now + SLICE_MS)
			: Number.POSITIVE_INFINITY;
		const wakeAt = Math.min(nextRead, nextSubmit, schedule.deadline);
		await sleepCancellable(context, node, Math.max(0, wakeAt - Date.now()));
	}
}

async function readJobs(
	context: ModelsLabContext,
	submitter: Submitter,
	due: ItemJob[],
	reads: Map<number, ReadSchedule>,
	schedule: InProcessSchedule,
): Promise<void> {
	const queue = [...due];
	const endpoint = submitter.endpoint;
	const worker = async (): Promise<void> => {
		for (let job = queue.shift(); job; job = queue.shift()) {
			const read = reads.get(job.itemIndex) as ReadSchedule;
			const previous = job.state;
			if (!previous) continue;
			try {
				const fetched = await fetchJob.call(
					context,
					endpoint.jobKind,
					endpoint.fetchPath,
					fetchPathValues(job),
					job.itemIndex,
					{ credentials: submitter.credentials, submitted: previous },
				);
				job.state = {
					...fetched,
					id: fetched.id || previous.id,
					eta: previous.eta,
					fetchResult: previous.fetchResult,
					futureLinks: previous.futureLinks,
				};
				read.failures = 0;
			} catch (error) {
				// A read that fails is tried again, a few times, not taken for "still running".
				if (++read.failures >= MAX_READ_FAILURES) job.error = userFacingError(error);
			}
			if (schedule.intervalSeconds <= 0)
				read.delayMs = Math.min(read.delayMs * BACKOFF, MAX_DELAY_MS);
			read.dueAt = Date.now() + read.delayMs;
			if (schedule.stopOnFailure && isTerminal(job) && (job.error || job.state?.phase === 'failed'))
				queue.length = 0;
		}
	};
	await Promise.all(Array.from({ length: Math.min(POLLERS, due.length) }, worker));
}

/** `{id}` plus the submit's own path values (a workflow run's status path needs `workflow_id`). */
export function fetchPathValues(job: ItemJob): Record<string, unknown> {
	return { ...job.pathValues, id: job.state?.id };
}

function throwIfCancelled(context: ModelsLabContext, node: INode): void {
	const signal =
		'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal?.() : undefined;
	if (signal?.aborted)
		throw new NodeOperationError(node, 'The execution was cancelled while waiting for ModelsLab');
}

/** Sleeps in slices so a cancelled execution stops within about half a second. */
async function sleepCancellable(context: ModelsLabContext, node: INode, ms: number): Promise<void> {
	for (let slept = 0; slept < ms; slept += SLICE_MS) {
		throwIfCancelled(context, node);
		await sleep(Math.min(SLICE_MS, ms - slept));
	}
}
