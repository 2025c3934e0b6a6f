import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import type { DownloadSettings } from '../shared/transport/download';
import { resultJson, successItem } from '../shared/transport/results';
import type { JobState } from '../shared/transport/jobState';

/**
 * The trigger's output item: the contract's `{ status, id, track_id, output, meta, ... }` with the
 * callback's other fields, plus `kind` (and `training_status` for training). With downloads on,
 * the files go into binary properties; a failed download still starts the workflow, with
 * `download_error` and the URLs in `output`, because the job itself is done.
 */
export async function callbackItem(
	context: IWebhookFunctions,
	state: JobState,
	trackId: string,
	download: DownloadSettings,
	extra: IDataObject = {},
): Promise<INodeExecutionData> {
	const json: IDataObject = {
		...state.raw,
		...resultJson(state, trackId),
		kind: state.kind,
		...extra,
	};
	if (!download.enabled || state.output.length === 0) return { json };
	try {
		// A trigger's items have no input to pair with, so successItem's pairedItem is dropped.
		const { binary } = await successItem(context, state, trackId, 0, download);
		return { json, binary };
	} catch (error) {
		return {
			json: { ...json, download_error: error instanceof Error ? error.message : String(error) },
		};
	}
}
