/** How one download attempt failed, and whether trying again can help. */

/** A host or a redirect the download policy does not allow: trying again cannot help. */
export class DownloadRefusedError extends Error {
	override name = 'DownloadRefusedError';
}

/** The file host answered with an error status. */
export class DownloadHttpError extends Error {
	override name = 'DownloadHttpError';
	/** From a `Retry-After` header (seconds or an HTTP date), when there was one. */
	readonly retryAfterMs?: number;

	constructor(
		readonly statusCode: number,
		retryAfter?: unknown,
	) {
		super(`HTTP ${statusCode}`);
		this.retryAfterMs = retryAfterMsOf(retryAfter);
	}
}

/** The connection ended before the whole file arrived. */
export class TruncatedDownloadError extends Error {
	override name = 'TruncatedDownloadError';

	constructor(received: number, declared?: number) {
		super(
			`the connection closed after ${received}${declared ? ` of ${declared}` : ''} bytes of the file`,
		);
	}
}

/** Network failures worth another attempt (what n8n's own HTTP client counts as transport failures). */
const TRANSIENT_CODES = new Set([
	'EAI_AGAIN',
	'ECONNABORTED',
	'ECONNREFUSED',
	'ECONNRESET',
	'EHOSTUNREACH',
	'ENETDOWN',
	'ENETUNREACH',
	'EPIPE',
	'ETIMEDOUT',
	'ERR_STREAM_PREMATURE_CLOSE',
	'UND_ERR_SOCKET',
]);

/** Network errors, 5xx and 429 answers, and files cut off mid-way. */
export function isTransientDownloadFailure(error: unknown): boolean {
	if (error instanceof DownloadHttpError)
		return error.statusCode >= 500 || error.statusCode === 429;
	if (error instanceof TruncatedDownloadError) return true;
	if (error instanceof DownloadRefusedError || error instanceof RangeError) return false;
	return hasTransientCode(error, 0);
}

function hasTransientCode(error: unknown, depth: number): boolean {
	if (typeof error !== 'object' || error === null || depth > 4) return false;
	const { code, cause } = error as { code?: unknown; cause?: unknown };
	return (
		(typeof code === 'string' && TRANSIENT_CODES.has(code)) || hasTransientCode(cause, depth + 1)
	);
}

/**
 * How long to wait before the next attempt, or undefined when there is none: the failure is not
 * transient, the retries are used up (`delayMs` undefined), or the wait (at least what
 * `Retry-After` asked) would not end before the time left.
 */
export function retryWaitMs(
	error: unknown,
	delayMs: number | undefined,
	remainingMs: number,
): number | undefined {
	if (delayMs === undefined || !isTransientDownloadFailure(error)) return undefined;
	const asked = error instanceof DownloadHttpError ? (error.retryAfterMs ?? 0) : 0;
	const wait = Math.max(delayMs, asked);
	return wait < remainingMs ? wait : undefined;
}

function retryAfterMsOf(value: unknown): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	const at = Date.parse(text);
	return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
