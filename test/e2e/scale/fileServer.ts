// Output files for the hardening runs, on 127.0.0.1: files far over a download cap (streamed
// without a length, or with an honest one), and an "internal" URL that must never be fetched.
// Every request is recorded with the bytes the server got to write before the client hung up.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FileKind = 'endless' | 'declared' | 'internal';

export interface ServedRequest {
	kind: FileKind;
	path: string;
	/** Bytes handed to the socket before the response ended or the client closed it. */
	bytesWritten: number;
	/** Whether the client closed the connection before the whole file was sent. */
	abortedByClient: boolean;
}

export interface FileServer {
	/** `http://127.0.0.1:<port>/<kind>/<name>`. */
	url(kind: FileKind, name: string): string;
	/** What was served so far. */
	requests(): ServedRequest[];
	/** Connections still open (a client that stopped reading but kept its socket holds one). */
	openConnections(): Promise<number>;
	/** Size of the endless and declared files, bytes. */
	readonly fileBytes: number;
	close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, 0x5a);
/** The smallest valid PNG (1×1), for `internal`: what a naive download would happily store. */
const TINY_PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
	'base64',
);

/**
 * `endless`: `fileBytes` in chunks, no content-length (the cap must hold while streaming);
 * `declared`: the same bytes with an honest content-length (refused from the header);
 * `internal`: a tiny PNG, counted, standing in for a service inside the network.
 */
export async function startFileServer(fileBytes = 64 * 1024 * 1024): Promise<FileServer> {
	const served: ServedRequest[] = [];
	const server = createServer((req, res) => {
		const path = req.url ?? '/';
		const kind = path.split('/')[1] as FileKind;
		const record: ServedRequest = { kind, path, bytesWritten: 0, abortedByClient: false };
		served.push(record);
		res.on('close', () => {
			record.abortedByClient = !res.writableFinished;
		});
		if (kind === 'internal') {
			res.writeHead(200, { 'content-type': 'image/png', 'content-length': TINY_PNG.length });
			record.bytesWritten = TINY_PNG.length;
			res.end(TINY_PNG);
			return;
		}
		if (kind !== 'endless' && kind !== 'declared') {
			res.writeHead(404).end();
			return;
		}
		res.writeHead(200, {
			'content-type': 'image/png',
			...(kind === 'declared' ? { 'content-length': fileBytes } : {}),
		});
		void stream(res, fileBytes, record);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		url: (kind, name) => `http://127.0.0.1:${port}/${kind}/${name}`,
		requests: () => served.map((entry) => ({ ...entry })),
		openConnections: () =>
			new Promise<number>((resolve, reject) =>
				server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
			),
		fileBytes,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** Writes `total` bytes, honouring backpressure, and stops when the client goes away. */
async function stream(res: ServerResponse, total: number, record: ServedRequest): Promise<void> {
	while (record.bytesWritten < total && !res.destroyed) {
		const chunk = CHUNK.subarray(0, Math.min(CHUNK.length, total - record.bytesWritten));
		record.bytesWritten += chunk.length;
		if (!res.write(chunk))
			await new Promise<void>((resolve) => {
				const done = () => {
					res.off('drain', done);
					res.off('close', done);
					resolve();
				};
				res.on('drain', done);
				res.on('close', done);
			});
	}
	if (!res.destroyed) res.end();
}
