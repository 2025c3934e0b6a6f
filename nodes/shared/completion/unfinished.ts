import { NodeOperationError, type INode } from 'n8n-workflow';

import type { ItemJob } from './itemJob';

/**
 * Why an item has no result when its run ends, and what to do: every item without a result
 * carries one of these, naming its request id or track id (never a silent gap).
 * `waitMinutes`: the wait limit as the user set it; `lastReadError`: why reading the job kept
 * failing, if it did.
 */
export function unfinishedError(
	node: INode,
	job: ItemJob,
	waitMinutes: number,
	lastReadError?: string,
): NodeOperationError {
	const id = job.state?.id;
	if (id) {
		const reads = lastReadError ? ` Reading it kept failing: ${lastReadError}.` : '';
		return new NodeOperationError(
			node,
			`ModelsLab job ${id} was still running after the wait limit of ${waitMinutes} min`,
			{
				itemIndex: job.itemIndex,
				description: `Read it later with the Get Result operation (request ID ${id}), or raise "Wait Limit (Minutes)".${reads}`,
			},
		);
	}
	if (job.unsure) {
		return new NodeOperationError(
			node,
			`Item ${job.itemIndex} may have run at ModelsLab, but n8n never learnt its request ID`,
			{
				itemIndex: job.itemIndex,
				description:
					job.unsure.reason === 'outcome' && job.unsure.message
						? job.unsure.message
						: `${job.unsure.message ?? 'n8n restarted while it may have submitted this item'}. It was not submitted again, so it is not paid twice. Look for track_id "${job.trackId}" in your ModelsLab dashboard, or run the item again if no such job exists.`,
			},
		);
	}
	return new NodeOperationError(
		node,
		`Item ${job.itemIndex} was not submitted to ModelsLab before the wait limit of ${waitMinutes} min passed`,
		{
			itemIndex: job.itemIndex,
			description:
				'ModelsLab\'s queue for this account stayed full (other jobs of the account hold it). Run the item again, or raise "Wait Limit (Minutes)".',
		},
	);
}
