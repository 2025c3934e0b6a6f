import { NodeOperationError, type INode, type INodeExecutionData } from 'n8n-workflow';

import type { ModelsLabContext } from '../transport/context';
import type { DownloadSettings } from '../transport/download';
import { errorItem, jobFailedError, successItem } from '../transport/results';
import type { ItemJob } from './submitJobs';

/**
 * Turns terminal jobs into output items in input order. A failed job, a job still running or a
 * failed download raises (naming the item and the request id), or with Continue On Fail becomes
 * the contract's error item.
 */
export async function finishItems(
	context: ModelsLabContext,
	node: INode,
	jobs: ItemJob[],
	download: DownloadSettings,
	continueOnFail: boolean,
	stillRunningHint: string,
): Promise<INodeExecutionData[]> {
	const items: INodeExecutionData[] = [];
	for (const job of jobs) {
		try {
			if (job.error) throw job.error;
			const state = job.state;
			if (!state)
				throw new NodeOperationError(node, 'The job was not submitted', {
					itemIndex: job.itemIndex,
				});
			if (state.phase === 'failed') throw jobFailedError(node, state, job.itemIndex);
			if (state.phase === 'pending') {
				throw new NodeOperationError(node, `ModelsLab job ${state.id} is still running`, {
					itemIndex: job.itemIndex,
					description: stillRunningHint.replace('{id}', state.id),
				});
			}
			items.push(await successItem(context, state, job.trackId, job.itemIndex, download));
		} catch (error) {
			const failure = error instanceof Error ? error : new Error(String(error));
			if (!continueOnFail) {
				throw failure instanceof NodeOperationError || failure.name === 'NodeApiError'
					? failure
					: new NodeOperationError(node, failure, { itemIndex: job.itemIndex });
			}
			items.push(errorItem(failure, job.itemIndex, job.state, job.trackId));
		}
	}
	return items;
}
