import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { PARAM } from '../parameters/commonParameters';
import { downloadSettings } from '../parameters/downloadSettings';
import { outputItems } from './outputItems';
import type { RunPicture } from './runPicture';
import { clearLedger } from './runLedger';
import { unfinishedError } from './unfinished';

/**
 * A parked run's last step: one output item per input item, in input order, from what the run
 * knows now; every item without a result an error naming its job (unfinished.ts). The ledger
 * leaves the execution: its secrets and queued prompts were only for the waiting run.
 */
export async function finishRun(
	context: IExecuteFunctions,
	picture: RunPicture,
): Promise<INodeExecutionData[][]> {
	const node = context.getNode();
	const options = context.getNodeParameter(PARAM.options, 0, {}) as IDataObject;
	const { waitMinutes, selfReachable } = picture.ledger;
	clearLedger(context);
	if (!selfReachable) context.addExecutionHints?.(ownUrlHint());
	const outcome = await outputItems(context, node, picture.jobs, {
		continueOnFail: context.continueOnFail(),
		download: downloadSettings(options),
		unfinished: (job) =>
			unfinishedError(node, job, waitMinutes, picture.tracker.lastReadError(job.itemIndex)),
	});
	if ('failure' in outcome) throw outcome.failure;
	return [outcome.items];
}

function ownUrlHint(): { message: string; location: 'outputPane' } {
	return {
		message:
			"n8n could not reach its own resume URL, so this run continued on n8n's one-minute wait poll instead of at once. Make WEBHOOK_URL (N8N_WEBHOOK_URL on n8n 2.x) reachable from n8n itself (hairpin NAT, split DNS, or an auth proxy in front of /webhook-waiting/).",
		location: 'outputPane',
	};
}
