import { isObject } from './schemas';

/**
 * How long ModelsLab asked to wait before the next request (docs/modelslab-api.md §4 "Rate
 * limit"): the documented body field `retry_after` (HTTP 429, and also inside HTTP 200
 * `{status: "error", retry_after}`), the standard `Retry-After` header (seconds or an HTTP date),
 * and `X-RateLimit-Reset`, which ModelsLab's CLI reads as epoch seconds.
 */

/** Header names as n8n's helpers give them (lower case); values may be lists. */
export type ResponseHeaders = Readonly<Record<string, unknown>>;

/** Waits beyond this are capped: a paced caller reads the job or submits again sooner. */
export const MAX_WAIT_SECONDS = 60;

/** `X-RateLimit-Reset` values below this are seconds from now, not epoch seconds. */
const EPOCH_SECONDS_FLOOR = 1_000_000_000;

function headerText(headers: ResponseHeaders | undefined, name: string): string | undefined {
	const value = headers?.[name];
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' || typeof first === 'number' ? String(first).trim() : undefined;
}

function seconds(text: string | undefined): number | undefined {
	return text !== undefined && /^\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
}

/** `Retry-After: 2` or `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT`. */
function retryAfterHeader(headers: ResponseHeaders | undefined, now: number): number | undefined {
	const text = headerText(headers, 'retry-after');
	if (!text) return undefined;
	const delay = seconds(text);
	if (delay !== undefined) return delay;
	const at = Date.parse(text);
	return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}

function rateLimitResetHeader(
	headers: ResponseHeaders | undefined,
	now: number,
): number | undefined {
	const reset = seconds(headerText(headers, 'x-ratelimit-reset'));
	if (reset === undefined) return undefined;
	return reset < EPOCH_SECONDS_FLOOR ? reset : Math.max(0, reset - now / 1000);
}

function bodyRetryAfter(body: unknown): number | undefined {
	if (!isObject(body)) return undefined;
	const value = body.retry_after;
	if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
	return typeof value === 'string' ? seconds(value.trim()) : undefined;
}

/**
 * The longest wait any of the three forms states, in seconds (never before anyone said), or
 * undefined when none does.
 */
export function statedWaitSeconds(
	headers: ResponseHeaders | undefined,
	body: unknown,
	now = Date.now(),
): number | undefined {
	const stated = [
		bodyRetryAfter(body),
		retryAfterHeader(headers, now),
		rateLimitResetHeader(headers, now),
	].filter((value): value is number => value !== undefined);
	return stated.length ? Math.max(...stated) : undefined;
}

/** HTTP 429, or HTTP 2xx `{status: "error", retry_after}` (the queue limit inside a 200). */
export function isRateLimited(statusCode: number, body: unknown): boolean {
	if (statusCode === 429) return true;
	return (
		statusCode < 300 &&
		isObject(body) &&
		body.status === 'error' &&
		bodyRetryAfter(body) !== undefined
	);
}

/** Without a stated wait: 1, 2, 4 s for retries 0, 1, 2, as ModelsLab's CLI backs off (docs/modelslab-api.md §4). */
export function backoffSeconds(retry: number): number {
	return 2 ** retry;
}

/** The wait before retry number `retry`: what ModelsLab stated, else the backoff; capped. */
export function waitBeforeRetry(stated: number | undefined, retry: number): number {
	return Math.min(stated ?? backoffSeconds(retry), MAX_WAIT_SECONDS);
}
