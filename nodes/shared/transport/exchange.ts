import type {
	IDataObject,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	RequestHelperFunctions,
} from 'n8n-workflow';

import {
	CREDENTIAL_TYPE,
	type ModelsLabCredentials,
	type ModelsLabRequestContext,
} from './context';
import type { ResponseHeaders } from './rateLimit';
import { redactText, withoutUrlSecrets } from './redact';

/** One request to ModelsLab, before any policy: where, what, and how the key travels. */
export interface HttpCall {
	method: 'GET' | 'POST';
	url: string;
	body?: IDataObject;
	query?: IDataObject;
	timeoutMs: number;
	credentials: ModelsLabCredentials;
	/**
	 * Send the key as the credential would (body field and header `key`) instead of through the
	 * credential's `authenticate`: work after a resume webhook answered cannot evaluate the
	 * credential's expressions (see ApiRequest.credentials in request.ts).
	 */
	explicitKey: boolean;
	cancelSignal?: AbortSignal;
}

/**
 * What became of one request. `notSent`: it certainly never reached the server (connection
 * refused, DNS, TLS). `lost`: it may have (timeout after sending, connection reset, anything
 * unrecognised). `redirectRefused`: the server redirected it to another origin, which is not
 * followed because the request carries the API key.
 */
export type Exchange =
	| { outcome: 'answered'; statusCode: number; headers: ResponseHeaders; body: unknown }
	| { outcome: 'notSent'; reason: string }
	| { outcome: 'lost'; reason: string; timedOut: boolean }
	| { outcome: 'cancelled'; reason: string }
	| { outcome: 'redirectRefused'; statusCode: number; location: string };

/** Redirects within the Base URL's origin that are followed, one after another. */
export const MAX_SAME_ORIGIN_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Error codes of failures before a byte of the request left (Node.js and axios codes). */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EAI_FAIL',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EADDRNOTAVAIL',
	'ERR_INVALID_URL',
	'ERR_BAD_OPTION_VALUE',
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);
const NOT_SENT_PREFIXES = ['ERR_TLS_', 'ERR_SSL_', 'CERT_'];
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
const CANCEL_CODES = new Set(['ERR_CANCELED', 'ABORT_ERR']);

interface ErrorFacts {
	codes: string[];
	names: string[];
	messages: string[];
}

/** Codes, names and messages of an error and its causes: n8n wraps axios errors in NodeApiError. */
function errorFacts(error: unknown): ErrorFacts {
	const facts: ErrorFacts = { codes: [], names: [], messages: [] };
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
		const entry = current as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
		if (typeof entry.code === 'string') facts.codes.push(entry.code);
		if (typeof entry.name === 'string') facts.names.push(entry.name);
		if (typeof entry.message === 'string') facts.messages.push(entry.message);
		current = entry.cause;
	}
	return facts;
}

/** Sorts a thrown request error into what it says about whether the request reached the server. */
export function failedExchange(
	error: unknown,
	cancelSignal: AbortSignal | undefined,
	apiKey: string,
): Exclude<Exchange, { outcome: 'answered' | 'redirectRefused' }> {
	const facts = errorFacts(error);
	const reason = redactText(facts.messages[facts.messages.length - 1] ?? String(error), apiKey);
	if (
		cancelSignal?.aborted ||
		facts.codes.some((code) => CANCEL_CODES.has(code)) ||
		facts.names.some((name) => name === 'CanceledError' || name === 'AbortError')
	)
		return { outcome: 'cancelled', reason };
	if (
		facts.codes.some(
			(code) =>
				NOT_SENT_CODES.has(code) || NOT_SENT_PREFIXES.some((prefix) => code.startsWith(prefix)),
		)
	)
		return { outcome: 'notSent', reason };
	const timedOut =
		facts.codes.some((code) => TIMEOUT_CODES.has(code)) ||
		facts.messages.some((message) => /\btime(d)?\s*out\b|timeout of \d+ms/i.test(message));
	return { outcome: 'lost', reason, timedOut };
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
}

function redirectTarget(response: IN8nHttpFullResponse): string | undefined {
	if (!REDIRECT_STATUSES.has(response.statusCode)) return undefined;
	const location = (response.headers as ResponseHeaders | undefined)?.location;
	return typeof location === 'string' && location ? location : undefined;
}

/** 303, and 301/302 after a POST, continue as a GET without a body (as HTTP clients do). */
function becomesGet(statusCode: number, method: HttpCall['method']): boolean {
	return statusCode === 303 || ((statusCode === 301 || statusCode === 302) && method === 'POST');
}

async function sendOnce(
	this: ModelsLabRequestContext,
	call: HttpCall,
	hop: { method: HttpCall['method']; url: string; body?: IDataObject; query?: IDataObject },
): Promise<IN8nHttpFullResponse> {
	const options: IHttpRequestOptions = {
		method: hop.method,
		url: hop.url,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// n8n's helpers follow redirects to any origin and keep custom headers (the key) and, on
		// 307/308, the body: redirects are followed here, within the Base URL's origin only.
		disableFollowRedirect: true,
		timeout: call.timeoutMs,
		...(hop.query ? { qs: hop.query } : {}),
		...(hop.method === 'POST' ? { body: { ...(hop.body ?? {}) } } : {}),
	};
	if (call.explicitKey) {
		options.headers = { key: call.credentials.apiKey };
		if (hop.method === 'POST')
			options.body = { ...(options.body as IDataObject), key: call.credentials.apiKey };
	}
	if (call.cancelSignal) options.abortSignal = call.cancelSignal;
	const helpers = this.helpers as RequestHelperFunctions;
	return (
		call.explicitKey
			? await helpers.httpRequest(options)
			: await helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options)
	) as IN8nHttpFullResponse;
}

/**
 * Sends one request and follows redirects within the origin of its URL (the Base URL's), at most
 * MAX_SAME_ORIGIN_REDIRECTS. Never throws for what happened on the wire: the caller's policy
 * decides what each outcome means.
 */
export async function exchange(this: ModelsLabRequestContext, call: HttpCall): Promise<Exchange> {
	let origin: string;
	try {
		origin = new URL(call.url).origin;
	} catch {
		return { outcome: 'notSent', reason: `the URL ${withoutUrlSecrets(call.url)} is not valid` };
	}
	let hop: { method: HttpCall['method']; url: string; body?: IDataObject; query?: IDataObject } = {
		method: call.method,
		url: call.url,
		body: call.body,
		query: call.query,
	};
	for (let redirects = 0; ; redirects++) {
		let response: IN8nHttpFullResponse;
		try {
			response = await sendOnce.call(this, call, hop);
		} catch (error) {
			return failedExchange(error, call.cancelSignal, call.credentials.apiKey);
		}
		const location = redirectTarget(response);
		if (!location)
			return {
				outcome: 'answered',
				statusCode: response.statusCode,
				headers: (response.headers ?? {}) as ResponseHeaders,
				body: parseBody(response.body),
			};
		let next: URL;
		try {
			next = new URL(location, hop.url);
		} catch {
			return { outcome: 'redirectRefused', statusCode: response.statusCode, location };
		}
		if (next.origin !== origin || redirects >= MAX_SAME_ORIGIN_REDIRECTS)
			return {
				outcome: 'redirectRefused',
				statusCode: response.statusCode,
				location: withoutUrlSecrets(next.href),
			};
		const get = becomesGet(response.statusCode, hop.method);
		hop = {
			method: get ? 'GET' : hop.method,
			url: next.href,
			body: get ? undefined : hop.body,
		};
	}
}
