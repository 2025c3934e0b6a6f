import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { quote, type Refusal } from './responses';
import { SECRET_QUERY_PARAM, secretMatches } from './sharedSecret';
import type { TriggerSettings } from './triggerSettings';

export type CallbackRequest = { body: IDataObject } | { refusal: Refusal };

/**
 * Checks what arrived before its content is looked at, and turns the body into a JSON object.
 * Every refusal here is a 4xx: these requests are not ModelsLab callbacks as documented (JSON
 * objects, POSTed), so sending the same bytes again cannot succeed, and a 4xx tells whoever
 * configured the sender what is wrong.
 */
export async function readCallbackRequest(
	context: IWebhookFunctions,
	settings: TriggerSettings,
): Promise<CallbackRequest> {
	const request = context.getRequestObject() as RequestWithBody;
	// n8n routes only POST here; kept in case a proxy or a future n8n passes others through.
	if (request.method !== undefined && request.method.toUpperCase() !== 'POST') {
		return {
			refusal: {
				statusCode: 405,
				reason: 'method_not_allowed',
				detail: `method ${quote(request.method)} is not allowed; ModelsLab callbacks are POST requests`,
			},
		};
	}

	const tooLarge: CallbackRequest = {
		refusal: {
			statusCode: 413,
			reason: 'too_large',
			detail: `the body is larger than ${settings.maxBodyBytes} bytes (option Max Callback Size)`,
		},
	};
	const declaredBytes = Number(context.getHeaderData()['content-length'] ?? 0);
	if (
		declaredBytes > settings.maxBodyBytes ||
		(rawBodyOf(request)?.length ?? 0) > settings.maxBodyBytes
	)
		return tooLarge;

	if (settings.secret) {
		const token = (context.getQueryData() as IDataObject)[SECRET_QUERY_PARAM];
		if (token === undefined)
			return {
				refusal: {
					statusCode: 401,
					reason: 'token_missing',
					detail: `the ${SECRET_QUERY_PARAM} query parameter is missing`,
				},
			};
		if (!secretMatches(token, settings.secret))
			return {
				refusal: {
					statusCode: 401,
					reason: 'token_wrong',
					detail: `the ${SECRET_QUERY_PARAM} query parameter is wrong`,
				},
			};
	}

	const parsed = context.getBodyData() as unknown;
	if (isEmpty(parsed) && !rawBodyOf(request) && typeof request.readRawBody === 'function') {
		// From node version 1.1 n8n leaves a body of another content type unread: read it with n8n's own reader.
		try {
			await request.readRawBody();
		} catch (error) {
			return {
				refusal: {
					statusCode: 400,
					reason: 'unreadable_body',
					detail: `the body could not be read: ${error instanceof Error ? error.message : String(error)}`,
				},
			};
		}
		if ((rawBodyOf(request)?.length ?? 0) > settings.maxBodyBytes) return tooLarge;
	}
	return bodyOf(parsed, rawBodyOf(request));
}

/** The parts of n8n's request object the trigger reads. */
interface RequestWithBody {
	method?: string;
	rawBody?: unknown;
	readRawBody?: () => Promise<void>;
}

function rawBodyOf(request: RequestWithBody): Buffer | undefined {
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
}

/**
 * n8n parses `application/json` itself (and answers 422 for invalid JSON before the node runs),
 * gives `text/plain` as a string, and leaves other or missing content types unparsed (for node
 * version 1 with the raw bytes read, from 1.1 unread until readCallbackRequest reads them).
 * ModelsLab does not document its Content-Type, so all three are read as JSON.
 */
function bodyOf(parsed: unknown, rawBody: Buffer | undefined): CallbackRequest {
	let body = parsed;
	if (typeof body !== 'string' && isEmpty(body) && rawBody?.length) body = rawBody.toString('utf8');
	if (typeof body === 'string') {
		if (!body.trim()) return { refusal: EMPTY_BODY };
		try {
			body = JSON.parse(body) as unknown;
		} catch {
			return {
				refusal: { statusCode: 400, reason: 'invalid_json', detail: 'the body is not valid JSON' },
			};
		}
	}
	if (body === undefined || body === null || isEmpty(body)) return { refusal: EMPTY_BODY };
	if (typeof body !== 'object' || Array.isArray(body)) {
		return {
			refusal: {
				statusCode: 400,
				reason: 'not_an_object',
				detail: 'the body must be a JSON object',
			},
		};
	}
	return { body: body as IDataObject };
}

const EMPTY_BODY: Refusal = {
	statusCode: 400,
	reason: 'empty_body',
	detail: 'the body is empty; expected a ModelsLab callback (JSON object)',
};

function isEmpty(value: unknown): boolean {
	return (
		value === undefined ||
		value === null ||
		(typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0)
	);
}
