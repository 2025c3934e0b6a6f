import type { FileInput } from '../catalog/types';
import type { ModelsLabContext } from './context';
import { modelsLabApiError } from './errors';
import { modelsLabRequest } from './request';
import { uploadResponseSchema } from './schemas';

/** The `base64_to_url` endpoints (docs/modelslab-api.md §2 "Inputs"), by the catalog's names. */
export type UploadFamily = Exclude<FileInput['upload'], 'inline' | undefined>;

interface UploadEndpoint {
	path: string;
	/** The body field that carries the data URI. */
	field: string;
	/** MIME types the endpoint takes, and how an error words them. */
	accepts: RegExp;
	wording: string;
}

export const UPLOAD_ENDPOINTS: Readonly<Record<UploadFamily, UploadEndpoint>> = {
	// "Convert base64 strings of image, audio, video and 3d object file to a valid URL."
	general: {
		path: '/v6/base64_to_url',
		field: 'base64_string',
		accepts: /^(image|audio|video|model)\/[\w.+-]+$/,
		wording: 'an image, audio, video or 3D file',
	},
	imageEditing: {
		path: '/v6/image_editing/base64_to_url',
		field: 'init_image',
		accepts: /^image\/[\w.+-]+$/,
		wording: 'an image (image/*)',
	},
	// The voice page: "MP3 or WAV only".
	voice: {
		path: '/v6/voice/base64_to_url',
		field: 'init_audio',
		accepts: /^audio\/(mpeg|mp3|wav|x-wav|wave)$/,
		wording: 'MP3 or WAV audio (audio/mpeg, audio/wav)',
	},
	// The field is `init_obj`, not `init_video` (the OpenAPI's required list and example).
	video: {
		path: '/v6/video/base64_to_url',
		field: 'init_obj',
		accepts: /^video\/[\w.+-]+$/,
		wording: 'a video (video/*)',
	},
	// The OpenAPI pattern: `data:model/<letters and digits>;base64,`.
	threeD: {
		path: '/v6/3d/base64_to_url',
		field: 'init_obj',
		accepts: /^model\/[a-z0-9]+$/,
		wording: 'a 3D object (model/<format>, e.g. model/glb)',
	},
};

/** "Max 5 MB" (general-api/base64-to-url.mdx); the other families state none, so it holds for all. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** `data:<mime>;base64,<data>`, the form every `base64_to_url` endpoint takes. */
export function dataUri(data: Buffer, mimeType: string): string {
	return `data:${mimeType};base64,${data.toString('base64')}`;
}

export interface UploadedFile {
	data: Buffer;
	mimeType: string;
}

/**
 * Uploads one file and returns the URL ModelsLab serves it at (valid 24 h). `what` names the
 * field and binary property in errors; an answer without a URL is an error naming `output[0]`.
 */
export async function uploadFile(
	this: ModelsLabContext,
	family: UploadFamily,
	file: UploadedFile,
	at: { itemIndex: number; what: string },
): Promise<string> {
	const endpoint = UPLOAD_ENDPOINTS[family];
	const context = `uploading ${at.what} (${endpoint.path})`;
	const raw = await modelsLabRequest.call(this, {
		method: 'POST',
		path: endpoint.path,
		body: { [endpoint.field]: dataUri(file.data, file.mimeType) },
		itemIndex: at.itemIndex,
		context,
	});
	const url = uploadResponseSchema.parse(raw).output[0];
	if (!url) {
		throw modelsLabApiError(this.getNode(), {
			apiMessage: `answered the upload without a URL (field "output[0]" is missing, status "${String(raw.status ?? '')}")`,
			itemIndex: at.itemIndex,
			context,
		});
	}
	return url;
}
