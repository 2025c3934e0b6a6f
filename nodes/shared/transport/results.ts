import {
	NodeApiError,
	NodeOperationError,
	type IBinaryKeyData,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import type { ModelsLabContext } from './context';
import { downloadOutput, type DownloadSettings } from './download';
import { statusOfPhase, type JobState } from './jobState';
import { redactText } from './redact';
import { isObject } from './schemas';

/**
 * The contract's output of a job: `{ status, id, track_id, output, meta, ... }`, with the same
 * fields whichever way the result arrived (a callback carries `meta` and `generationTime`, a fetch
 * answer does not: those are then `{}` and `null`).
 */
export function resultJson(state: JobState, trackId: string): IDataObject {
	const raw = state.raw;
	const extraAssets = extraAssetsOf(state);
	return {
		status: statusOfPhase(state.phase),
		id: state.id,
		track_id: trackId,
		output: state.output,
		proxy_links: stringList(raw.proxy_links),
		meta: isObject(raw.meta) ? raw.meta : {},
		generationTime: typeof raw.generationTime === 'number' ? raw.generationTime : null,
		message: state.message ?? null,
		...(extraAssets ? { extra_assets: extraAssets } : {}),
		...(state.kind === 'training' ? { training_status: state.trainingStatus ?? null } : {}),
	};
}

/**
 * A 3D job's further files (`extra_assets`, e.g. its render video), where one of its answers
 * carried the field; undefined for every other job, whose items keep their shape.
 */
export function extraAssetsOf(state: JobState): string[] | undefined {
	if (state.extraAssets) return state.extraAssets;
	return state.raw.extra_assets === undefined ? undefined : stringList(state.raw.extra_assets);
}

/**
 * What a read-only operation (Get Result, Get Status, Get Run) outputs: the contract's fields of
 * resultJson, and beside them ModelsLab's own record of the job as it answered, under its own
 * field names (a Workflows run's `execution` with its own status and timings, its `steps` and
 * `error`; a training's `messege` and log in `data`). Where a name is one of the contract's
 * (`status`, `id`, `track_id`, `output`, `meta`, ...), the contract's meaning wins.
 */
export function recordJson(state: JobState, trackId: string): IDataObject {
	return { ...state.raw, ...resultJson(state, trackId) };
}

function stringList(value: unknown): string[] {
	return Array.isArray(value)
		? value.filter((entry): entry is string => typeof entry === 'string')
		: [];
}

/**
 * The `submit` mode's output: what a later Get Result or the trigger needs. A 3D job's render
 * video may be named only in the submit's answer (docs/modelslab-api.md), so it is kept here too.
 */
export function receiptJson(state: JobState, trackId: string): IDataObject {
	const extraAssets = extraAssetsOf(state);
	return {
		status: statusOfPhase(state.phase),
		id: state.id,
		track_id: trackId,
		eta: state.eta ?? null,
		fetch_result: state.fetchResult ?? null,
		future_links: state.futureLinks ?? [],
		...(state.phase === 'success' ? { output: state.output } : {}),
		...(extraAssets ? { extra_assets: extraAssets } : {}),
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

/**
 * The item "Continue On Fail" yields instead of an error: `{ error, status: "failed", id,
 * track_id }`. With On Error "Continue (using error output)" it carries the error itself, which
 * is what makes n8n send it to the error output; n8n then keeps only `{ error }` of its JSON
 * (both 1.x and 2.x), so the message names the request id.
 */
export function errorItem(
	node: INode,
	error: Error,
	itemIndex: number,
	state?: Pick<JobState, 'id'>,
	trackId = '',
): INodeExecutionData {
	const message = redactText(error.message, undefined);
	const item: INodeExecutionData = {
		json: { error: message, status: 'failed', id: state?.id || null, track_id: trackId },
		pairedItem: { item: itemIndex },
	};
	if (node.onError !== 'continueErrorOutput') return item;
	const id = state?.id;
	const named = id && !message.includes(id) ? `${message} (request ID ${id})` : message;
	item.error =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? Object.assign(error, { message: named })
			: new NodeOperationError(node, named, { itemIndex });
	return item;
}

/** One output item for a finished job; downloads its files when asked. */
export async function successItem(
	context: ModelsLabContext,
	state: JobState,
	trackId: string,
	itemIndex: number,
	download: DownloadSettings,
	json: IDataObject = resultJson(state, trackId),
): Promise<INodeExecutionData> {
	const item: INodeExecutionData = {
		json,
		pairedItem: { item: itemIndex },
	};
	// The files of the job: its outputs, then its extra assets (a 3D render video).
	const files = [...state.output, ...(extraAssetsOf(state) ?? [])];
	if (!download.enabled || files.length === 0) return item;
	const binary: IBinaryKeyData = {};
	for (const [index, output] of files.entries()) {
		const property =
			index === 0 ? download.binaryPropertyName : `${download.binaryPropertyName}_${index}`;
		binary[property] = await downloadOutput.call(context, output, `${state.id}-${index}`, {
			maxBytes: download.maxBytes,
			allowedHosts: download.allowedHosts,
			timeoutMs: 300_000,
		});
	}
	return { ...item, binary };
}
