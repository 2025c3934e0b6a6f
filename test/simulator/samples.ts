/**
 * `GET /samples/<name>`: fixed input files (images, speech, a clip, a 3D object), not part of
 * ModelsLab's API. The example workflows and the end-to-end tests download them with n8n's HTTP
 * Request node and hand them to a ModelsLab node as binary data, then compare what was uploaded
 * with these bytes.
 */
import { MAX_UPLOAD_BYTES } from './endpoints';
import { buildGlb, buildMp3, buildMp4, buildPng, buildWav } from './files';
import { apiError, type Reply } from './replies';

export interface SampleFile {
	bytes: Buffer;
	contentType: string;
}

/** A PNG one byte over the 5 MB upload limit (trailing bytes after IEND, still a valid PNG). */
function oversizePng(): Buffer {
	const png = buildPng(104);
	return Buffer.concat([png, Buffer.alloc(MAX_UPLOAD_BYTES + 1 - png.length)]);
}

/**
 * Three distinct images (a training set), speech as WAV and MP3, a video, a GLB model, and an
 * image too large to upload.
 */
const SAMPLES: Readonly<Record<string, () => SampleFile>> = {
	'image.png': () => ({ bytes: buildPng(101), contentType: 'image/png' }),
	'image-2.png': () => ({ bytes: buildPng(102), contentType: 'image/png' }),
	'image-3.png': () => ({ bytes: buildPng(103), contentType: 'image/png' }),
	'speech.wav': () => ({ bytes: buildWav(), contentType: 'audio/wav' }),
	'speech.mp3': () => ({ bytes: buildMp3(), contentType: 'audio/mpeg' }),
	'clip.mp4': () => ({ bytes: buildMp4(), contentType: 'video/mp4' }),
	'model.glb': () => ({ bytes: buildGlb(), contentType: 'model/gltf-binary' }),
	'oversize.png': () => ({ bytes: oversizePng(), contentType: 'image/png' }),
};

export const SAMPLE_NAMES: readonly string[] = Object.keys(SAMPLES);

/** The bytes and type `GET /samples/<name>` serves, or undefined for an unknown name. */
export function sampleFile(name: string): SampleFile | undefined {
	return SAMPLES[name]?.();
}

export function serveSample(name: string): Reply {
	const sample = sampleFile(name);
	if (!sample) return apiError(`File not found: ${name}`, { httpStatus: 404 });
	return { status: 200, file: sample.bytes, contentType: sample.contentType };
}
