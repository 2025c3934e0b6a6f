import { generationSubmit, type CategorySpec, type FieldSpec, type FileInput } from './types';

const FETCH = '/v6/image_editing/fetch/{id}';
const FACESWAP_FETCH = '/v6/faceswap/fetch/{id}';

/**
 * The parts every submit of one path family shares (docs/modelslab-api.md §3.5: webhook and integer
 * track_id everywhere). Face swap lives under /v6/faceswap (renamed from /v6/deepfake on
 * 2026-02-26; §8 item 2) and is read back there.
 */
const family = (prefix: string, fetchPath: string) => (name: string) =>
	({
		category: 'imageEditing',
		operation: name,
		path: `${prefix}/${name}`,
		fetchPath,
		trackId: 'integer',
	}) as const;
const editing = family('/v6/image_editing', FETCH);
/** The old /v6/deepfake family, which every SDK still calls, is tried when /v6/faceswap answers 404. */
const faceswap = (name: string) =>
	({
		...family('/v6/faceswap', FACESWAP_FETCH)(name),
		alternatePaths: [`/v6/deepfake/${name}`],
		alternateFetchPaths: ['/v6/deepfake/fetch/{id}'],
	}) as const;

/**
 * Image inputs, face swap's included. Binary data is uploaded through
 * /v6/image_editing/base64_to_url (field `init_image`, image/*; docs/modelslab-api.md §2
 * "Inputs"), this family's own upload, and sent as the URL it returns. Not inline, although
 * several fields take base64: ModelsLab repeats every request parameter in `meta` (§4).
 */
const EDITING_IMAGE: FileInput = { kind: 'image', upload: 'imageEditing' };

const url = (
	name: string,
	description: string,
	required = true,
	file: FileInput = EDITING_IMAGE,
): FieldSpec => ({
	name,
	kind: 'string',
	required,
	description,
	file,
});

const prompt = (required: boolean, description = 'What the result should show'): FieldSpec => ({
	name: 'prompt',
	kind: 'string',
	required,
	multiline: true,
	description,
});

const faceImage: FieldSpec = {
	name: 'face_image',
	kind: 'string',
	required: true,
	description: 'Public URL or base64 data of the face the result should resemble',
	file: EDITING_IMAGE,
};
const steps213141: FieldSpec = {
	name: 'num_inference_steps',
	kind: 'integerOptions',
	options: ['21', '31', '41'],
	default: '21',
	displayName: 'Inference Steps',
	description: 'Denoising steps: 21, 31 or 41',
};
const watermark: FieldSpec = {
	name: 'watermark',
	kind: 'boolean',
	default: true,
	description: 'Whether the result carries a ModelsLab watermark',
};

/** head_shot fields, which face_gen repeats (docs/modelslab-api.md §3.5: "as head_shot"). */
const headShotOptions: readonly FieldSpec[] = [
	{
		name: 'width',
		kind: 'integer',
		max: 512,
		description: 'Width in pixels, at most 512; defaults to the face image width',
	},
	{
		name: 'height',
		kind: 'integer',
		max: 768,
		description: 'Height in pixels, at most 768; defaults to the face image height',
	},
	steps213141,
	{
		name: 'guidance_scale',
		kind: 'integer',
		min: 1,
		max: 5,
		description: 'How closely to follow the prompt, 1 to 5',
	},
	{
		name: 's_scale',
		kind: 'number',
		default: 1,
		min: 0,
		max: 2,
		displayName: 'Face Structure Scale',
		description: 'Weight of the face structure, 0 to 2',
	},
	{ name: 'samples', kind: 'integer', min: 1, max: 2, description: 'Number of images, 1 or 2' },
];

const outputFormatVideo: FieldSpec = {
	name: 'output_format',
	kind: 'string',
	default: 'mp4',
	description: 'File format of the video',
};
// Binary data goes through /v6/video/base64_to_url (field `init_obj`, video/*), the only
// upload for videos (docs/modelslab-api.md §2).
const initVideo: FieldSpec = {
	name: 'init_video',
	kind: 'string',
	required: true,
	description: 'Public URL of the video, shorter than 1 minute',
	file: { kind: 'video', upload: 'video' },
};

export const imageEditingCategory: CategorySpec = {
	category: 'imageEditing',
	defaultWaitMinutes: 20,
	defaultFetchPath: FETCH,
	endpoints: [
		generationSubmit({
			...editing('removebg_mask'),
			displayName: 'Remove Background',
			action: 'Remove the background of an image',
			description: 'Cut out the subject of an image, or return its mask',
			fields: [
				url('image', 'Public URL or base64 data of the image'),
				{
					name: 'only_mask',
					kind: 'boolean',
					default: false,
					description: 'Whether to return only the mask instead of the cut-out image',
				},
				{
					name: 'inverse_mask',
					kind: 'boolean',
					default: false,
					description: 'Whether to invert the mask',
				},
				{
					name: 'post_process_mask',
					kind: 'boolean',
					default: false,
					description: 'Whether to post-process the mask',
				},
				{
					name: 'alpha_matting',
					kind: 'boolean',
					default: false,
					description: 'Whether to refine the edges with alpha matting',
				},
				{
					name: 'alpha_matting_foreground_threshold',
					kind: 'integer',
					max: 240,
					description: 'Alpha matting foreground threshold, at most 240',
				},
				{
					name: 'alpha_matting_background_threshold',
					kind: 'integer',
					max: 20,
					description: 'Alpha matting background threshold, at most 20',
				},
				{
					name: 'alpha_matting_erode_size',
					kind: 'integer',
					max: 5,
					description: 'Alpha matting erode size in pixels, at most 5',
				},
				{ name: 'seed', kind: 'integer', description: 'Seed for reproducible results' },
				{
					name: 'base64',
					kind: 'boolean',
					default: false,
					displayName: 'Base64',
					description: 'Whether to return the result as base64 instead of a link',
				},
			],
			example: { image: 'https://example.com/product.jpg' },
		}),
		generationSubmit({
			...editing('super_resolution'),
			displayName: 'Super Resolution',
			action: 'Upscale an image',
			description: 'Upscale an image with a Real-ESRGAN model',
			fields: [
				url('init_image', 'Public URL of the image to upscale'),
				{
					name: 'model_id',
					kind: 'options',
					options: [
						'RealESRGAN_x4plus',
						'RealESRGAN_x4plus_anime_6B',
						'RealESRGAN_x2plus',
						'realesr-general-x4v3',
						'ultra_resolution',
					],
					default: 'realesr-general-x4v3',
					displayName: 'Model ID',
					description: 'Upscaling model',
				},
				{ name: 'scale', kind: 'integer', default: 3, description: 'Upscaling factor' },
				{
					name: 'face_enhance',
					kind: 'boolean',
					default: false,
					description: 'Whether to enhance faces while upscaling',
				},
			],
			example: { init_image: 'https://example.com/small.jpg', scale: 3 },
		}),
		generationSubmit({
			...editing('outpaint'),
			displayName: 'Outpaint',
			action: 'Extend an image beyond its borders',
			description:
				'Extend an image to a larger canvas (up to 1440 px), filling the new area from a prompt',
			fields: [
				url('image', 'Public URL of the image to extend'),
				prompt(false, 'What the new area should show'),
				{
					name: 'negative_prompt',
					kind: 'string',
					multiline: true,
					description: 'What the new area should not show',
				},
				{
					name: 'width',
					kind: 'integer',
					default: 1280,
					max: 1440,
					description: 'Width of the result in pixels, at most 1440',
				},
				{
					name: 'height',
					kind: 'integer',
					default: 720,
					max: 1440,
					description: 'Height of the result in pixels, at most 1440',
				},
				{
					name: 'overlap_width',
					kind: 'integer',
					default: 10,
					max: 42,
					description: 'Width in pixels of the blended overlap, at most 42',
				},
				{
					name: 'num_inference_steps',
					kind: 'integer',
					default: 10,
					max: 30,
					displayName: 'Inference Steps',
					description: 'Denoising steps, at most 30',
				},
				{
					name: 'guidance_scale',
					kind: 'number',
					default: 8,
					description: 'How closely to follow the prompt',
				},
				{ name: 'seed', kind: 'integer', description: 'Seed for reproducible results' },
				{
					name: 'temp',
					kind: 'boolean',
					default: true,
					description: 'Whether to use temporary links that expire after 24 hours',
				},
			],
			example: { image: 'https://example.com/landscape.jpg', prompt: 'a wide mountain valley' },
		}),
		generationSubmit({
			...editing('object_removal'),
			displayName: 'Object Removal',
			action: 'Remove an object from an image',
			description: 'Erase the area under the white part of a mask and fill it in',
			fields: [
				url('init_image', 'Public URL of the image'),
				url('mask_image', 'Public URL of the mask: white areas are removed'),
			],
			example: {
				init_image: 'https://example.com/room.jpg',
				mask_image: 'https://example.com/room-mask.png',
			},
		}),
		generationSubmit({
			...editing('mask_creator'),
			displayName: 'Mask Creator',
			action: 'Create a mask of an object in an image',
			description: 'Create a mask of the object you name in an image',
			fields: [
				// Missing from the OpenAPI but in the doc example, and a mask needs an image: required (docs/modelslab-api.md §3.5).
				url('init_image', 'Public URL of the image'),
				{
					name: 'specific_object',
					kind: 'string',
					required: true,
					description: 'The object to mask, in words (e.g. the ball)',
					placeholder: 'the ball',
				},
			],
			example: { init_image: 'https://example.com/garden.jpg', specific_object: 'the ball' },
		}),
		generationSubmit({
			...editing('inpaint'),
			displayName: 'Inpaint',
			action: 'Repaint the masked part of an image',
			description: 'Repaint the white area of a mask on an image from a prompt',
			fields: [
				prompt(true, 'What the masked area should show'),
				url('init_image', 'Public URL of the image'),
				url('mask_image', 'Public URL of the mask: white areas are repainted'),
				{
					name: 'width',
					kind: 'integer',
					default: 512,
					max: 1024,
					description: 'Width in pixels, at most 1024',
				},
				{
					name: 'height',
					kind: 'integer',
					default: 512,
					max: 1024,
					description: 'Height in pixels, at most 1024',
				},
				{
					name: 'samples',
					kind: 'integer',
					min: 1,
					max: 4,
					description: 'Number of images, 1 to 4',
				},
				{
					name: 'num_inference_steps',
					kind: 'integer',
					default: 30,
					displayName: 'Inference Steps',
					description: 'Denoising steps',
				},
				{
					name: 'guidance_scale',
					kind: 'integer',
					default: 5,
					min: 1,
					max: 5,
					description: 'How closely to follow the prompt, 1 to 5',
				},
				{
					name: 'strength',
					kind: 'number',
					default: 0.7,
					min: 0,
					max: 1,
					description: 'How much to change the masked area, 0 to 1',
				},
				{
					name: 'safety_checker',
					kind: 'yesNo',
					default: false,
					description: 'Whether to run the NSFW safety checker',
				},
				// The reference's "true"/"false" note covers both flags; the OpenAPI declares both as "true"/"false" strings.
				{
					name: 'instant_response',
					kind: 'trueFalseString',
					default: false,
					description:
						'Whether to return the queued response at once instead of waiting a little for the result',
				},
				{
					name: 'base64',
					kind: 'trueFalseString',
					default: false,
					displayName: 'Base64',
					description: 'Whether to return the result as base64 instead of a link',
				},
			],
			example: {
				prompt: 'a red sofa',
				init_image: 'https://example.com/room.jpg',
				mask_image: 'https://example.com/sofa-mask.png',
			},
		}),
		generationSubmit({
			...editing('fashion'),
			displayName: 'Fashion (Try-On)',
			action: 'Try a garment on a person',
			description: 'Dress the person in an image in the garment of a second image',
			fields: [
				url('init_image', 'Public URL of the image of the person'),
				url('cloth_image', 'Public URL of the image of the garment'),
				{
					name: 'cloth_type',
					kind: 'options',
					required: true,
					options: ['upper_body', 'lower_body', 'dresses'],
					default: 'upper_body',
					description: 'Kind of garment',
				},
				prompt(false),
				steps213141,
				{
					name: 'guidance_scale',
					kind: 'integer',
					min: 1,
					max: 20,
					description: 'How closely to follow the prompt, 1 to 20',
				},
				{
					name: 'temp',
					kind: 'yesNo',
					default: false,
					description: 'Whether to use temporary links that expire after 24 hours',
				},
			],
			example: {
				init_image: 'https://example.com/model.jpg',
				cloth_image: 'https://example.com/shirt.jpg',
				cloth_type: 'upper_body',
			},
		}),
		generationSubmit({
			...editing('head_shot'),
			displayName: 'Headshot',
			action: 'Generate a headshot from a face',
			description: 'Generate portrait images that resemble a face photo',
			fields: [prompt(true), faceImage, ...headShotOptions],
			example: { prompt: 'headshot', face_image: 'https://example.com/face.jpg' },
			notice: 'Result links stop working after 24 hours',
		}),
		generationSubmit({
			...editing('flux_headshot'),
			displayName: 'Flux Headshot',
			action: 'Generate a headshot from a face with Flux',
			description: 'Generate Flux portrait images (up to 1024 px) that resemble a face photo',
			fields: [
				prompt(true),
				faceImage,
				{
					name: 'seed',
					kind: 'integer',
					required: true,
					nullable: true,
					description: 'Seed for reproducible results; leave empty to send null (random seed)',
				},
				{
					name: 'width',
					kind: 'integer',
					max: 1024,
					description: 'Width in pixels, at most 1024; defaults to the face image width',
				},
				{
					name: 'height',
					kind: 'integer',
					max: 1024,
					description: 'Height in pixels, at most 1024; defaults to the face image height',
				},
				{
					name: 'num_inference_steps',
					kind: 'integer',
					max: 26,
					displayName: 'Inference Steps',
					description: 'Denoising steps, at most 26',
				},
				{
					name: 'guidance_scale',
					kind: 'number',
					min: 1,
					max: 10,
					description: 'How closely to follow the prompt, 1 to 10',
				},
			],
			example: {
				prompt: 'professional headshot, office background',
				face_image: 'https://example.com/face.jpg',
				seed: null,
			},
			notice: 'Flux Headshot is an Enterprise feature',
		}),
		generationSubmit({
			...editing('face_gen'),
			displayName: 'Face Generation',
			action: 'Generate images of a face in a style',
			description: 'Generate images in a chosen style that resemble a face photo',
			// "As head_shot": guidance_scale 1–5 per the reference; the face_gen OpenAPI says 1–20.
			fields: [
				prompt(true),
				faceImage,
				...headShotOptions,
				{
					name: 'style',
					kind: 'options',
					options: ['comic', 'chibi', '3d', 'anime', 'realistic'],
					default: 'realistic',
					description: 'Style of the images',
				},
			],
			example: { prompt: 'portrait in a garden', face_image: 'https://example.com/face.jpg' },
			notice: 'Result links stop working after 24 hours',
		}),
		generationSubmit({
			...editing('img_mixer'),
			displayName: 'Image Mixer',
			action: 'Mix several images into one',
			description: 'Blend up to 4 images into one, guided by a prompt',
			fields: [
				prompt(true),
				{
					name: 'init_image',
					kind: 'stringList',
					required: true,
					max: 4,
					description: 'Public URLs of the images to mix, at most 4',
					file: { ...EDITING_IMAGE, list: true },
				},
				{
					name: 'width',
					kind: 'integer',
					max: 1024,
					description: 'Width in pixels, at most 1024; defaults to the input width',
				},
				{
					name: 'height',
					kind: 'integer',
					max: 1024,
					description: 'Height in pixels, at most 1024; defaults to the input height',
				},
				{
					name: 'steps',
					kind: 'integer',
					min: 1,
					max: 50,
					description: 'Denoising steps, 1 to 50',
				},
				{
					name: 'samples',
					kind: 'integer',
					min: 1,
					max: 1,
					description: 'Number of images; only 1 is allowed',
				},
			],
			example: {
				prompt: 'a cat made of teapots',
				init_image: ['https://example.com/cat.jpg', 'https://example.com/teapot.jpg'],
			},
		}),
		generationSubmit({
			...editing('qwen_edit'),
			displayName: 'Qwen Edit',
			action: 'Edit an image with instructions',
			description: 'Edit up to 4 images by instruction with Qwen Image Edit',
			fields: [
				prompt(true, 'The edit to make, in words'),
				{
					name: 'init_image',
					kind: 'stringOrList',
					required: true,
					max: 4,
					description: 'Public URL of the image to edit, or up to 4 URLs',
					file: { ...EDITING_IMAGE, list: true },
				},
				{
					name: 'model_id',
					kind: 'options',
					options: ['qwen-edit-2509', 'qwen-edit-2511'],
					default: 'qwen-edit-2509',
					displayName: 'Model ID',
					description: 'Qwen edit model version',
				},
			],
			example: { prompt: 'make the sky purple', init_image: ['https://example.com/photo.jpg'] },
		}),
		generationSubmit({
			...editing('caption'),
			displayName: 'Caption',
			action: 'Describe an image in words',
			description: 'Write a caption (a prompt) describing a PNG or JPG image',
			// The OpenAPI also marks `prompt` required; the reference treats that as a schema error, so no prompt field.
			fields: [
				url('init_image', 'Public URL of the PNG or JPG image to describe', true, {
					...EDITING_IMAGE,
					mimeTypes: ['image/png', 'image/jpeg'],
				}),
				{
					name: 'length',
					kind: 'options',
					options: ['short', 'normal', 'long'],
					default: 'normal',
					description: 'Length of the caption',
				},
			],
			example: { init_image: 'https://example.com/photo.png' },
		}),
		generationSubmit({
			...faceswap('single_face_swap'),
			displayName: 'Single Face Swap',
			action: 'Swap one specific face in an image',
			description: 'Swap the one face in an image that matches a reference image',
			fields: [
				url('init_image', 'Public URL of the initial image, with the face to replace'),
				url('target_image', 'Public URL of the target image, with the face to swap'),
				url('reference_image', 'Public URL of a reference image of the specific face to swap'),
				watermark,
			],
			example: {
				init_image: 'https://example.com/group.jpg',
				target_image: 'https://example.com/face.jpg',
				reference_image: 'https://example.com/reference.jpg',
			},
		}),
		generationSubmit({
			...faceswap('multiple_face_swap'),
			displayName: 'Multiple Face Swap',
			action: 'Swap all faces in an image',
			description: 'Swap all detected faces of an image with the faces of a target image',
			fields: [
				url('init_image', 'Public URL of the initial image, with the faces to replace'),
				url('target_image', 'Public URL of the target image, with the faces to swap in'),
				watermark,
			],
			example: {
				init_image: 'https://example.com/group.jpg',
				target_image: 'https://example.com/faces.jpg',
			},
		}),
		generationSubmit({
			...faceswap('single_video_swap'),
			displayName: 'Single Video Swap',
			action: 'Swap faces in a video',
			description: 'Swap all detected faces in a video (under 1 minute) with the face of an image',
			fields: [
				url('init_image', 'Public URL of the image with the face to use'),
				initVideo,
				outputFormatVideo,
				watermark,
			],
			example: {
				init_image: 'https://example.com/face.jpg',
				init_video: 'https://example.com/clip.mp4',
			},
		}),
		generationSubmit({
			...faceswap('specific_video_swap'),
			displayName: 'Specific Video Swap',
			action: 'Swap one specific face in a video',
			description:
				'Swap the face in a video (under 1 minute) that matches a reference image with the face of an image',
			fields: [
				url('init_image', 'Public URL of the image with the face to use'),
				initVideo,
				url(
					'reference_image',
					'Public URL of a reference image of the face in the video to replace',
				),
				outputFormatVideo,
				watermark,
			],
			example: {
				init_image: 'https://example.com/face.jpg',
				init_video: 'https://example.com/clip.mp4',
				reference_image: 'https://example.com/reference.jpg',
			},
		}),
		{
			type: 'read',
			category: 'imageEditing',
			operation: 'getResult',
			displayName: 'Get Result',
			action: 'Get the result of an image editing job',
			description:
				'Read an image-editing or face-swap job by its request ID; face-swap jobs are read the same way (their `fetch_result`), tried under /v6/faceswap/fetch and then /v6/deepfake/fetch when this path answers not found',
			method: 'POST',
			auth: 'bodyKey',
			path: '/v6/image_editing/fetch/{request_id}',
			alternatePaths: ['/v6/faceswap/fetch/{request_id}', '/v6/deepfake/fetch/{request_id}'],
			jobKind: 'generation',
			pathFields: ['request_id'],
			fields: [
				{
					name: 'request_id',
					kind: 'string',
					required: true,
					displayName: 'Request ID',
					description: 'The `id` ModelsLab returned when the job was submitted',
				},
			],
			example: { request_id: '134701497' },
		},
	],
};
