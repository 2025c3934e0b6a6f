import {
	NodeApiError,
	type IBinaryKeyData,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import type { ModelsLabContext } from './context';
import { downloadOutput, type DownloadSettings } from './download';
import { statusOfPhase, type JobState } from './jobState';

/** The contract's output of a finished job: `{ status, id, track_id, output, meta, ... }`. */
export function resultJson(state: JobState, trackId: string): IDataObject {
	return {
		...state.raw,
		status: statusOfPhase(state.phase),
		id: state.id,
		track_id: trackId,
		output: state.output,
		meta: (state.raw.meta as IDataObject | undefined) ?? {},
		...(state.trainingStatus ? { training_status: state.trainingStatus } : {}),
		...(state.message && state.phase === 'failed' ? { message: state.message } : {}),
	};
}

/** The `submit` mode's output: what a later Get Result or the trigger needs. */
export function receiptJson(state: JobState, trackId: string): IDataObject {
	return {
		status: statusOfPhase(state.phase),
		id: state.id,
		track_id: trackId,
		eta: state.eta ?? null,
		fetch_result: state.fetchResult ?? null,
		future_links: state.futureLinks ?? [],
		...(state.phase === 'success' ? { output: state.output } : {}),
		...(state.trainingStatus ? { training_status: state.trainingStatus } : {}),
	};
}

/** A failed job as an error carrying ModelsLab's message and the request id. */
export function jobFailedError(node: INode, state: JobState, itemIndex: number): NodeApiError {
	const said = state.message ?? 'no reason given';
	const message = `ModelsLab job ${state.id} failed: ${said}`;
	return new NodeApiError(node, { message, id: state.id, status: 'failed' } as JsonObject, {
		message,
		description: `Request ID ${state.id}. ModelsLab said: ${said}`,
		itemIndex,
	});
}

/** The item "Continue On Fail" yields instead of an error. */
export function errorItem(
	error: Error,
	itemIndex: number,
	state?: Pick<JobState, 'id'>,
	trackId = '',
): INodeExecutionData {
	return {
		json: { error: error.message, status: 'failed', id: state?.id ?? null, track_id: trackId },
		pairedItem: { item: itemIndex },
	};
}

/** One output item for a finished job; downloads its files when asked. */
export async function successItem(
	context: ModelsLabContext,
	state: JobState,
	trackId: string,
	itemIndex: number,
	download: DownloadSettings,
): Promise<INodeExecutionData> {
	const item: INodeExecutionData = {
		json: resultJson(state, trackId),
		pairedItem: { item: itemIndex },
	};
	if (!download.enabled || state.output.length === 0) return item;
	const binary: IBinaryKeyData = {};
	for (const [index, output] of state.output.entries()) {
		const property =
			index === 0 ? download.binaryPropertyName : `${download.binaryPropertyName}_${index}`;
		binary[property] = await downloadOutput.call(context, output, `${state.id}-${index}`, {
			maxBytes: download.maxBytes,
			timeoutMs: 300_000,
		});
	}
	return { ...item, binary };
}
