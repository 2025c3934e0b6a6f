import { sleep, type IDataObject, type NodeApiError } from 'n8n-workflow';

import { withoutSecrets } from './redact';
import { modelsLabApiError, QueueFullError } from './errors';
import {
	CREDENTIAL_TYPE,
	normaliseBaseUrl,
	type ModelsLabCredentials,
	type ModelsLabRequestContext,
} from './context';
import { exchange, type Exchange, type HttpCall } from './exchange';
import { isRateLimited, MAX_WAIT_SECONDS, statedWaitSeconds, waitBeforeRetry } from './rateLimit';
import { apiMessage, errorBodySchema, isObject } from './schemas';

export interface ApiRequest {
	method: 'GET' | 'POST';
	/** Path after the credential's base URL, e.g. `/v6/images/text2img`. */
	path: string;
	body?: IDataObject;
	/** Extra query parameters (list endpoints). */
	query?: IDataObject;
	itemIndex?: number;
	/** Names the operation or job in errors. */
	context?: string;
	/** Submit calls without `instant_response` may hold the connection while the job starts. */
	timeoutMs?: number;
	/**
	 * `retry` (default): wait as ModelsLab asked and try again, a few times. `report`: throw
	 * QueueFullError at once, for callers that pace submissions to the account's queue limit.
	 */
	onQueueFull?: 'retry' | 'report';
	/**
	 * Credentials read earlier. Work that runs after a resume webhook answered (pacing, checks of
	 * silent jobs) must not resolve the credential again: n8n resolves its expressions with an
	 * expression isolate that only the webhook call holds. The key then travels as the credential
	 * would send it (body field and header `key`).
	 */
	credentials?: ModelsLabCredentials;
}

/** Queue-full answers are retried at most this often, each wait capped (rateLimit.ts). */
export const MAX_RATE_LIMIT_RETRIES = 3;
/** The wait a caller pacing its own submits assumes when ModelsLab names none. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;
const DEFAULT_TIMEOUT_MS = 120_000;
/** Cancelled executions are noticed within this while waiting to retry. */
const CANCEL_CHECK_MS = 250;

/** A request resolved against its credential: the call to send and what errors need. */
export interface PreparedRequest {
	call: HttpCall;
	url: string;
	credentials: ModelsLabCredentials;
}

export async function prepareRequest(
	this: ModelsLabRequestContext,
	request: ApiRequest,
): Promise<PreparedRequest> {
	const credentials =
		request.credentials ??
		(await this.getCredentials<ModelsLabCredentials>(CREDENTIAL_TYPE, request.itemIndex));
	const url = normaliseBaseUrl(credentials.baseUrl) + request.path;
	const cancelSignal =
		'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal?.() : undefined;
	return {
		url,
		credentials,
		call: {
			method: request.method,
			url,
			body: request.body,
			query: request.query,
			timeoutMs: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
			credentials,
			explicitKey: request.credentials !== undefined,
			cancelSignal,
		},
	};
}

export type Answer = Extract<Exchange, { outcome: 'answered' }>;

/** ModelsLab's own words in an answer: `message`, `messege` or `error` (docs/modelslab-api.md §4). */
export function answerMessage(body: unknown): string | undefined {
	const envelope = errorBodySchema.safeParse(body);
	return envelope.success ? apiMessage(envelope.data) : undefined;
}

/** The NodeApiError for an answer ModelsLab gave: its message, the HTTP status's hint. */
export function answerError(
	this: ModelsLabRequestContext,
	request: ApiRequest,
	prepared: PreparedRequest,
	answer: Answer,
	apiMessageOverride?: string,
): NodeApiError {
	return modelsLabApiError(this.getNode(), {
		apiMessage: apiMessageOverride ?? answerMessage(answer.body),
		httpCode: answer.statusCode >= 400 ? answer.statusCode : undefined,
		body: answer.body,
		itemIndex: request.itemIndex,
		context: request.context,
		apiKey: prepared.credentials.apiKey,
	});
}

/** The NodeApiError for a request that got no answer (or one this package does not follow). */
export function exchangeError(
	this: ModelsLabRequestContext,
	request: ApiRequest,
	prepared: PreparedRequest,
	failed: Exclude<Exchange, Answer>,
): NodeApiError {
	const said =
		failed.outcome === 'redirectRefused'
			? `answered HTTP ${failed.statusCode} with a redirect to ${failed.location}, another origin than the Base URL of the credential; it was not followed, so the API key was not sent there (check the Base URL)`
			: failed.outcome === 'cancelled'
				? 'the request was cancelled with the execution'
				: `could not reach ${prepared.url}: ${failed.reason}`;
	return modelsLabApiError(this.getNode(), {
		apiMessage: said,
		itemIndex: request.itemIndex,
		context: request.context,
		apiKey: prepared.credentials.apiKey,
	});
}

/** An answer that is not a JSON object: a proxy's page, a wrong Base URL. */
export function notJsonError(
	this: ModelsLabRequestContext,
	request: ApiRequest,
	prepared: PreparedRequest,
	answer: Answer,
): NodeApiError {
	return modelsLabApiError(this.getNode(), {
		apiMessage: `answered HTTP ${answer.statusCode} without a JSON object (check the Base URL of the credential)`,
		httpCode: answer.statusCode >= 400 ? answer.statusCode : undefined,
		itemIndex: request.itemIndex,
		context: request.context,
		apiKey: prepared.credentials.apiKey,
	});
}

/** Sleeps `seconds` (capped), in slices, throwing `cancelled()` once the execution is cancelled. */
export async function waitUnlessCancelled(
	seconds: number,
	cancelSignal: AbortSignal | undefined,
	cancelled: () => Error,
): Promise<void> {
	const until = Date.now() + Math.min(seconds, MAX_WAIT_SECONDS) * 1000;
	for (let left = until - Date.now(); left > 0; left = until - Date.now()) {
		if (cancelSignal?.aborted) throw cancelled();
		await sleep(Math.min(CANCEL_CHECK_MS, left));
	}
	if (cancelSignal?.aborted) throw cancelled();
}

/**
 * Lists, uploads and other calls that start no job. Authenticates through the credential,
 * retries rate limits (HTTP 429, HTTP 200 `{status: "error", retry_after}`) after the wait
 * ModelsLab asked for, turns every other failure (HTTP error, HTTP 200 with `status: "error"`,
 * network failure, a redirect to another origin) into a NodeApiError with ModelsLab's message,
 * and strips the key and URL secrets from what it returns. Submits and reads have their own
 * policies (submitPolicy.ts, readPolicy.ts).
 */
export async function modelsLabRequest(
	this: ModelsLabRequestContext,
	request: ApiRequest,
): Promise<IDataObject> {
	const prepared = await prepareRequest.call(this, request);
	for (let retry = 0; ; retry++) {
		const result = await exchange.call(this, prepared.call);
		if (result.outcome !== 'answered') throw exchangeError.call(this, request, prepared, result);
		const { statusCode, body } = result;
		if (isRateLimited(statusCode, body)) {
			const wait = statedWaitSeconds(result.headers, body);
			const error = answerError.call(this, request, prepared, result);
			if (request.onQueueFull === 'report')
				throw new QueueFullError(wait ?? DEFAULT_RETRY_AFTER_SECONDS, error);
			if (retry < MAX_RATE_LIMIT_RETRIES) {
				await waitUnlessCancelled(waitBeforeRetry(wait, retry), prepared.call.cancelSignal, () =>
					exchangeError.call(this, request, prepared, { outcome: 'cancelled', reason: '' }),
				);
				continue;
			}
			throw error;
		}
		if (statusCode >= 400 || (isObject(body) && body.status === 'error'))
			throw answerError.call(this, request, prepared, result);
		if (!isObject(body)) throw notJsonError.call(this, request, prepared, result);
		return withoutSecrets(body);
	}
}
