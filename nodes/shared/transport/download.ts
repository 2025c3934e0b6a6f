import type { IBinaryData, IN8nHttpFullResponse } from 'n8n-workflow';

import type { ModelsLabContext } from './context';

/** Whether and how a node run stores output files as binary data (Options → Download Outputs). */
export interface DownloadSettings {
	enabled: boolean;
	binaryPropertyName: string;
	maxBytes: number;
}

export interface DownloadLimits {
	maxBytes: number;
	timeoutMs: number;
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

/**
 * Downloads one output into n8n's binary store. Output URLs are public CDN links, so this uses the
 * unauthenticated helper: the API key must never travel to a file host.
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
	const response = (await this.helpers.httpRequest({
		method: 'GET',
		url: output,
		encoding: 'arraybuffer',
		returnFullResponse: true,
		timeout: limits.timeoutMs,
	})) as IN8nHttpFullResponse;
	const declared = Number(response.headers['content-length'] ?? 0);
	assertWithinLimit(declared, limits.maxBytes, output);
	const data = Buffer.from(response.body as ArrayBuffer);
	assertWithinLimit(data.length, limits.maxBytes, output);
	const contentType = String(response.headers['content-type'] ?? '')
		.split(';')[0]
		.trim();
	return await this.helpers.prepareBinaryData(
		data,
		fileNameOf(output, fallbackName),
		contentType || undefined,
	);
}

function assertWithinLimit(size: number, maxBytes: number, what: string): void {
	if (size > maxBytes) {
		throw new RangeError(
			`${what} is ${(size / 1_048_576).toFixed(1)} MB, over the download limit of ${(maxBytes / 1_048_576).toFixed(1)} MB: raise "Max Download Size (MB)" or turn off "Download Outputs"`,
		);
	}
}
