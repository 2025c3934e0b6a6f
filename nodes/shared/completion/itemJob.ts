import type { IDataObject } from 'n8n-workflow';

import type { ItemRequest } from '../parameters/itemRequests';
import type { JobState } from '../transport/jobState';

/**
 * A job that may exist at ModelsLab though the run does not know its id: its submit got no usable
 * answer (`outcome`), or n8n stopped after it may have been submitted (`restart`, lanes.ts). It is
 * never submitted again (it may be paid for); its callback, which names the item, still settles it.
 */
export interface Unsure {
	reason: 'outcome' | 'restart';
	/** Epoch ms after which the run stops waiting for its callback. */
	until: number;
	/** What went wrong, for the item's error if the callback never comes. */
	message?: string;
}

/**
 * Where one input item stands in a node run: waiting to be submitted (`request` set), running or
 * finished (`state`), failed before ModelsLab ran it (`error`), or submitted without a known id
 * (`unsure`).
 */
export interface ItemJob {
	itemIndex: number;
	trackId: string;
	request?: ItemRequest;
	state?: JobState;
	error?: Error;
	unsure?: Unsure;
	/** Epoch ms of the submit; reads of a silent job are timed from it. */
	submittedAt?: number;
	/** The submit's path values (a workflow run's status path needs its `workflow_id`). */
	pathValues?: IDataObject;
}

export function isQueued(job: ItemJob): boolean {
	return !job.state && !job.error && !job.unsure && job.request !== undefined;
}

export function isRunning(job: ItemJob): boolean {
	return job.error === undefined && job.state?.phase === 'pending';
}

export function isUnsure(job: ItemJob): boolean {
	return job.unsure !== undefined && !job.state && !job.error;
}

export function isTerminal(job: ItemJob): boolean {
	return job.error !== undefined || (job.state !== undefined && job.state.phase !== 'pending');
}

/** Finished, or given up on: nothing more will be learnt about it in this run. */
export function isSettled(job: ItemJob, now = Date.now()): boolean {
	return isTerminal(job) || (isUnsure(job) && now >= (job.unsure?.until ?? 0));
}

export function hasFailed(job: ItemJob): boolean {
	return job.error !== undefined || job.state?.phase === 'failed';
}
