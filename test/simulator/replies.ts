/**
 * What a route handler answers. The server turns a Reply into an HTTP response and records its status.
 */
import type { JsonValue } from './types';

/** How a reply reaches the client besides its body (quirks.ts: faults of the wire). */
export interface ReplyDelivery {
	/** Extra response headers (`Retry-After`, `X-RateLimit-Reset`). */
	headers?: Record<string, string>;
	/** Hold the answer this long (a submit that hangs past the client's timeout). */
	holdMs?: number;
	/** Destroy the connection instead of answering (recorded with status 0). */
	resetConnection?: boolean;
}

export interface JsonReply extends ReplyDelivery {
	status: number;
	json: JsonValue;
}

export interface FileReply extends ReplyDelivery {
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

/** A gateway's error page (nginx, Cloudflare): HTML, not ModelsLab's JSON. */
export function gatewayPage(status: number): FileReply {
	const title = status === 504 ? '504 Gateway Time-out' : `${status} Bad Gateway`;
	const html = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
	return { status, file: Buffer.from(html, 'utf8'), contentType: 'text/html' };
}
