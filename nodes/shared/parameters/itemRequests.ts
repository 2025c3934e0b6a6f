import type { IDataObject, IExecuteFunctions, ISupplyDataFunctions } from 'n8n-workflow';

import type { SubmitEndpointSpec } from '../catalog/types';
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

/**
 * Reads and validates every item's request before anything is sent, so a bad value stops the run
 * with nothing submitted. `webhookFor` gives each item its callback URL (or none).
 */
export function prepareItemRequests(
	context: IExecuteFunctions | ISupplyDataFunctions,
	endpoint: SubmitEndpointSpec,
	itemCount: number,
	origin: TrackIdOrigin,
	webhookFor: (itemIndex: number) => string | undefined,
): ItemRequestResult[] {
	const results: ItemRequestResult[] = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const trackId = itemTrackId(context, endpoint, origin, itemIndex);
		try {
			// A provider-model operation takes the chosen model's fields.
			const model = readModelChoice(context, endpoint, itemIndex);
			const { values, extra } = readEndpointValues(context, model.endpoint, itemIndex);
			if (model.modelId !== undefined) values.model_id = model.modelId;
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
			results.push({ itemIndex, trackId, request: { itemIndex, trackId, body, pathValues } });
		} catch (error) {
			results.push({
				itemIndex,
				trackId,
				error: error instanceof Error ? error : new Error(String(error)),
			});
		}
	}
	return results;
}
