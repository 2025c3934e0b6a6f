// A loopback sink the workflows' last node POSTs to: how often each job id reached the end of a
// workflow, and when. An execution resumed twice shows up here as a count of 2.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Counter {
	url: string;
	/** id -> arrivals (epoch ms). */
	readonly hits: Map<string, number[]>;
	/** POSTs received in all. */
	total(): number;
	unique(): number;
	/** Ids that arrived more than once. */
	doubled(): string[];
	/** Resolves once `n` distinct ids arrived; rejects after `timeoutMs`. */
	waitForUnique(n: number, timeoutMs: number): Promise<void>;
	reset(): void;
	close(): Promise<void>;
}

export async function startCounter(): Promise<Counter> {
	const hits = new Map<string, number[]>();
	let total = 0;
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const at = Date.now();
			let id = 'unparsed';
			try {
				id = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: unknown }).id);
			} catch {
				// counted under "unparsed"
			}
			total++;
			const list = hits.get(id) ?? [];
			list.push(at);
			hits.set(id, list);
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	server.keepAliveTimeout = 4000;
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/count`,
		hits,
		total: () => total,
		unique: () => hits.size,
		doubled: () => [...hits].filter(([, at]) => at.length > 1).map(([id]) => id),
		async waitForUnique(n, timeoutMs) {
			const until = Date.now() + timeoutMs;
			while (hits.size < n) {
				if (Date.now() > until)
					throw new Error(`counter: ${hits.size} of ${n} ids arrived within ${timeoutMs} ms`);
				await new Promise((r) => setTimeout(r, 200));
			}
		},
		reset() {
			hits.clear();
			total = 0;
		},
		close: () =>
			new Promise<void>((r) => {
				server.close(() => r());
				server.closeAllConnections();
			}),
	};
}
