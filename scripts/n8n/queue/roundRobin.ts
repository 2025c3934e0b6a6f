// A small HTTP proxy in front of several n8n webhook processors, as a load balancer would be:
// `round-robin` sends each request to the next processor; `path` sends every request with the
// same path to the same processor (a consistent hash on the path, as nginx's `hash $uri`), the
// routing the README recommends for waiting executions and the ModelsLab Trigger.
import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Routing = 'round-robin' | 'path';

export interface RoundRobinProxy {
	/** Origin clients and ModelsLab's callbacks use (no trailing slash). */
	readonly url: string;
	/** Requests sent to each processor, in the order the targets were given. */
	readonly counts: number[];
	stop(): Promise<void>;
}

export async function startProxy(
	targets: string[],
	routing: Routing,
	port = 0,
): Promise<RoundRobinProxy> {
	const counts = targets.map(() => 0);
	let next = 0;
	const pick = (path: string): number => {
		if (routing === 'path') {
			const digest = createHash('sha256').update(path.split('?')[0]).digest();
			return digest.readUInt32BE(0) % targets.length;
		}
		const index = next;
		next = (next + 1) % targets.length;
		return index;
	};
	const server: Server = createServer((incoming, outgoing) => {
		const index = pick(incoming.url ?? '/');
		counts[index]++;
		const target = new URL(targets[index]);
		const forward = httpRequest(
			{
				host: target.hostname,
				port: target.port,
				method: incoming.method,
				path: incoming.url,
				headers: { ...incoming.headers, host: target.host, connection: 'close' },
				agent: false,
			},
			(answer) => {
				outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(outgoing);
			},
		);
		forward.on('error', (error) => {
			if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
			outgoing.end(`proxy: ${error.message}`);
		});
		incoming.pipe(forward);
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	const { port: bound } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${bound}`,
		counts,
		stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
