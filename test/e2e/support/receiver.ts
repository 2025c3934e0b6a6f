// A tiny loopback HTTP server that records POSTed JSON (stands in for an external API).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
	path: string;
	body: Record<string, unknown>;
}

export interface Receiver {
	url: string;
	next(timeoutMs?: number): Promise<Received>;
	close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
	const queue: Received[] = [];
	const waiters: Array<(r: Received) => void> = [];
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			let body: Record<string, unknown> = {};
			try {
				body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
			} catch {
				body = { raw: text };
			}
			res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
			res.end('{"ok":true}');
			const got = { path: req.url ?? '', body };
			const w = waiters.shift();
			if (w) w(got);
			else queue.push(got);
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		next(timeoutMs = 30_000) {
			const ready = queue.shift();
			if (ready) return Promise.resolve(ready);
			return new Promise((resolve, reject) => {
				const t = setTimeout(
					() => reject(new Error(`receiver got nothing within ${timeoutMs} ms`)),
					timeoutMs,
				);
				waiters.push((r) => {
					clearTimeout(t);
					resolve(r);
				});
			});
		},
		close: () => new Promise((r) => server.close(() => r())),
	};
}
