// Load generator on undici: keep-alive sockets (closed before n8n's 5 s keep-alive does), a
// bounded worker pool, latency statistics, and the client's own overhead against a no-op server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { assertLoopback } from '../../../scripts/n8n/http';

export interface PostResult {
	status: number;
	/** Response body text (first 2,000 characters). */
	body: string;
	/** Send to end of response body, ms. */
	ms: number;
	/** Wall clock when the request was started (epoch ms). */
	sentAt: number;
	error?: string;
}

export interface LoadClient {
	post(
		url: string,
		body: string | Buffer | object,
		o?: { contentType?: string; headers?: Record<string, string>; timeoutMs?: number },
	): Promise<PostResult>;
	close(): Promise<void>;
}

/**
 * `connections` sockets per origin. keepAliveTimeout 4 s < n8n's 5 s, so a socket n8n is about
 * to close is never reused (docs/n8n-internals.md §5.2).
 */
export function loadClient(connections = 20): LoadClient {
	const agent = new Agent({
		connections,
		pipelining: 1,
		keepAliveTimeout: 4000,
		keepAliveMaxTimeout: 4000,
		headersTimeout: 60_000,
		bodyTimeout: 60_000,
	});
	return {
		async post(url, body, o = {}) {
			assertLoopback(url);
			const payload =
				typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
			const contentType = o.contentType ?? 'application/json';
			const sentAt = Date.now();
			const t0 = performance.now();
			try {
				const res = await request(url, {
					method: 'POST',
					body: payload,
					headers: { 'content-type': contentType, ...o.headers },
					dispatcher: agent,
					signal: AbortSignal.timeout(o.timeoutMs ?? 60_000),
				});
				const text = await res.body.text();
				return {
					status: res.statusCode,
					body: text.slice(0, 2000),
					ms: performance.now() - t0,
					sentAt,
				};
			} catch (e) {
				return {
					status: 0,
					body: '',
					ms: performance.now() - t0,
					sentAt,
					error: (e as Error).message,
				};
			}
		},
		close: () => agent.close(),
	};
}

/** Runs `fn` over `items` with at most `concurrency` in flight; results in input order. */
export async function runPool<T, R>(
	items: readonly T[],
	concurrency: number,
	fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
	const out = new Array<R>(items.length);
	let next = 0;
	const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
		for (;;) {
			const i = next++;
			if (i >= items.length) return;
			out[i] = await fn(items[i], i);
		}
	});
	await Promise.all(lanes);
	return out;
}

export interface Summary {
	n: number;
	min: number;
	median: number;
	p95: number;
	max: number;
	mean: number;
}

function quantile(sorted: number[], q: number): number {
	if (!sorted.length) return NaN;
	const pos = (sorted.length - 1) * q;
	const lo = Math.floor(pos);
	const hi = Math.ceil(pos);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function summarize(values: number[]): Summary {
	const s = [...values].sort((a, b) => a - b);
	return {
		n: s.length,
		min: s[0] ?? NaN,
		median: quantile(s, 0.5),
		p95: quantile(s, 0.95),
		max: s[s.length - 1] ?? NaN,
		mean: s.reduce((a, b) => a + b, 0) / (s.length || 1),
	};
}

export function fmt(n: number, digits = 1): string {
	return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}

/** Count of each HTTP status (0 = network error). */
export function statusHistogram(results: PostResult[]): Record<string, number> {
	const h: Record<string, number> = {};
	for (const r of results) h[String(r.status)] = (h[String(r.status)] ?? 0) + 1;
	return h;
}

/** Deterministic PRNG (mulberry32) so a run's duplicate and order choices can be repeated. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export function shuffle<T>(items: readonly T[], random: () => number): T[] {
	const a = [...items];
	for (let i = a.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[a[i], a[j]] = [a[j], a[i]];
	}
	return a;
}

export interface ClientOverhead {
	requests: number;
	concurrency: number;
	perSecond: number;
	latency: Summary;
}

/**
 * The generator's own floor: the same client and pool against a node:http server (in this
 * process) that answers 200 `{}` at once. Whatever n8n adds comes on top of this.
 */
export async function measureClientOverhead(
	requests = 2000,
	concurrency = 20,
): Promise<ClientOverhead> {
	const server: Server = createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{}');
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
	const client = loadClient(concurrency);
	const body = {
		status: 'success',
		id: 1,
		output: ['http://127.0.0.1/x.png'],
		track_id: 't',
		meta: {},
	};
	try {
		await runPool(Array.from({ length: 200 }), concurrency, () => client.post(url, body)); // warm-up
		const t0 = performance.now();
		const results = await runPool(Array.from({ length: requests }), concurrency, () =>
			client.post(url, body),
		);
		const secs = (performance.now() - t0) / 1000;
		return {
			requests,
			concurrency,
			perSecond: requests / secs,
			latency: summarize(results.map((r) => r.ms)),
		};
	} finally {
		await client.close();
		await new Promise<void>((r) => server.close(() => r()));
	}
}
