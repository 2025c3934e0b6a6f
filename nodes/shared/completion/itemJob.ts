import type { IDataObject } from 'n8n-workflow';

import type { ItemRequest } from '../parameters/itemRequests';
import type { JobState } from '../transport/jobState';

/**
 * Where one input item stands in a node run: waiting to be submitted (`request` set), running or
 * finished (`state`), or failed before ModelsLab ran it (`error`).
 */
export interface ItemJob {
	itemIndex: number;
	trackId: string;
	request?: ItemRequest;
	state?: JobState;
	error?: Error;
	/** Epoch ms of the submit; checks of a silent job are timed from it. */
	submittedAt?: number;
	/** The submit's path values (a workflow run's status path needs its `workflow_id`). */
	pathValues?: IDataObject;
}

export function isQueued(job: ItemJob): boolean {
	return !job.state && !job.error && job.request !== undefined;
}

export function isRunning(job: ItemJob): boolean {
	return job.error === undefined && job.state?.phase === 'pending';
}

export function isTerminal(job: ItemJob): boolean {
	return job.error !== undefined || (job.state !== undefined && job.state.phase !== 'pending');
}
