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
	503: 'ModelsLab is unavailable right now: try again later',
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

/** Builds the NodeApiError users see; nothing of the request (and so no key) is attached. */
export function modelsLabApiError(node: INode, failure: ApiFailure): NodeApiError {
	const hint = failure.httpCode ? HINTS[failure.httpCode] : undefined;
	const said = failure.apiMessage ? redactText(failure.apiMessage, failure.apiKey) : undefined;
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

/**
 * A read of a job that says nothing about the job: the network, a 5xx, a rate limit, an answer
 * that could not be read. The caller reads again later (completion/jobTracker.ts).
 */
export class ReadFailedError extends Error {
	constructor(
		readonly error: Error,
		readonly retryAfterSeconds?: number,
	) {
		super(error.message);
		this.name = 'ReadFailedError';
	}
}

/** ModelsLab does not know the job (HTTP 404): the caller ends the job after repeated ones. */
export class JobNotFoundError extends Error {
	constructor(readonly error: Error) {
		super(error.message);
		this.name = 'JobNotFoundError';
	}
}

/**
 * A submit whose request may have reached ModelsLab though no usable answer came back (a timeout
 * after sending, a reset connection, a 502/504 or another page that is not ModelsLab's JSON): the
 * job may exist and be paid for, so the item must not be submitted again.
 */
export class SubmitOutcomeUnknownError extends Error {
	constructor(readonly error: NodeApiError) {
		super(error.message);
		this.name = 'SubmitOutcomeUnknownError';
	}
}

/** What the transport saw of a failed request, for callers that decide by the kind of failure. */
export interface RequestFailure {
	/** The HTTP status; undefined when no answer arrived. */
	httpCode?: number;
	/** No answer arrived; `sent`: the request may have reached ModelsLab before it failed. */
	network?: { sent: boolean };
	/** The answer was ModelsLab's own JSON (an error envelope), whatever its HTTP status. */
	fromModelsLab: boolean;
	/** Seconds ModelsLab asked to wait (rate limits). */
	retryAfterSeconds?: number;
	/** ModelsLab's own words, when it said any. */
	apiMessage?: string;
}

const failures = new WeakMap<Error, RequestFailure>();

export function describeFailure(error: Error, failure: RequestFailure): Error {
	failures.set(error, failure);
	return error;
}

export function failureOf(error: unknown): RequestFailure | undefined {
	return error instanceof Error ? failures.get(error) : undefined;
}
