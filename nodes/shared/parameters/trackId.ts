import { createHash } from 'crypto';
import type { IExecuteFunctions, ISupplyDataFunctions } from 'n8n-workflow';

import type { SubmitEndpointSpec, TrackIdStyle } from '../catalog/types';
import { PARAM } from './commonParameters';

/** Where a job's generated track id comes from: unique per execution, node, node run and item. */
export interface TrackIdOrigin {
	executionId: string;
	nodeId: string;
	/** The node's run in this execution: each loop iteration is one. */
	runIndex: number;
}

/** Generated ids stay unique up to this many items in one node run. */
export const MAX_ITEMS_PER_RUN = 1_000_000;

/**
 * The track id a node sends when the user leaves "Track ID" empty. Integer-typed endpoints get
 * digits only (docs/modelslab-api.md §2): 9 from a hash of the execution, node and node run, then
 * 6 for the item, 15 in all, below 2^53.
 */
export function generatedTrackId(
	style: TrackIdStyle,
	origin: TrackIdOrigin,
	itemIndex: number,
): string {
	const { executionId, nodeId, runIndex } = origin;
	if (style === 'integer') {
		const hash = createHash('sha256').update(`${executionId}:${nodeId}:${runIndex}`).digest('hex');
		const run = BigInt(`0x${hash.slice(0, 12)}`) % 1_000_000_000n;
		return String(run * BigInt(MAX_ITEMS_PER_RUN) + BigInt(itemIndex));
	}
	return `n8n-${executionId}-${nodeId.slice(0, 8)}-r${runIndex}-${itemIndex}`;
}

/** The value to send as `track_id`, typed as the endpoint declares it. */
export function trackIdForBody(style: TrackIdStyle, trackId: string): string | number | undefined {
	if (style === 'none') return undefined;
	if (style === 'integer') return /^\d{1,15}$/.test(trackId) ? Number(trackId) : Number.NaN;
	return trackId;
}

/** The track id an item's job is sent with: the user's Track ID, or a generated one. */
export function itemTrackId(
	context: IExecuteFunctions | ISupplyDataFunctions,
	endpoint: SubmitEndpointSpec,
	origin: TrackIdOrigin,
	itemIndex: number,
): string {
	if (endpoint.trackId === 'none') return '';
	const given = String(context.getNodeParameter(PARAM.trackId, itemIndex, '') ?? '').trim();
	return given || generatedTrackId(endpoint.trackId, origin, itemIndex);
}
