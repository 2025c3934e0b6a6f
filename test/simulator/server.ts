/**
 * The node:http side: reads and parses the request, dispatches it through the route table,
 * writes the reply, and records the request (key redacted) with the status it got.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import type { SimContext } from './context';
import type { IncomingCall } from './gate';
import { redactBody, redactHeaders, redactQuery, redactText } from './redact';
import { apiError, json, notFound, type Reply } from './replies';
import { fetchFaultReply } from './quirks';
import { matchRoute } from './routes';
import type { JsonObject, JsonValue, RecordedRequest } from './types';

/** base64 uploads may be 5 MB (§2); leave room for JSON overhead. */
const MAX_BODY_BYTES = 20 * 1024 * 1024;

class BodyTooLargeError extends Error {}

function readBody(request: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(new BodyTooLargeError());
				request.resume();
				return;
			}
			chunks.push(chunk);
		});
		request.on('end', () => resolve(Buffer.concat(chunks)));
		request.on('error', reject);
	});
}

function isJsonObject(value: JsonValue): value is JsonObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

type ParsedBody =
	| { body: JsonObject | undefined; recorded: JsonValue | string | undefined }
	| { problem: Reply; recorded: JsonValue | string };

/** Only JSON objects are accepted as bodies; the API is JSON-only (§1). */
function parseBody(raw: string, contentType: string | undefined): ParsedBody {
	if (raw.trim() === '') return { body: undefined, recorded: undefined };
	if (!contentType?.toLowerCase().includes('json')) {
		return {
			problem: apiError('Content-Type must be application/json', { httpStatus: 415 }),
			recorded: raw,
		};
	}
	let parsed: JsonValue;
	try {
		parsed = JSON.parse(raw) as JsonValue;
	} catch {
		return {
			problem: apiError('Request body is not valid JSON', { httpStatus: 400 }),
			recorded: raw,
		};
	}
	if (!isJsonObject(parsed))
		return {
			problem: apiError('Request body must be a JSON object', { httpStatus: 400 }),
			recorded: parsed,
		};
	return { body: parsed, recorded: parsed };
}

async function writeReply(
	ctx: SimContext,
	response: ServerResponse,
	reply: Reply,
	headOnly: boolean,
): Promise<void> {
	if (reply.resetConnection) {
		response.socket?.destroy();
		return;
	}
	// A held answer is written only if the client is still there (it may have timed out).
	if (reply.holdMs !== undefined) {
		try {
			await ctx.timers.sleep(reply.holdMs);
		} catch {
			// stop() or reset(): the answer is never written.
			response.socket?.destroy();
			return;
		}
	}
	if (response.destroyed || response.writableEnded) return;
	const payload = 'file' in reply ? reply.file : Buffer.from(JSON.stringify(reply.json), 'utf8');
	response.writeHead(reply.status, {
		...reply.headers,
		'content-type': 'file' in reply ? reply.contentType : 'application/json; charset=utf-8',
		'content-length': String(payload.length),
	});
	response.end(headOnly ? undefined : payload);
}

function describe(reply: Reply): string {
	if ('file' in reply) return reply.contentType;
	const body = reply.json;
	if (!isJsonObject(body)) return '';
	const parts = [body.status, body.id ?? body.execution_id ?? body.training_id].filter(
		(part) => part !== undefined && part !== null,
	);
	return parts.map(String).join(' ');
}

async function handle(
	ctx: SimContext,
	records: RecordedRequest[],
	request: IncomingMessage,
	response: ServerResponse,
): Promise<void> {
	const receivedAt = Date.now();
	const method = (request.method ?? 'GET').toUpperCase();
	const url = new URL(request.url ?? '/', 'http://simulator.invalid');
	const path = url.pathname;

	let reply: Reply;
	let recordedBody: JsonValue | string | undefined;
	try {
		const raw = (await readBody(request)).toString('utf8');
		const parsed: ParsedBody =
			method === 'GET' || method === 'HEAD'
				? { body: undefined, recorded: raw || undefined }
				: parseBody(raw, request.headers['content-type']);
		recordedBody = parsed.recorded;
		if ('problem' in parsed) {
			reply = parsed.problem;
		} else {
			const call: IncomingCall = {
				method,
				path,
				headers: request.headers,
				query: url.searchParams,
				body: parsed.body,
			};
			const match = matchRoute(method, path);
			if (!match) reply = notFound(method, path);
			else if ('methodNotAllowed' in match)
				reply = apiError(`Method ${method} not allowed; use ${match.methodNotAllowed.join(', ')}`, {
					httpStatus: 405,
				});
			else {
				if (match.route.counts) ctx.counters[match.route.counts]++;
				const fault = match.route.counts === 'fetches' ? ctx.quirks.takeFetchFault() : undefined;
				reply = fault ? fetchFaultReply(fault) : match.route.handle(ctx, call, match.params);
			}
		}
	} catch (error) {
		reply =
			error instanceof BodyTooLargeError
				? apiError('Request body too large', { httpStatus: 413 })
				: json(500, {
						status: 'error',
						message: `Simulator error: ${error instanceof Error ? error.message : String(error)}`,
					});
	}

	const query = redactQuery(url.searchParams, ctx.apiKey);
	records.push({
		method,
		path,
		query,
		headers: redactHeaders(request.headers, ctx.apiKey),
		body:
			recordedBody === undefined
				? undefined
				: typeof recordedBody === 'string'
					? redactText(recordedBody, ctx.apiKey)
					: redactBody(recordedBody, ctx.apiKey),
		receivedAt,
		status: reply.resetConnection ? 0 : reply.status,
	});
	const queryPairs = Object.entries(query).flatMap(([name, values]) =>
		(Array.isArray(values) ? values : [values]).map((value): [string, string] => [name, value]),
	);
	const queryText = queryPairs.length === 0 ? '' : `?${new URLSearchParams(queryPairs).toString()}`;
	ctx.log(`${method} ${path}${queryText} -> ${reply.status} ${describe(reply)}`.trimEnd());
	await writeReply(ctx, response, reply, method === 'HEAD');
}

export function createSimulatorServer(ctx: SimContext, records: RecordedRequest[]): Server {
	return createServer((request, response) => {
		handle(ctx, records, request, response).catch((error: unknown) => {
			ctx.log(`could not answer ${request.method ?? ''} ${request.url ?? ''}: ${String(error)}`);
			if (!response.headersSent) response.writeHead(500);
			response.end();
		});
	});
}
