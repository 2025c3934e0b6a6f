import type { IDataObject, IExecuteFunctions, ISupplyDataFunctions } from 'n8n-workflow';

import type { SubmitEndpointSpec } from '../catalog/types';
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
			const { values, extra } = readEndpointValues(context, endpoint, itemIndex);
			const trackValue = trackIdForBody(endpoint.trackId, trackId);
			if (trackValue !== undefined) values.track_id = trackValue;
			const webhook = webhookFor(itemIndex);
			if (webhook) values.webhook = webhook;
			const { body, pathValues } = buildRequestBody(endpoint, values, extra);
			// Extra Body Fields may not redirect the result or change the correlation id.
			if (webhook) body.webhook = webhook;
			if (trackValue !== undefined) body.track_id = trackValue;
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
