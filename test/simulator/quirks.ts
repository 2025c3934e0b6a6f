/**
 * Answer forms ModelsLab's own clients and docs show besides the documented ones, and faults of the
 * wire: rate limits in each form, the face-swap path families, planned fetch failures.
 */
import { apiError, gatewayPage, json, type Reply } from './replies';
import type { FaceSwapFamily, FetchFault, RateLimitForm } from './types';

const FACE_SWAP_FAMILIES: readonly FaceSwapFamily[] = ['faceswap', 'deepfake'];

/** A rate limit in one of its forms; `retryAfter` in seconds. */
export function rateLimitReply(
	message: string,
	retryAfter: number,
	form: RateLimitForm = 'body',
): Reply {
	switch (form) {
		case 'body':
			return json(429, { status: 'error', message, retry_after: retryAfter });
		case 'http200':
			return json(200, { status: 'error', message, retry_after: retryAfter });
		case 'retryAfterHeader':
			return {
				...json(429, { status: 'error', message }),
				headers: { 'retry-after': String(retryAfter) },
			};
		case 'retryAfterDate':
			return {
				...json(429, { status: 'error', message }),
				headers: { 'retry-after': new Date(Date.now() + retryAfter * 1000).toUTCString() },
			};
		case 'rateLimitReset':
			return {
				...json(429, { status: 'error', message }),
				headers: { 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000 + retryAfter)) },
			};
	}
}

/** The reply a planned fetch fault gives. */
export function fetchFaultReply(fault: FetchFault): Reply {
	if (fault.resetConnection) return { ...json(0, null), resetConnection: true };
	if (fault.rateLimit)
		return rateLimitReply('Rate limit exceeded.', fault.rateLimit.retryAfter, fault.rateLimit.form);
	if (fault.http200Error !== undefined) return apiError(fault.http200Error);
	const status = fault.httpStatus ?? 500;
	if (fault.htmlPage) return gatewayPage(status);
	return apiError(`Simulated HTTP ${status}`, { httpStatus: status });
}

export class SimQuirks {
	private readonly configuredFaceSwap: readonly FaceSwapFamily[];
	private faceSwap: Set<FaceSwapFamily>;
	private readonly fetchFaults: FetchFault[] = [];

	constructor(faceSwapPaths: readonly FaceSwapFamily[] = FACE_SWAP_FAMILIES) {
		this.configuredFaceSwap = checkFaceSwapPaths(faceSwapPaths);
		this.faceSwap = new Set(this.configuredFaceSwap);
	}

	/** Whether `/api/v6/<family>/...` answers (`faceswap`, `deepfake`); other families always do. */
	serves(family: string): boolean {
		return !isFaceSwapFamily(family) || this.faceSwap.has(family);
	}

	setFaceSwapPaths(families: readonly FaceSwapFamily[]): void {
		this.faceSwap = new Set(checkFaceSwapPaths(families));
	}

	planFetch(fault: FetchFault, count = 1): void {
		for (let n = 0; n < count; n++) this.fetchFaults.push({ ...fault });
	}

	takeFetchFault(): FetchFault | undefined {
		return this.fetchFaults.shift();
	}

	reset(): void {
		this.faceSwap = new Set(this.configuredFaceSwap);
		this.fetchFaults.length = 0;
	}
}

export function isFaceSwapFamily(family: string): family is FaceSwapFamily {
	return (FACE_SWAP_FAMILIES as readonly string[]).includes(family);
}

function checkFaceSwapPaths(families: readonly FaceSwapFamily[]): readonly FaceSwapFamily[] {
	for (const family of families)
		if (!isFaceSwapFamily(family))
			throw new RangeError(
				`faceSwapPaths takes "faceswap" and "deepfake", not "${String(family)}"`,
			);
	return [...families];
}
