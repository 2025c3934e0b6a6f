import type { IBinaryData, IN8nHttpFullResponse } from 'n8n-workflow';

import type { ModelsLabContext } from './context';
import { withoutUrlSecrets } from './redact';

/** Whether and how a node run stores output files as binary data (Options → Download Outputs). */
export interface DownloadSettings {
	enabled: boolean;
	binaryPropertyName: string;
	maxBytes: number;
	/**
	 * Hosts output files may come from (`*.example.com` for subdomains); unset: any. Set where the
	 * URLs come from an unauthenticated callback, so nobody can make n8n fetch a URL of their own.
	 */
	allowedHosts?: readonly string[];
}

export interface DownloadLimits {
	maxBytes: number;
	timeoutMs: number;
	allowedHosts?: readonly string[];
}

/** Where ModelsLab serves output files (docs/modelslab-api.md §6). */
export const MODELSLAB_OUTPUT_HOSTS: readonly string[] = [
	'*.r2.dev',
	'*.modelslab.ai',
	'*.modelslab.com',
	'modelslab-bom.s3.amazonaws.com',
	'*.stablediffusionapi.com',
	'd1okzptojspljx.cloudfront.net',
];

/** The allowed hosts: the list given (comma-separated), else ModelsLab's plus the API's own host. */
export function outputHostsOf(
	configured: string | undefined,
	baseUrl: string | undefined,
): string[] {
	const listed = String(configured ?? '')
		.split(',')
		.map((host) => host.trim().toLowerCase())
		.filter(Boolean);
	if (listed.length) return listed;
	let apiHost: string | undefined;
	try {
		apiHost = baseUrl ? new URL(baseUrl).hostname.toLowerCase() : undefined;
	} catch {
		apiHost = undefined;
	}
	return [...MODELSLAB_OUTPUT_HOSTS, ...(apiHost ? [apiHost] : [])];
}

export function hostAllowed(url: string, allowedHosts: readonly string[]): boolean {
	let host: string;
	try {
		host = new URL(url).hostname.toLowerCase();
	} catch {
		return false;
	}
	return allowedHosts.some((pattern) =>
		pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern,
	);
}

/** File name for an output URL: its last path segment, or a numbered fallback. */
export function fileNameOf(url: string, fallback: string): string {
	try {
		const last = new URL(url).pathname.split('/').filter(Boolean).pop();
		return last ? decodeURIComponent(last) : fallback;
	} catch {
		return fallback;
	}
}

interface ByteStream {
	on(event: 'data', listener: (chunk: Buffer) => void): unknown;
	on(event: 'end' | 'close', listener: () => void): unknown;
	on(event: 'error', listener: (error: Error) => void): unknown;
	destroy(error?: Error): unknown;
}

function isStream(value: unknown): value is ByteStream {
	return (
		value !== null && typeof value === 'object' && typeof (value as ByteStream).on === 'function'
	);
}

/**
 * Downloads one output into n8n's binary store. Output URLs are public CDN links, so this uses the
 * unauthenticated helper: the API key must never travel to a file host. The size cap holds while
 * the bytes arrive, whatever `content-length` claims: the download stops at the cap.
 */
export async function downloadOutput(
	this: ModelsLabContext,
	output: string,
	fallbackName: string,
	limits: DownloadLimits,
): Promise<IBinaryData> {
	const inline = /^data:([^;,]+)?(;base64)?,(.*)$/s.exec(output);
	if (inline) {
		const data = inline[2]
			? Buffer.from(inline[3], 'base64')
			: Buffer.from(decodeURIComponent(inline[3]));
		assertWithinLimit(data.length, limits.maxBytes, fallbackName);
		return await this.helpers.prepareBinaryData(data, fallbackName, inline[1] || undefined);
	}
	if (limits.allowedHosts && !hostAllowed(output, limits.allowedHosts)) {
		throw new Error(
			`${withoutUrlSecrets(output)} is not on one of ModelsLab's output hosts, so it was not downloaded: add its host to "Output Hosts" of the ModelsLab credential, or turn on "Verify With ModelsLab"`,
		);
	}
	// Aborting the request is what closes the connection: n8n 2.x's axios hands over a stream that
	// wraps the socket's, and destroying that one before it was read leaves the socket open.
	const connection = new AbortController();
	const response = (await this.helpers.httpRequest({
		method: 'GET',
		url: output,
		encoding: 'stream',
		returnFullResponse: true,
		timeout: limits.timeoutMs,
		abortSignal: connection.signal,
	})) as IN8nHttpFullResponse;
	const stopReading = (): void => {
		if (isStream(response.body)) response.body.on('error', () => undefined);
		connection.abort();
		if (isStream(response.body)) response.body.destroy();
	};
	const declared = Number(response.headers['content-length'] ?? 0);
	if (declared > limits.maxBytes) stopReading();
	assertWithinLimit(declared, limits.maxBytes, output);
	const data = await readCapped(response.body, limits.maxBytes, output, stopReading);
	const contentType = String(response.headers['content-type'] ?? '')
		.split(';')[0]
		.trim();
	return await this.helpers.prepareBinaryData(
		data,
		fileNameOf(output, fallbackName),
		contentType || undefined,
	);
}

/** The body's bytes, reading no further than the cap; `stopReading` closes the connection. */
async function readCapped(
	body: unknown,
	maxBytes: number,
	what: string,
	stopReading: () => void,
): Promise<Buffer> {
	if (!isStream(body)) {
		const data = Buffer.isBuffer(body) ? body : Buffer.from(body as ArrayBuffer);
		assertWithinLimit(data.length, maxBytes, what);
		return data;
	}
	return await new Promise<Buffer>((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let done = false;
		const finish = (error?: Error): void => {
			if (done) return;
			done = true;
			if (error) reject(error);
			else resolve(Buffer.concat(chunks, size));
		};
		body.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > maxBytes) {
				// The cap's error first: stopping makes the stream emit the abort's own error.
				try {
					assertWithinLimit(size, maxBytes, what);
				} catch (error) {
					finish(error as Error);
				}
				stopReading();
				return;
			}
			chunks.push(chunk);
		});
		body.on('end', () => finish());
		body.on('close', () => finish());
		body.on('error', (error: Error) => finish(error));
	});
}

function assertWithinLimit(size: number, maxBytes: number, what: string): void {
	if (size > maxBytes) {
		throw new RangeError(
			`${withoutUrlSecrets(what)} is larger than the download limit of ${(maxBytes / 1_048_576).toFixed(1)} MB (the download stopped there): raise "Max Download Size (MB)" or turn off "Download Outputs"`,
		);
	}
}
