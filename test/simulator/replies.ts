/**
 * What a route handler answers. The server turns a Reply into an HTTP response and records its status.
 */
import type { JsonValue } from './types';

export interface JsonReply {
	status: number;
	json: JsonValue;
}

export interface FileReply {
	status: number;
	file: Buffer;
	contentType: string;
}

export type Reply = JsonReply | FileReply;

/** Which spelling an endpoint uses for its error text (§4: training and utility endpoints say `messege`). */
export type ErrorField = 'message' | 'messege';

export function json(status: number, body: JsonValue): JsonReply {
	return { status, json: body };
}

/** `{status:'error', <message|messege>: text}`; the API puts most errors inside HTTP 200 (§4). */
export function apiError(
	text: string,
	options: { httpStatus?: number; field?: ErrorField; extra?: Record<string, JsonValue> } = {},
): JsonReply {
	const field = options.field ?? 'message';
	return json(options.httpStatus ?? 200, { status: 'error', [field]: text, ...options.extra });
}

export function notFound(method: string, path: string): JsonReply {
	return apiError(`Not found: ${method} ${path}`, { httpStatus: 404 });
}
