import type { IBinaryData, IExecuteFunctions, ISupplyDataFunctions } from 'n8n-workflow';

import type { FileInput } from '../catalog/types';
import { MAX_UPLOAD_BYTES, UPLOAD_ENDPOINTS, type UploadFamily } from '../transport/uploads';
import { displayNameOf } from './fieldNames';
import { binaryPropertyParameter, inputTypeParameter, type FileField } from './fileInputs';
import { InvalidParameterError } from './requestBody';

/**
 * A file of an item's binary data that passed the checks. Its bytes are read again when it is
 * sent, so a run holds one file in memory at a time, not every item's.
 */
export interface BinaryFile {
	field: FileField;
	itemIndex: number;
	propertyName: string;
	mimeType: string;
}

/** Where a field's binary data goes: a `base64_to_url` family, or inline as a data URI. */
export function destinationOf(file: FileInput): UploadFamily | 'inline' {
	return file.upload ?? DEFAULT_FAMILY[file.kind];
}

const DEFAULT_FAMILY: Readonly<Record<FileInput['kind'], UploadFamily>> = {
	image: 'general',
	audio: 'voice',
	video: 'video',
	model3d: 'threeD',
};

const KIND_MIME: Readonly<Record<FileInput['kind'], { pattern: RegExp; wording: string }>> = {
	image: { pattern: /^image\//, wording: 'an image (image/*)' },
	audio: { pattern: /^audio\//, wording: 'audio (audio/*)' },
	video: { pattern: /^video\//, wording: 'a video (video/*)' },
	model3d: { pattern: /^model\//, wording: 'a 3D object (model/*)' },
};

/** For binary data stored without a usable MIME type (`application/octet-stream`). */
const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif',
	bmp: 'image/bmp',
	mp3: 'audio/mpeg',
	wav: 'audio/wav',
	flac: 'audio/flac',
	ogg: 'audio/ogg',
	m4a: 'audio/mp4',
	mp4: 'video/mp4',
	webm: 'video/webm',
	mov: 'video/quicktime',
	glb: 'model/glb',
	obj: 'model/obj',
	stl: 'model/stl',
	ply: 'model/ply',
};

/** The MIME types a file field takes, as a test and as words for errors. */
export function acceptedMime(file: FileInput): { accepts(mime: string): boolean; wording: string } {
	const kind = KIND_MIME[file.kind];
	const destination = destinationOf(file);
	const family = destination === 'inline' ? undefined : UPLOAD_ENDPOINTS[destination];
	const listed = file.mimeTypes;
	return {
		accepts: (mime) =>
			kind.pattern.test(mime) &&
			(!family || family.accepts.test(mime)) &&
			(!listed || listed.includes(mime)),
		wording: listed
			? listed.join(' or ')
			: family && destination !== 'general'
				? family.wording
				: kind.wording,
	};
}

/** The binary data's MIME type, lower case and without parameters, or one guessed from its name. */
export function mimeTypeOf(binary: IBinaryData): string {
	const declared = String(binary.mimeType ?? '')
		.split(';')[0]
		.trim()
		.toLowerCase();
	if (declared && declared !== 'application/octet-stream') return declared;
	const extension = (binary.fileExtension ?? binary.fileName?.split('.').pop() ?? '').toLowerCase();
	return MIME_BY_EXTENSION[extension] ?? declared;
}

const megabytes = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`;

/**
 * Checks the files a field names in one item's binary data. Everything a run can know
 * before it calls ModelsLab is checked here, so a bad file stops the run with nothing sent: the
 * property exists, the file is not empty, at most 5 MB (the `base64_to_url` limit) and of a type
 * the field takes. Errors name the item, the field, the binary property and the limit.
 */
export async function checkBinaryFiles(
	context: IExecuteFunctions | ISupplyDataFunctions,
	itemIndex: number,
	field: FileField,
	propertyNames: readonly string[],
): Promise<BinaryFile[]> {
	const label = displayNameOf(field);
	const fail = (detail: string): InvalidParameterError =>
		new InvalidParameterError(field.name, label, detail);
	const propertyParameter = `"${label} Binary Property" (${binaryPropertyParameter(field)})`;
	const most = field.file.list ? (field.max ?? Number.POSITIVE_INFINITY) : 1;
	if (propertyNames.length === 0)
		throw fail(`${propertyParameter} names no binary property. Enter one, such as data.`);
	if (propertyNames.length > most) {
		throw fail(
			`${propertyParameter} names ${propertyNames.length} binary properties (${propertyNames.join(', ')}), but this field takes at most ${most} file${most === 1 ? '' : 's'}. Name fewer.`,
		);
	}
	const binaries = context.getInputData()[itemIndex]?.binary ?? {};
	const accepted = acceptedMime(field.file);
	const files: BinaryFile[] = [];
	for (const propertyName of propertyNames) {
		const where = `the file in binary property "${propertyName}" of input item ${itemIndex}`;
		const binary = binaries[propertyName];
		if (!binary) {
			const present = Object.keys(binaries);
			throw fail(
				`input item ${itemIndex} has no binary property "${propertyName}" (${present.length ? `it has: ${present.join(', ')}` : 'it has no binary data'}). Set ${propertyParameter} to one of its binary properties, or set "${label} Input Type" (${inputTypeParameter(field)}) to URL.`,
			);
		}
		const mimeType = mimeTypeOf(binary);
		if (!accepted.accepts(mimeType)) {
			throw fail(
				`${where} is ${mimeType ? `of type ${mimeType}` : 'of unknown type'}; this field takes ${accepted.wording}.`,
			);
		}
		const tooLarge = (bytes: number): InvalidParameterError =>
			fail(
				`${where} is ${megabytes(bytes)} (${bytes} bytes); ModelsLab takes files of at most ${megabytes(MAX_UPLOAD_BYTES)} (${MAX_UPLOAD_BYTES} bytes). Send a smaller file, or a URL.`,
			);
		// Refused before the bytes are read, when n8n knows the size.
		if (typeof binary.bytes === 'number' && binary.bytes > MAX_UPLOAD_BYTES)
			throw tooLarge(binary.bytes);
		const data = await context.helpers.getBinaryDataBuffer(itemIndex, propertyName);
		if (data.length === 0) throw fail(`${where} is empty (0 bytes).`);
		if (data.length > MAX_UPLOAD_BYTES) throw tooLarge(data.length);
		files.push({ field, itemIndex, propertyName, mimeType });
	}
	return files;
}

/** The bytes of a checked file. */
export async function binaryFileData(
	context: IExecuteFunctions | ISupplyDataFunctions,
	file: BinaryFile,
): Promise<Buffer> {
	return await context.helpers.getBinaryDataBuffer(file.itemIndex, file.propertyName);
}
