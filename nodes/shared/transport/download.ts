import { sleep, type IBinaryData, type IN8nHttpFullResponse } from 'n8n-workflow';

import type { ModelsLabContext } from './context';
import {
	DownloadHttpError,
	DownloadRefusedError,
	TruncatedDownloadError,
	retryWaitMs,
} from './downloadErrors';
import { hostAllowed, refusedRedirect } from './downloadHosts';
import { withoutUrlSecrets } from './redact';

export { MODELSLAB_OUTPUT_HOSTS, hostAllowed, outputHostsOf } from './downloadHosts';
export { DownloadHttpError, DownloadRefusedError } from './downloadErrors';

/** Whether and how a node run stores output files as binary data (Options → Download Outputs). */
export interface DownloadSettings {
	enabled: boolean;
	binaryPropertyName: string;
	maxBytes: number;
	/**
	 * Hosts output files may come from (`*.example.com` for subdomains), every redirect included;
	 * unset: any host, but no redirect from a public host to a private address. Set where the URLs
	 * come from an unauthenticated callback, so nobody can make n8n fetch a URL of their own.
	 */
	allowedHosts?: readonly string[];
}

export interface DownloadLimits {
	maxBytes: number;
	/** For the whole download, retries included. */
	timeoutMs: number;
	allowedHosts?: readonly string[];
	/** Waits before the retries of a transient failure; default DOWNLOAD_RETRY_DELAYS_MS. */
	retryDelaysMs?: readonly number[];
}

/** Three retries of a transient failure (network error, 5xx, 429), backing off. */
export const DOWNLOAD_RETRY_DELAYS_MS: readonly number[] = [1_000, 3_000, 9_000];
/** Output links are direct; a CDN may add a hop or two. */
export const MAX_REDIRECTS = 5;

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
 * unauthenticated helper: the API key must never travel to a file host. Redirects are followed
 * here, each hop checked (download hosts above), never by n8n's client. The size cap holds while
 * the bytes arrive, whatever `content-length` claims. Transient failures are tried again within
 * `timeoutMs`; a refused host, a 4xx and the size cap are not.
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
		throw new DownloadRefusedError(
			`${withoutUrlSecrets(output)} is not on one of ModelsLab's output hosts, so it was not downloaded: add its host to "Output Hosts" of the ModelsLab credential, or turn on "Verify With ModelsLab"`,
		);
	}
	const deadline = Date.now() + limits.timeoutMs;
	const delays = limits.retryDelaysMs ?? DOWNLOAD_RETRY_DELAYS_MS;
	for (let attempt = 0; ; attempt++) {
		try {
			const file = await downloadOnce.call(this, output, limits, deadline);
			return await this.helpers.prepareBinaryData(
				file.data,
				fileNameOf(output, fallbackName),
				file.contentType || undefined,
			);
		} catch (error) {
			const wait = retryWaitMs(error, delays[attempt], deadline - Date.now());
			if (wait === undefined) throw finalError(error, output, attempt + 1);
			await sleep(wait);
		}
	}
}

/** The error of the last attempt, naming the URL (secrets redacted) and the attempts made. */
function finalError(error: unknown, url: string, attempts: number): Error {
	if (error instanceof DownloadRefusedError || error instanceof RangeError) return error;
	const reason =
		error instanceof DownloadHttpError
			? `HTTP ${error.statusCode}`
			: withoutUrlSecrets(error instanceof Error ? error.message : String(error));
	const tries = attempts > 1 ? ` (tried ${attempts} times)` : '';
	return new Error(`${withoutUrlSecrets(url)} could not be downloaded: ${reason}${tries}`);
}

interface DownloadedFile {
	data: Buffer;
	contentType: string;
}

/** One attempt: the request, its checked redirects, and the capped read of the final answer. */
async function downloadOnce(
	this: ModelsLabContext,
	output: string,
	limits: DownloadLimits,
	deadline: number,
): Promise<DownloadedFile> {
	const { response, stopReading } = await getFollowingCheckedRedirects.call(
		this,
		output,
		limits.allowedHosts,
		deadline,
	);
	if (response.statusCode < 200 || response.statusCode >= 300) {
		stopReading();
		throw new DownloadHttpError(response.statusCode, response.headers['retry-after']);
	}
	const declared = Number(response.headers['content-length'] ?? 0);
	if (declared > limits.maxBytes) stopReading();
	assertWithinLimit(declared, limits.maxBytes, output);
	const data = await readCapped(response.body, limits.maxBytes, output, stopReading);
	if (declared > 0 && data.length < declared)
		throw new TruncatedDownloadError(data.length, declared);
	const contentType = String(response.headers['content-type'] ?? '')
		.split(';')[0]
		.trim();
	return { data, contentType };
}

interface OpenResponse {
	response: IN8nHttpFullResponse;
	/** Closes the connection without reading further. */
	stopReading: () => void;
}

/**
 * GETs `url` with n8n's redirect following off, and follows each redirect itself once
 * refusedRedirect allows the hop; at most MAX_REDIRECTS of them.
 */
async function getFollowingCheckedRedirects(
	this: ModelsLabContext,
	url: string,
	allowedHosts: readonly string[] | undefined,
	deadline: number,
): Promise<OpenResponse> {
	let current = url;
	for (let hop = 0; ; hop++) {
		const open = await getOnce.call(this, current, deadline);
		const { statusCode, headers } = open.response;
		const location = headers.location;
		if (statusCode < 300 || statusCode >= 400 || typeof location !== 'string') return open;
		open.stopReading();
		const next = new URL(location, current).toString();
		const refusal =
			hop >= MAX_REDIRECTS
				? `it redirects more than ${MAX_REDIRECTS} times`
				: refusedRedirect(current, next, allowedHosts);
		if (refusal) {
			throw new DownloadRefusedError(
				`${withoutUrlSecrets(url)} was not downloaded: ${withoutUrlSecrets(refusal)}`,
			);
		}
		current = next;
	}
}

async function getOnce(
	this: ModelsLabContext,
	url: string,
	deadline: number,
): Promise<OpenResponse> {
	// Aborting the request is what closes the connection: n8n 2.x's axios hands over a stream that
	// wraps the socket's, and destroying that one before it was read leaves the socket open.
	const connection = new AbortController();
	const response = (await this.helpers.httpRequest({
		method: 'GET',
		url,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: Math.max(1, deadline - Date.now()),
		abortSignal: connection.signal,
	})) as IN8nHttpFullResponse;
	const stopReading = (): void => {
		if (isStream(response.body)) response.body.on('error', () => undefined);
		connection.abort();
		if (isStream(response.body)) response.body.destroy();
	};
	return { response, stopReading };
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
		let ended = false;
		body.on('end', () => {
			ended = true;
			finish();
		});
		// Closed before its end: the connection broke off mid-file, which a retry can mend.
		body.on('close', () => finish(ended ? undefined : new TruncatedDownloadError(size)));
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
