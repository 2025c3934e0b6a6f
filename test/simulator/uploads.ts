/**
 * `base64_to_url` (§2 "Inputs", §3.8): a data URI in, `{status, id, output:[url]}` out, and the
 * decoded bytes served back at that URL with the data URI's MIME type for 24 h. Uploads are no
 * jobs: they never take a place in the account queue.
 */
import { randomBytes, randomInt } from 'node:crypto';

import type { SimContext } from './context';
import { MAX_UPLOAD_BYTES, UPLOAD_LIFETIME_MS, type UploadRule } from './endpoints';
import { checkBodyKey, type IncomingCall } from './gate';
import { apiError, json, type Reply } from './replies';
import type { JsonValue, SimUpload } from './types';
import { isMissing } from './validation';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class UploadStore {
	readonly list: Mutable<SimUpload>[] = [];
	readonly byName = new Map<string, Mutable<SimUpload>>();
	/** Upload ids count up from a random start, like request ids, and are never reused. */
	private nextId = randomInt(1_000, 100_000);

	allocateId(): number {
		return this.nextId++;
	}

	add(name: string, upload: Mutable<SimUpload>): void {
		this.list.push(upload);
		this.byName.set(name, upload);
	}

	expireAll(now: number): void {
		for (const upload of this.list) upload.expiresAt = Math.min(upload.expiresAt, now);
	}

	clear(): void {
		this.list.length = 0;
		this.byName.clear();
	}
}

/** `data:<type>/<subtype>[;param=value…];base64,<data>`. */
const DATA_URI = /^data:([^;,/]+\/[^;,]+)((?:;[^;,]+=[^;,]*)*);base64,(.*)$/s;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const EXTENSIONS: Readonly<Record<string, string>> = {
	'image/jpeg': 'jpg',
	'image/svg+xml': 'svg',
	'audio/mpeg': 'mp3',
	'audio/x-wav': 'wav',
	'audio/wave': 'wav',
	'model/gltf-binary': 'glb',
	'video/quicktime': 'mov',
};

function extensionOf(mime: string): string {
	const lower = mime.toLowerCase();
	return EXTENSIONS[lower] ?? (lower.split('/')[1].replace(/[^a-z0-9]/g, '') || 'bin');
}

type Decoded = { mime: string; bytes: Buffer } | { problem: string };

function decodeDataUri(value: JsonValue | undefined, rule: UploadRule): Decoded {
	const { field } = rule;
	if (isMissing(value)) return { problem: `${field} is required` };
	if (typeof value !== 'string') return { problem: `${field} must be a string` };
	// Bare base64 is refused: the docs require "a valid data-URI" and none allows it.
	const match = DATA_URI.exec(value);
	if (!match) return { problem: `${field} must be a data URI: data:<mime type>;base64,<data>` };
	const [, mime, , data] = match;
	if (!rule.mime.test(mime))
		return { problem: `${field} must be ${rule.mimeWording}, not ${mime}` };
	if (data === '' || data.length % 4 !== 0 || !BASE64.test(data))
		return { problem: `${field} is not valid base64` };
	const size = (data.length / 4) * 3 - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0);
	if (size > MAX_UPLOAD_BYTES)
		return {
			problem: `File too large: ${size} bytes; the limit is 5 MB (${MAX_UPLOAD_BYTES} bytes)`,
		};
	return { mime, bytes: Buffer.from(data, 'base64') };
}

/** `POST /api/v6[/<family>]/base64_to_url` with `{key, <field>: "data:<mime>;base64,…"}`. */
export function receiveUpload(ctx: SimContext, rule: UploadRule, call: IncomingCall): Reply {
	const keyProblem = checkBodyKey(ctx, call);
	if (keyProblem) return keyProblem;
	const decoded = decodeDataUri(call.body?.[rule.field], rule);
	if ('problem' in decoded) return apiError(decoded.problem);

	const id = ctx.uploads.allocateId();
	const name = `${id}-${randomBytes(6).toString('hex')}.${extensionOf(decoded.mime)}`;
	const receivedAt = Date.now();
	const url = `${ctx.origin}/temp/${name}`;
	ctx.uploads.add(name, {
		id,
		url,
		mime: decoded.mime,
		bytes: decoded.bytes,
		family: rule.family,
		receivedAt,
		expiresAt: receivedAt + UPLOAD_LIFETIME_MS,
	});
	ctx.log(`upload ${id} ${decoded.mime} ${decoded.bytes.length} bytes`);
	return json(200, { status: 'success', id, output: [url] });
}

/** `GET /temp/<name>`: the uploaded bytes, until the upload expires. */
export function serveUpload(ctx: SimContext, name: string): Reply {
	const upload = ctx.uploads.byName.get(name);
	if (!upload) return apiError(`File not found: ${name}`, { httpStatus: 404 });
	if (Date.now() >= upload.expiresAt) return apiError(`File expired: ${name}`, { httpStatus: 404 });
	return { status: 200, file: upload.bytes, contentType: upload.mime };
}
