import { NodeOperationError, type INode } from 'n8n-workflow';

import type { ItemJob } from './itemJob';
import type { RunLedger } from './runLedger';

/** Why a job of a node run has no result when the run ends at its wait limit. */
export function unfinishedError(
	node: INode,
	job: ItemJob,
	waitMinutes: number,
): NodeOperationError {
	const id = job.state?.id;
	if (id) {
		return new NodeOperationError(
			node,
			`ModelsLab job ${id} was still running after the wait limit of ${waitMinutes} min`,
			{
				itemIndex: job.itemIndex,
				description: `Read it later with the Get Result operation (request ID ${id}), or raise "Wait Limit (Minutes)".`,
			},
		);
	}
	return new NodeOperationError(
		node,
		`Item ${job.itemIndex} was not submitted to ModelsLab before the wait limit of ${waitMinutes} min passed`,
		{
			itemIndex: job.itemIndex,
			description:
				'ModelsLab\'s queue for this account stayed full (other jobs of the account hold it), or n8n restarted while the batch waited. Run the item again, or raise "Wait Limit (Minutes)".',
		},
	);
}

/** The same, for a parked run (its wait limit is in the ledger). */
export function unfinishedAtDeadline(
	node: INode,
	job: ItemJob,
	ledger: RunLedger,
): NodeOperationError {
	return unfinishedError(node, job, Math.round((ledger.deadline - ledger.parkedAt) / 60_000));
}
