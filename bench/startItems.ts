// What each P3 execution starts with: a tiny JSON item, or a realistic one, a prompt and a 1 MB
// file sent as multipart form data, which n8n's Webhook node keeps as a binary property in n8n's
// default binary mode (bench/README.md, P3).
import { randomBytes } from 'node:crypto';

export type ItemSize = 'tiny' | 'realistic';

export const REALISTIC_FILE_BYTES = 1024 * 1024;
/** The binary property the Webhook node names after the form field. */
export const REALISTIC_FILE_PROPERTY = 'reference';
const BOUNDARY = 'bench-p3-realistic-item';
/** Random bytes, so no layer on the way can compress them; the same file for every execution. */
const file = randomBytes(REALISTIC_FILE_BYTES);

export interface StartRequest {
	body: object | Buffer;
	contentType?: string;
}

/**
 * Either way the Webhook node's item has the prompt at `body.prompt`, so the workflows are the
 * same; a realistic item also has the file in its REALISTIC_FILE_PROPERTY binary property.
 */
export function startRequest(size: ItemSize, prompt: string): StartRequest {
	if (size === 'tiny') return { body: { prompt } };
	const head = [
		`--${BOUNDARY}`,
		'Content-Disposition: form-data; name="prompt"',
		'',
		prompt,
		`--${BOUNDARY}`,
		`Content-Disposition: form-data; name="${REALISTIC_FILE_PROPERTY}"; filename="reference.png"`,
		'Content-Type: image/png',
		'',
		'',
	].join('\r\n');
	return {
		body: Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]),
		contentType: `multipart/form-data; boundary=${BOUNDARY}`,
	};
}
