// One-shot HTTP to a loopback n8n: `agent: false` = a fresh socket per call, so n8n's 5 s
// keep-alive can never close a reused socket under us (global fetch does race it).
import { request as httpRequest } from 'node:http';

export interface HttpResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	json<T = unknown>(): T;
}

export interface HttpRequest {
	method?: string;
	url: string;
	headers?: Record<string, string>;
	/** Objects are sent as JSON. */
	body?: unknown;
	timeoutMs?: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function assertLoopback(url: string): URL {
	const u = new URL(url);
	if (u.protocol !== 'http:' || !LOOPBACK.has(u.hostname))
		throw new Error(`refusing non-loopback URL ${url}`);
	return u;
}

export class N8nHttpError extends Error {
	constructor(
		readonly method: string,
		readonly url: string,
		readonly status: number,
		readonly body: string,
	) {
		super(`${method} ${url} -> ${status}: ${body.slice(0, 500)}`);
		this.name = 'N8nHttpError';
	}
}

export function http(req: HttpRequest): Promise<HttpResponse> {
	const u = assertLoopback(req.url);
	const method = req.method ?? 'GET';
	const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
	let payload: Buffer | undefined;
	if (req.body !== undefined) {
		const isRaw = typeof req.body === 'string' || Buffer.isBuffer(req.body);
		payload = Buffer.from(isRaw ? (req.body as string | Buffer) : JSON.stringify(req.body));
		if (!isRaw) headers['content-type'] ??= 'application/json';
		headers['content-length'] = String(payload.length);
	}
	return new Promise((resolve, reject) => {
		const r = httpRequest(
			{
				method,
				hostname: u.hostname.replace(/^\[|\]$/g, ''),
				port: u.port,
				path: `${u.pathname}${u.search}`,
				headers,
				agent: false,
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('error', reject);
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						text,
						json: <T>() => JSON.parse(text) as T,
					});
				});
			},
		);
		r.setTimeout(req.timeoutMs ?? 30_000, () =>
			r.destroy(new Error(`${method} ${req.url} timed out`)),
		);
		r.on('error', reject);
		r.end(payload);
	});
}

/** Like http() but throws N8nHttpError unless 2xx, and parses JSON. */
export async function httpJson<T>(req: HttpRequest): Promise<{ body: T; res: HttpResponse }> {
	const res = await http(req);
	if (res.status < 200 || res.status >= 300)
		throw new N8nHttpError(req.method ?? 'GET', req.url, res.status, res.text);
	return { body: (res.text ? res.json<T>() : undefined) as T, res };
}
