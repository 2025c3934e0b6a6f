import { createHmac, timingSafeEqual } from 'crypto';

/** Query parameter carrying the callback tag; n8n ignores query parameters it does not know. */
export const CALLBACK_TAG_PARAM = 'mltag';

/**
 * A tag only the holder of the API key can compute for this execution and node. n8n 1.x and
 * 2.0-2.13 resume URLs carry no secret and execution ids are sequential, so without it anyone
 * could resume a waiting execution with a forged result.
 */
export function callbackTag(apiKey: string, executionId: string, nodeId: string): string {
	return createHmac('sha256', apiKey)
		.update(`modelslab-callback:${executionId}:${nodeId}`)
		.digest('hex')
		.slice(0, 32);
}

export function tagMatches(received: unknown, expected: string): boolean {
	if (typeof received !== 'string' || received.length !== expected.length) return false;
	return timingSafeEqual(Buffer.from(received), Buffer.from(expected));
}

/** n8n's own resume token (2.14+), which n8n checks before a resume webhook runs. */
const N8N_RESUME_TOKEN_PARAM = 'signature';

/**
 * Whether n8n put its resume token into the URL. n8n adds it only in the versions that also
 * reject a resume request without it (2.14+; 1.x adds none), so its presence at park time means
 * n8n itself authenticates the callback.
 */
export function isSignedByN8n(callbackUrl: string): boolean {
	return new URL(callbackUrl).searchParams.has(N8N_RESUME_TOKEN_PARAM);
}

/**
 * The URL ModelsLab calls back: the execution's resume URL with `/<node id>` appended to its path
 * (the restart webhook's path) and its query string kept exactly, since n8n 2.14+ checks the
 * `signature` in it.
 */
export function buildCallbackUrl(resumeUrl: string, nodeId: string, tag: string): string {
	const url = new URL(resumeUrl);
	url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(nodeId)}`;
	url.searchParams.set(CALLBACK_TAG_PARAM, tag);
	return url.toString();
}
