import type { IDataObject, IExecuteFunctions, ISupplyDataFunctions } from 'n8n-workflow';

import type { SubmitEndpointSpec } from '../catalog/types';
import { dataUri, uploadFile } from '../transport/uploads';
import { binaryFileData, checkBinaryFiles, destinationOf, type BinaryFile } from './binaryFiles';
import { readModelChoice } from './modelChoice';
import { readEndpointValues } from './readParameters';
import { buildRequestBody } from './requestBody';
import { itemTrackId, trackIdForBody, type TrackIdOrigin } from './trackId';

/** One item's request, validated and ready to send. */
export interface ItemRequest {
	itemIndex: number;
	trackId: string;
	body: IDataObject;
	pathValues: IDataObject;
}

export type ItemRequestResult =
	| { itemIndex: number; trackId: string; request: ItemRequest }
	| { itemIndex: number; trackId: string; error: Error };

type RunContext = IExecuteFunctions | ISupplyDataFunctions;

/** An item that passed every check, with the files its body still waits for. */
interface Checked {
	request: ItemRequest;
	files: BinaryFile[][];
}

/**
 * Reads and validates every item's request before anything is sent, so a bad value or a bad
 * binary file stops the run with nothing submitted and nothing uploaded. Then the items' binary
 * files are uploaded (or inlined) and their URLs put into the bodies; an upload that fails is
 * that item's error, like a refused submit. `webhookFor` gives each item its callback URL.
 *
 * Without On Error: Continue, a run with any error must send none of the requests (runSubmit
 * stops at the first error in item order): once an item failed, the files of the others are not
 * uploaded, and their bodies keep the stand-ins the validation used.
 */
export async function prepareItemRequests(
	context: RunContext,
	endpoint: SubmitEndpointSpec,
	itemCount: number,
	origin: TrackIdOrigin,
	webhookFor: (itemIndex: number) => string | undefined,
): Promise<ItemRequestResult[]> {
	const results: Array<ItemRequestResult | Checked> = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const trackId = itemTrackId(context, endpoint, origin, itemIndex);
		try {
			results.push(await checkedItem(context, endpoint, itemIndex, trackId, webhookFor));
		} catch (error) {
			results.push({ itemIndex, trackId, error: asError(error) });
		}
	}
	const stopsAtError = !context.continueOnFail();
	let stopped = stopsAtError && results.some((entry) => 'error' in entry);
	const prepared: ItemRequestResult[] = [];
	for (const entry of results) {
		if (!('files' in entry)) {
			prepared.push(entry);
			continue;
		}
		const { request } = entry;
		if (stopped) {
			prepared.push({ itemIndex: request.itemIndex, trackId: request.trackId, request });
			continue;
		}
		try {
			await attachFiles(context, request, entry.files);
			prepared.push({ itemIndex: request.itemIndex, trackId: request.trackId, request });
		} catch (error) {
			prepared.push({
				itemIndex: request.itemIndex,
				trackId: request.trackId,
				error: asError(error),
			});
			stopped = stopsAtError;
		}
	}
	return prepared;
}

async function checkedItem(
	context: RunContext,
	endpoint: SubmitEndpointSpec,
	itemIndex: number,
	trackId: string,
	webhookFor: (itemIndex: number) => string | undefined,
): Promise<Checked> {
	// A provider-model operation takes the chosen model's fields (its file fields among them).
	const model = readModelChoice(context, endpoint, itemIndex);
	const { values, extra, binaryInputs } = readEndpointValues(context, model.endpoint, itemIndex);
	if (model.modelId !== undefined) values.model_id = model.modelId;
	const files: BinaryFile[][] = [];
	for (const input of binaryInputs) {
		const checked = await checkBinaryFiles(context, itemIndex, input.field, input.propertyNames);
		files.push(checked);
		// Validated with a stand-in per file; attachFiles puts the real URLs in.
		values[input.field.name] = input.field.file.list
			? checked.map(placeholder)
			: placeholder(checked[0]);
	}
	const trackValue = trackIdForBody(endpoint.trackId, trackId);
	if (trackValue !== undefined) values.track_id = trackValue;
	const webhook = webhookFor(itemIndex);
	if (webhook) values.webhook = webhook;
	const { body, pathValues } = buildRequestBody(model.endpoint, values, {
		...model.bodyFields,
		...extra,
	});
	// Extra Body Fields may not redirect the result, change the correlation id or the model.
	if (webhook) body.webhook = webhook;
	if (trackValue !== undefined) body.track_id = trackValue;
	if (model.modelId !== undefined) body.model_id = model.modelId;
	return { request: { itemIndex, trackId, body, pathValues }, files };
}

/** What a binary file's field holds until the file is uploaded. */
function placeholder(file: BinaryFile): string {
	return `n8n-binary://${file.propertyName}`;
}

/**
 * Uploads each file through its field's `base64_to_url` family (or inlines it) and puts the URLs
 * into the body where the placeholders are: under the field's name and each name it is also sent
 * as. A name Extra Body Fields replaced is left alone.
 */
async function attachFiles(
	context: RunContext,
	request: ItemRequest,
	files: BinaryFile[][],
): Promise<void> {
	for (const fieldFiles of files) {
		const field = fieldFiles[0]?.field;
		if (!field) continue;
		const expected = JSON.stringify(
			field.file.list ? fieldFiles.map(placeholder) : placeholder(fieldFiles[0]),
		);
		const names = [field.name, ...(field.alsoSendAs ?? [])].filter(
			(name) => JSON.stringify(request.body[name]) === expected,
		);
		if (!names.length) continue;
		const urls: string[] = [];
		for (const file of fieldFiles) urls.push(await sendable(context, file));
		for (const name of names) request.body[name] = field.file.list ? urls : urls[0];
	}
}

async function sendable(context: RunContext, file: BinaryFile): Promise<string> {
	const data = await binaryFileData(context, file);
	const destination = destinationOf(file.field.file);
	if (destination === 'inline') return dataUri(data, file.mimeType);
	return await uploadFile.call(
		context,
		destination,
		{ data, mimeType: file.mimeType },
		{
			itemIndex: file.itemIndex,
			what: `${file.field.name} from binary property "${file.propertyName}" of input item ${file.itemIndex}`,
		},
	);
}

function asError(error: unknown): Error {
	return error instanceof Error ? error : new Error(String(error));
}
