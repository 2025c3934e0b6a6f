import { createHash } from 'crypto';

import type { TrackIdStyle } from '../catalog/types';

/**
 * The track id a node sends when the user leaves "Track ID" empty. It is derived from the
 * execution, node and item, so the resume webhook can compute it again without storing it.
 * Integer-typed endpoints get digits only (modelslab-api.md §2).
 */
export function generatedTrackId(
	style: TrackIdStyle,
	executionId: string,
	nodeId: string,
	itemIndex: number,
): string {
	if (style === 'integer') {
		// 12 digits from the execution and node, then the item: unique per job, below 2^53.
		const digits = BigInt(
			'0x' + createHash('sha256').update(`${executionId}:${nodeId}`).digest('hex').slice(0, 12),
		);
		return String((digits % 1_000_000_000_000n) * 1000n + BigInt(itemIndex % 1000));
	}
	return `n8n-${executionId}-${nodeId.slice(0, 8)}-${itemIndex}`;
}

/** The value to send as `track_id`, typed as the endpoint declares it. */
export function trackIdForBody(style: TrackIdStyle, trackId: string): string | number | undefined {
	if (style === 'none') return undefined;
	if (style === 'integer') return /^\d{1,15}$/.test(trackId) ? Number(trackId) : Number.NaN;
	return trackId;
}
