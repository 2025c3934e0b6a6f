import { NodeOperationError, sleep, type INode } from 'n8n-workflow';

import type { ModelsLabContext } from '../transport/context';
import { hasFailed, isQueued, isRunning, isTerminal, type ItemJob } from './itemJob';
import { readerFor } from './jobReads';
import { JobTracker, pollPolicy } from './jobTracker';
import { failureWithRunningJobs } from './outputItems';
import { submitWave, type Submitter } from './submissions';

export interface InProcessSchedule {
	/** Epoch ms after which nothing more is submitted or read. */
	deadline: number;
	/** Jobs allowed to run at once (the account's queue limit, or what the user set). */
	capacity: number;
	/** Read running jobs until they finish (poll mode); false: only submit (submit mode). */
	poll: boolean;
	/** Fixed seconds between reads of a job; 0 = from ModelsLab's ETA, backing off. */
	intervalSeconds: number;
	/** Without Continue On Fail the first failure ends the run (nothing more is submitted). */
	stopOnFailure: boolean;
}

export interface InProcessResult {
	/** Set when the run ended on a failure (stopOnFailure); names the jobs still running. */
	failure?: Error;
	/** Why reading a job kept failing, for its error when the run ends without its result. */
	lastReadError(job: ItemJob): string | undefined;
}

const SLICE_MS = 500;

/**
 * Submits and (in poll mode) reads jobs inside execute() until every job is finished, the
 * deadline passes, or (without Continue On Fail) one fails. Submissions are paced to the
 * account's queue: ModelsLab's "queue full" answers set the capacity, and a finished job frees
 * its slot for the next queued one. Reads follow the one read policy (jobTracker.ts). Honours the
 * execution being cancelled.
 */
export async function runInProcess(
	submitter: Submitter,
	jobs: ItemJob[],
	schedule: InProcessSchedule,
): Promise<InProcessResult> {
	const context = submitter.context;
	const node = context.getNode();
	const tracker = new JobTracker(pollPolicy(schedule.intervalSeconds));
	const result = (failure?: Error): InProcessResult => ({
		failure,
		lastReadError: (job) => tracker.lastReadError(job.itemIndex),
	});
	const reader = readerFor(context, submitter.endpoint, submitter.credentials);
	let capacity = schedule.capacity;
	let queueFullUntil = 0;
	for (;;) {
		throwIfCancelled(context, node);
		const failed = jobs.find((job) => isTerminal(job) && hasFailed(job));
		if (schedule.stopOnFailure && failed) return result(failureWithRunningJobs(node, failed, jobs));
		const now = Date.now();
		const running = jobs.filter(isRunning);
		const queued = jobs.filter(isQueued);
		if (now >= schedule.deadline) return result();
		if (queued.length && running.length < capacity && now >= queueFullUntil) {
			const wave = await submitWave(submitter, queued, running.length, capacity);
			if (wave.queueFullFor !== undefined) {
				queueFullUntil = Date.now() + wave.queueFullFor * 1000;
				// The account holds as many of our jobs as run now; more would only be refused.
				capacity = Math.max(1, jobs.filter(isRunning).length);
			}
			continue;
		}
		if (!schedule.poll && !queued.length) return result();
		if (!running.length && !queued.length) return result();
		if (schedule.poll && tracker.due(jobs, now).length) {
			await tracker.readDue(jobs, reader, {
				now,
				stop: () => schedule.stopOnFailure && jobs.some((job) => isTerminal(job) && hasFailed(job)),
			});
			continue;
		}
		const nextRead = schedule.poll ? (tracker.nextDueAt(jobs) ?? Infinity) : Infinity;
		const nextSubmit = queued.length ? Math.max(queueFullUntil, now + SLICE_MS) : Infinity;
		const wakeAt = Math.min(nextRead, nextSubmit, schedule.deadline);
		await sleepCancellable(context, node, Math.max(0, wakeAt - Date.now()));
	}
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
