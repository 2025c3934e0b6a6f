import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request a stub received, as it arrived (nothing redacted: tests look for the key in it). */
export interface StubRequest {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: string;
}

export interface StubServer {
	origin: string;
	requests: StubRequest[];
	stop(): Promise<void>;
}

/**
 * A loopback HTTP server for what the simulator does not play: another origin a redirect points
 * to, answers no ModelsLab source shows. `handle` answers each request; every request is recorded.
 * `address` may be another loopback address (127.0.0.2 is another host to n8n, still this machine).
 */
export async function startStubServer(
	handle: (request: StubRequest, response: ServerResponse, origin: string) => void,
	address = '127.0.0.1',
): Promise<StubServer> {
	const requests: StubRequest[] = [];
	let origin = '';
	const server: Server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const recorded: StubRequest = {
				method: request.method ?? 'GET',
				url: request.url ?? '/',
				headers: request.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			};
			requests.push(recorded);
			handle(recorded, response, origin);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, address, resolve));
	origin = `http://${address}:${(server.address() as AddressInfo).port}`;
	return {
		origin,
		requests,
		stop: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	response.writeHead(status, {
		'content-type': 'application/json',
		'content-length': String(Buffer.byteLength(text)),
	});
	response.end(text);
}
