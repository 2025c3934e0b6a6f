import { NodeApiError, NodeOperationError, sleep, type INode } from 'n8n-workflow';

import type { JobKind } from '../catalog/types';
import type { ModelsLabContext } from '../transport/context';
import { fetchJob } from '../transport/jobs';
import type { JobState } from '../transport/jobState';

export interface PolledJob {
	kind: JobKind;
	fetchPath: string;
	pathValues: Record<string, unknown>;
	itemIndex: number;
	state: JobState;
}

export interface PollSchedule {
	/** Epoch ms after which polling stops; jobs still pending are returned as they are. */
	deadline: number;
	/** Fixed seconds between checks; 0 = start from the job's ETA and back off. */
	intervalSeconds: number;
}

const MIN_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;
const BACKOFF = 1.5;
/** Transient fetch failures tolerated in a row before the job's poll gives up. */
const MAX_FETCH_FAILURES = 3;
/** Sleeps are cut into slices so a cancelled execution stops within about a second. */
const SLEEP_SLICE_MS = 1_000;

/** First wait: the ETA ModelsLab gave, within bounds. */
export function firstDelayMs(state: JobState, intervalSeconds: number): number {
	if (intervalSeconds > 0) return intervalSeconds * 1000;
	const eta = state.eta && Number.isFinite(state.eta) ? state.eta * 1000 : 2_000;
	return Math.min(Math.max(eta, MIN_DELAY_MS), MAX_DELAY_MS);
}

/** Polls every pending job concurrently until it is terminal or the deadline passes. */
export async function pollJobs(
	this: ModelsLabContext,
	jobs: PolledJob[],
	schedule: PollSchedule,
): Promise<JobState[]> {
	return await Promise.all(jobs.map(async (job) => await pollOne.call(this, job, schedule)));
}

async function pollOne(
	this: ModelsLabContext,
	job: PolledJob,
	schedule: PollSchedule,
): Promise<JobState> {
	let state = job.state;
	let delay = firstDelayMs(state, schedule.intervalSeconds);
	let failures = 0;
	let lastFailure: unknown;
	while (state.phase === 'pending' && failures < MAX_FETCH_FAILURES) {
		const remaining = schedule.deadline - Date.now();
		if (remaining <= 0) return state;
		await cancellableSleep.call(this, Math.min(delay, remaining));
		if (Date.now() > schedule.deadline) return state;
		try {
			const fetched = await fetchJob.call(
				this,
				job.kind,
				job.fetchPath,
				job.pathValues,
				job.itemIndex,
			);
			state = {
				...fetched,
				id: fetched.id || state.id,
				eta: state.eta,
				fetchResult: state.fetchResult,
				futureLinks: state.futureLinks,
			};
			failures = 0;
		} catch (error) {
			failures++;
			lastFailure = error;
		}
		if (schedule.intervalSeconds <= 0) delay = Math.min(delay * BACKOFF, MAX_DELAY_MS);
	}
	if (failures >= MAX_FETCH_FAILURES) throw asNodeError(this.getNode(), lastFailure, job.itemIndex);
	return state;
}

/** Errors from the transport are already NodeApiErrors; anything else is wrapped. */
function asNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error), {
		itemIndex,
	});
}

async function cancellableSleep(this: ModelsLabContext, ms: number): Promise<void> {
	const signal = 'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal?.() : undefined;
	for (let slept = 0; slept < ms; slept += SLEEP_SLICE_MS) {
		if (signal?.aborted)
			throw new NodeOperationError(
				this.getNode(),
				'The execution was cancelled while waiting for ModelsLab',
			);
		await sleep(Math.min(SLEEP_SLICE_MS, ms - slept));
	}
	if (signal?.aborted)
		throw new NodeOperationError(
			this.getNode(),
			'The execution was cancelled while waiting for ModelsLab',
		);
}
