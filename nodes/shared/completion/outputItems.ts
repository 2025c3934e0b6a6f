import { NodeOperationError, type INode, type INodeExecutionData } from 'n8n-workflow';

import type { ModelsLabContext } from '../transport/context';
import type { DownloadSettings } from '../transport/download';
import { errorItem, jobFailedError, resultJson, successItem } from '../transport/results';
import { withoutUrlSecrets } from '../transport/redact';
import type { ItemJob } from './itemJob';

export interface OutputPolicy {
	continueOnFail: boolean;
	download: DownloadSettings;
	/** Why a job that is not finished (queued or still running) has no result. */
	unfinished: (job: ItemJob) => Error;
}

export type Outcome = { items: INodeExecutionData[] } | { failure: Error };

/**
 * Turns jobs into output items in input order, one per item, `pairedItem` set. A failed job
 * becomes the contract's error item with Continue On Fail; without it, the first one is the node's
 * error (naming the item and the request id). A download that fails after its retries costs only
 * its item's files: the item keeps its result and says why in `download_error`.
 */
export async function outputItems(
	context: ModelsLabContext,
	node: INode,
	jobs: ItemJob[],
	policy: OutputPolicy,
): Promise<Outcome> {
	const ordered = [...jobs].sort((a, b) => a.itemIndex - b.itemIndex);
	if (!policy.continueOnFail) {
		// The node's error is the job that failed, not a job that had not finished yet when it did.
		const failed = ordered.find((job) => job.error || job.state?.phase === 'failed');
		if (failed) return { failure: failureWithRunningJobs(node, failed, ordered) };
	}
	const items: INodeExecutionData[] = [];
	for (const job of ordered) {
		let failure: Error | undefined = job.error;
		if (!failure) {
			const state = job.state;
			if (!state || state.phase === 'pending') failure = policy.unfinished(job);
			else if (state.phase === 'failed') failure = jobFailedError(node, state, job.itemIndex);
			else {
				try {
					items.push(
						await successItem(context, state, job.trackId, job.itemIndex, policy.download),
					);
				} catch (error) {
					const reason = error instanceof Error ? error.message : String(error);
					items.push({
						json: { ...resultJson(state, job.trackId), download_error: withoutUrlSecrets(reason) },
						pairedItem: { item: job.itemIndex },
					});
				}
			}
		}
		if (!failure) continue;
		if (!policy.continueOnFail) return { failure: asNodeError(node, failure, job.itemIndex) };
		items.push(errorItem(node, failure, job.itemIndex, job.state, job.trackId));
	}
	return { items };
}

/** The error of a failed item, naming the jobs that still run (they are paid for: read them later). */
export function failureWithRunningJobs(node: INode, failed: ItemJob, jobs: ItemJob[]): Error {
	const error = asNodeError(
		node,
		failed.error ??
			(failed.state
				? jobFailedError(node, failed.state, failed.itemIndex)
				: new NodeOperationError(node, 'The job failed', { itemIndex: failed.itemIndex })),
		failed.itemIndex,
	);
	const running = jobs.filter((job) => job.state?.phase === 'pending');
	if (running.length && 'description' in error) {
		const described = error as Error & { description?: string | null };
		described.description = [
			described.description,
			`Jobs still running (read them with Get Result): ${describeJobs(running)}`,
		]
			.filter(Boolean)
			.join('. ');
	}
	return error;
}

function asNodeError(node: INode, error: Error, itemIndex: number): Error {
	if (error instanceof NodeOperationError || error.name === 'NodeApiError') return error;
	return new NodeOperationError(node, error, { itemIndex });
}

/** "item 3: 1234, item 4: 1235, ... and 97 more": jobs named in an error, without flooding it. */
export function describeJobs(jobs: ItemJob[], limit = 20): string {
	const named = jobs.map((job) => `item ${job.itemIndex}: ${job.state?.id ?? '?'}`);
	const shown = named.slice(0, limit).join(', ');
	return named.length > limit ? `${shown} and ${named.length - limit} more` : shown;
}
