import {
	sleep,
	type IDataObject,
	type IHttpRequestOptions,
	type IN8nHttpFullResponse,
	type RequestHelperFunctions,
} from 'n8n-workflow';

import { redactText, withoutSecrets } from './redact';
import { describeFailure, modelsLabApiError, QueueFullError } from './errors';
import {
	CREDENTIAL_TYPE,
	normaliseBaseUrl,
	type ModelsLabCredentials,
	type ModelsLabRequestContext,
} from './context';
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
	 * `retry` (default): wait `retry_after` and try again, a few times. `report`: throw
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

/** Queue-full answers are retried after `retry_after` at most this often, each wait capped. */
export const MAX_RATE_LIMIT_RETRIES = 3;
const MAX_RETRY_AFTER_SECONDS = 60;
export const DEFAULT_RETRY_AFTER_SECONDS = 5;
const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * The one place that talks to ModelsLab. Authenticates through the credential, handles 429,
 * turns every error shape (HTTP error, HTTP 200 with `status: "error"`, network failure) into a
 * NodeApiError with ModelsLab's message, and strips the key and URL secrets from what it returns.
 */
export async function modelsLabRequest(
	this: ModelsLabRequestContext,
	request: ApiRequest,
): Promise<IDataObject> {
	const credentials =
		request.credentials ??
		(await this.getCredentials<ModelsLabCredentials>(CREDENTIAL_TYPE, request.itemIndex));
	const url = normaliseBaseUrl(credentials.baseUrl) + request.path;
	const node = this.getNode();
	const options: IHttpRequestOptions = {
		method: request.method,
		url,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		...(request.query ? { qs: request.query } : {}),
		...(request.method === 'POST' ? { body: { ...(request.body ?? {}) } } : {}),
	};
	if (request.credentials) {
		// What the credential's `authenticate` adds, without evaluating its expressions.
		options.headers = { key: credentials.apiKey };
		if (request.method === 'POST')
			options.body = { ...(options.body as IDataObject), key: credentials.apiKey };
	}
	const cancelSignal =
		'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal?.() : undefined;
	if (cancelSignal) options.abortSignal = cancelSignal;

	const helpers = this.helpers as RequestHelperFunctions;
	for (let attempt = 0; ; attempt++) {
		let response: IN8nHttpFullResponse;
		try {
			response = (
				request.credentials
					? await helpers.httpRequest(options)
					: await helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options)
			) as IN8nHttpFullResponse;
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error);
			throw describeFailure(
				modelsLabApiError(node, {
					apiMessage: `could not reach ${url}: ${redactText(reason, credentials.apiKey)}`,
					itemIndex: request.itemIndex,
					context: request.context,
					apiKey: credentials.apiKey,
				}),
				{ network: { sent: !unsent(error) }, fromModelsLab: false },
			);
		}

		const body = parseBody(response.body);
		const envelope = errorBodySchema.safeParse(body);
		const said = envelope.success ? apiMessage(envelope.data) : undefined;
		const failure = (): ReturnType<typeof modelsLabApiError> =>
			describeFailure(
				modelsLabApiError(node, {
					apiMessage: said,
					httpCode: response.statusCode >= 400 ? response.statusCode : undefined,
					body,
					itemIndex: request.itemIndex,
					context: request.context,
					apiKey: credentials.apiKey,
				}),
				{
					httpCode: response.statusCode,
					fromModelsLab: envelope.success && isObject(body) && body.status !== undefined,
					retryAfterSeconds: envelope.success ? envelope.data.retry_after : undefined,
					apiMessage: said,
				},
			) as ReturnType<typeof modelsLabApiError>;

		if (response.statusCode === 429) {
			const retryAfter =
				(envelope.success && envelope.data.retry_after) || DEFAULT_RETRY_AFTER_SECONDS;
			if (request.onQueueFull === 'report') throw new QueueFullError(retryAfter, failure());
			if (attempt < MAX_RATE_LIMIT_RETRIES) {
				await sleep(Math.min(retryAfter, MAX_RETRY_AFTER_SECONDS) * 1000);
				continue;
			}
		}
		if (response.statusCode >= 400 || (isObject(body) && body.status === 'error')) throw failure();
		if (!isObject(body)) {
			throw describeFailure(
				modelsLabApiError(node, {
					apiMessage: `answered HTTP ${response.statusCode} without a JSON object (check the Base URL of the credential)`,
					itemIndex: request.itemIndex,
					context: request.context,
				}),
				{ httpCode: response.statusCode, fromModelsLab: false },
			);
		}
		return withoutSecrets(body);
	}
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
}

/** Error codes of a request that failed before anything was sent (no connection was made). */
const UNSENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);

function unsent(error: unknown): boolean {
	const code = (error as { code?: unknown; cause?: { code?: unknown } } | null)?.code;
	const causeCode = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
	return [code, causeCode].some((value) => typeof value === 'string' && UNSENT_CODES.has(value));
}
