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
