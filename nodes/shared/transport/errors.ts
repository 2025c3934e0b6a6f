import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

import { redactText } from './redact';

/** What to do about each documented HTTP error (docs/modelslab-api.md §4). */
const HINTS: Record<number, string> = {
	400: 'ModelsLab rejected the request parameters: check the fields named in the message',
	401: 'ModelsLab rejected the API key: check the API key in the ModelsLab credential (modelslab.com/dashboard/api-keys)',
	402: 'Your ModelsLab account has not enough credits for this request: top up at modelslab.com',
	403: 'Your ModelsLab plan does not include this feature: check your subscription at modelslab.com',
	404: 'ModelsLab does not know this endpoint or id: check the request id and the Base URL of the credential',
	429: "ModelsLab's queue limit for your plan is reached: run fewer jobs at once or raise the plan's limit",
	500: 'ModelsLab had an internal error: try again later',
	502: 'A gateway in front of ModelsLab failed: try again later',
	503: 'ModelsLab is unavailable right now: try again later',
	504: 'A gateway in front of ModelsLab timed out: try again later',
};

/**
 * ModelsLab's account queue is full (HTTP 429 with `retry_after`, docs/modelslab-api.md §4, §7).
 * Thrown instead of waiting when the caller paces its own submissions; `error` is what users see
 * if the caller gives up.
 */
export class QueueFullError extends Error {
	constructor(
		readonly retryAfterSeconds: number,
		readonly error: NodeApiError,
	) {
		super(error.message);
		this.name = 'QueueFullError';
	}
}

/**
 * The failure policy of reads (transport/jobs.ts `fetchJob`). A read that fails says nothing about
 * the job, so the transport does not retry reads itself: the caller (the job tracker) decides when
 * to read again. A job that ModelsLab says failed is no error of the read: `fetchJob` returns it
 * as a JobState with `phase: 'failed'`.
 */

/**
 * ModelsLab does not know the job under any of the paths tried: HTTP 404 (after the catalog's
 * alternate paths) or an answer that plainly says the request is unknown ("Request not found").
 * One such answer may be a fetch endpoint that has not caught up yet; repeated ones end the job.
 */
export class JobNotFoundError extends Error {
	constructor(
		/** The user-facing error, naming the job and what ModelsLab said. */
		readonly error: NodeApiError,
	) {
		super(error.message);
		this.name = 'JobNotFoundError';
	}
}

/**
 * The read failed for a reason that passes: network error, timeout, HTTP 5xx, a rate limit (HTTP
 * 429, or HTTP 200 `{status: "error", retry_after}`), an answer that is not a usable JSON object.
 * Read again later, after `retryAfterSeconds` when ModelsLab named a wait.
 */
export class ReadFailedError extends Error {
	constructor(
		readonly error: NodeApiError,
		/** The wait ModelsLab asked for (rate limits), in seconds; undefined when it named none. */
		readonly retryAfterSeconds?: number,
	) {
		super(error.message);
		this.name = 'ReadFailedError';
	}
}

/**
 * A submit whose outcome is unknown: the request may have reached ModelsLab (timeout after it was
 * sent, connection reset, HTTP 502/504, an HTML or other non-JSON 5xx page), or ModelsLab took it
 * without an id that could be read back. The job may exist and be paid for, so it must not be
 * submitted again; `error` says so and names the track id to look for it by.
 */
export class SubmitOutcomeUnknownError extends Error {
	constructor(
		readonly error: NodeApiError,
		/** The `track_id` the submit carried, when it had one. */
		readonly trackId?: string,
	) {
		super(error.message);
		this.name = 'SubmitOutcomeUnknownError';
	}
}

/** The error users see: the NodeApiError a policy error carries, or the error itself. */
export function userFacingError(error: unknown): Error {
	if (
		error instanceof QueueFullError ||
		error instanceof JobNotFoundError ||
		error instanceof ReadFailedError ||
		error instanceof SubmitOutcomeUnknownError
	)
		return error.error;
	return error instanceof Error ? error : new Error(String(error));
}

export interface ApiFailure {
	/** ModelsLab's own words, when it said any. */
	apiMessage?: string;
	httpCode?: number;
	/** The answer's body, for callers' logs; never attached to the error. */
	body?: unknown;
	itemIndex?: number;
	/** Which operation or job, for the error's description. */
	context?: string;
	apiKey?: string;
}

/**
 * NodeApiError replaces a whole message that contains one of these error codes (in any case) with
 * a generic sentence of its own ("The connection timed out"), which would drop ModelsLab's words,
 * the URL and any advice: they are written out instead.
 */
const ERROR_CODE_WORDS: Readonly<Record<string, string>> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	ENOTFOUND: 'host not found',
	ETIMEDOUT: 'timed out',
	ERRADDRINUSE: 'address in use',
	EADDRNOTAVAIL: 'address not available',
	ECONNABORTED: 'connection aborted',
	EHOSTUNREACH: 'host unreachable',
	EAI_AGAIN: 'name lookup failed',
	ENOENT: 'no such file',
	EISDIR: 'is a directory',
	ENOTDIR: 'not a directory',
	EACCES: 'access denied',
	EEXIST: 'already exists',
	EPERM: 'not permitted',
	GETADDRINFO: 'name lookup',
};
const ERROR_CODE = new RegExp(Object.keys(ERROR_CODE_WORDS).join('|'), 'gi');

export function withoutErrorCodes(text: string): string {
	return text.replace(ERROR_CODE, (code) => ERROR_CODE_WORDS[code.toUpperCase()] ?? code);
}

/** Builds the NodeApiError users see; nothing of the request (and so no key) is attached. */
export function modelsLabApiError(node: INode, failure: ApiFailure): NodeApiError {
	const hint = failure.httpCode ? HINTS[failure.httpCode] : undefined;
	const said = failure.apiMessage
		? withoutErrorCodes(redactText(failure.apiMessage, failure.apiKey))
		: undefined;
	const message = said ? `ModelsLab: ${said}` : (hint ?? 'ModelsLab request failed');
	const description = [failure.context, said && hint ? hint : undefined].filter(Boolean).join('. ');
	// ModelsLab's body stays out: NodeApiError mines it for codes, and it may quote the request.
	const errorResponse: JsonObject = {
		message,
		...(failure.httpCode ? { httpCode: String(failure.httpCode) } : {}),
	};
	return new NodeApiError(node, errorResponse, {
		message,
		description: description || undefined,
		httpCode: failure.httpCode ? String(failure.httpCode) : undefined,
		itemIndex: failure.itemIndex,
	});
}
