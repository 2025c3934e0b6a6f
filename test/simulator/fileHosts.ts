/**
 * Not ModelsLab's: file hosts for download tests, each a node:http server on a loopback address of
 * its choice (127.0.0.2 is another host than 127.0.0.1 to an allowlist, and still this machine).
 * - `GET /redirect?to=<url>[&status=302]`: an open redirect, as any public CDN or bucket may have;
 * - `GET /file/<name>`: a small PNG; every request is recorded, so a test can count what reached
 *   a host that should never be reached;
 * - `GET /flaky/<key>?fail=<n>&with=<503|429|reset|truncate>[&retryAfter=<s>]`: the first `n`
 *   requests for `key` fail that way (`reset` closes the socket, `truncate` sends half the declared
 *   bytes), the next ones serve the PNG;
 * - `GET /status/<code>`: answers that status.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { sampleFile } from './samples';

export interface FileHostRequest {
	path: string;
	headers: IncomingHttpHeaders;
	at: number;
}

export interface FileHost {
	/** `http://<address>:<port>`. */
	readonly origin: string;
	/** Every request so far, in order. */
	readonly requests: readonly FileHostRequest[];
	url(path: string): string;
	/** `<origin>/redirect?to=<target>`. */
	redirectTo(target: string, status?: number): string;
	close(): Promise<void>;
}

const PNG = (sampleFile('image.png') as { bytes: Buffer }).bytes;

export async function startFileHost(address = '127.0.0.1'): Promise<FileHost> {
	const requests: FileHostRequest[] = [];
	const failures = new Map<string, number>();
	const server = createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://file-host.invalid');
		requests.push({
			path: `${url.pathname}${url.search}`,
			headers: request.headers,
			at: Date.now(),
		});
		const [, route, name = ''] = url.pathname.split('/');
		if (route === 'redirect') {
			const status = Number(url.searchParams.get('status') ?? 302);
			response.writeHead(status, { location: url.searchParams.get('to') ?? '/' }).end();
		} else if (route === 'file') {
			sendPng(response);
		} else if (route === 'flaky') {
			const failed = failures.get(name) ?? 0;
			if (failed >= Number(url.searchParams.get('fail') ?? 0)) return sendPng(response);
			failures.set(name, failed + 1);
			fail(response, url.searchParams);
		} else if (route === 'status') {
			response.writeHead(Number(name)).end();
		} else {
			response.writeHead(404).end();
		}
	});
	await new Promise<void>((resolve) => server.listen(0, address, resolve));
	const origin = `http://${address}:${(server.address() as AddressInfo).port}`;
	return {
		origin,
		requests,
		url: (path) => `${origin}${path}`,
		redirectTo: (target, status = 302) =>
			`${origin}/redirect?to=${encodeURIComponent(target)}&status=${status}`,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

function sendPng(response: ServerResponse): void {
	response.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
	response.end(PNG);
}

function fail(response: ServerResponse, query: URLSearchParams): void {
	const how = query.get('with') ?? '503';
	if (how === 'reset') {
		response.socket?.destroy();
		return;
	}
	if (how === 'truncate') {
		response.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
		response.write(PNG.subarray(0, PNG.length >> 1), () => response.socket?.destroy());
		return;
	}
	const retryAfter = query.get('retryAfter');
	response.writeHead(Number(how), retryAfter ? { 'retry-after': retryAfter } : {}).end();
}
