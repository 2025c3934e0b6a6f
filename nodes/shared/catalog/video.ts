import { generationSubmit, type CategorySpec, type FieldSpec } from './types';
import { V7_VIDEO_ENDPOINTS } from './v7/video';

// The OpenAPI enums for text2video ([cogvideox|wanx]) and img2video ([svd]) disagree with the doc
// pages, which accept only wan2.2 and ltx-2.3 (anything else falls back to wan2.2); we follow the
// pages and the reference's minimal bodies (docs/modelslab-api.md §3.2, §8 item 3).
const VIDEO_MODELS = ['wan2.2', 'ltx-2.3'] as const;

const modelId = (description: string): FieldSpec => ({
	name: 'model_id',
	kind: 'options',
	required: true,
	options: VIDEO_MODELS,
	default: 'wan2.2',
	displayName: 'Model ID',
	description,
});

const prompt = (required: boolean): FieldSpec => ({
	name: 'prompt',
	kind: 'string',
	required,
	multiline: true,
	description: 'What the video should show',
});

// Binary data is uploaded through the general base64_to_url: /v6/video/base64_to_url takes
// videos (`init_obj`, video/*), and these fields take an image (docs/modelslab-api.md §2).
const initImage: FieldSpec = {
	name: 'init_image',
	kind: 'string',
	required: true,
	description: 'Public URL of the image to animate',
	file: { kind: 'image', upload: 'general' },
};
const negativePrompt: FieldSpec = {
	name: 'negative_prompt',
	kind: 'string',
	multiline: true,
	description: 'What the video should not show',
};
const seed: FieldSpec = {
	name: 'seed',
	kind: 'integer',
	nullable: true,
	description: 'Seed for reproducible results; leave empty for a random seed',
};
const fps: FieldSpec = {
	name: 'fps',
	kind: 'integer',
	max: 16,
	displayName: 'FPS',
	description: 'Frames per second of the video, at most 16',
};
const temp: FieldSpec = {
	name: 'temp',
	kind: 'boolean',
	default: false,
	description: 'Whether to use temporary storage whose links expire after 24 hours',
};

/** Fields shared by text2video_ultra and img2video_ultra. */
const ultraOptions = (maxSteps: number): readonly FieldSpec[] => [
	negativePrompt,
	seed,
	{ name: 'num_frames', kind: 'integer', default: 81, description: 'Number of frames to generate' },
	{
		name: 'num_inference_steps',
		kind: 'integer',
		default: 25,
		max: maxSteps,
		displayName: 'Inference Steps',
		description: `Denoising steps, at most ${maxSteps}`,
	},
	{
		name: 'guidance_scale',
		kind: 'number',
		min: 0,
		max: 8,
		description: 'How closely to follow the prompt, 0 to 8',
	},
	fps,
	{
		name: 'portrait',
		kind: 'boolean',
		default: false,
		description: 'Whether to render in 9:16 portrait format',
	},
	// The doc example spells it `shift_sample`; the OpenAPI property is `sample_shift`, which we send (docs/modelslab-api.md §3.2).
	{
		name: 'sample_shift',
		kind: 'integer',
		default: 5,
		max: 10,
		description: 'Sampling shift of the generation process, at most 10',
	},
	temp,
];

const FETCH = '/v6/video/fetch/{id}';

export const videoCategory: CategorySpec = {
	category: 'video',
	defaultWaitMinutes: 60,
	defaultFetchPath: FETCH,
	endpoints: [
		generationSubmit({
			category: 'video',
			operation: 'text2video',
			displayName: 'Text to Video',
			action: 'Generate a video from text',
			description: 'Generate a short video (at most 512 px and 25 frames) from a prompt',
			path: '/v6/video/text2video',
			fetchPath: FETCH,
			trackId: 'string',
			fields: [
				modelId('Video model: wan2.2 or ltx-2.3; other values fall back to wan2.2'),
				prompt(true),
				negativePrompt,
				seed,
				{
					name: 'width',
					kind: 'integer',
					default: 512,
					max: 512,
					description: 'Width in pixels, at most 512',
				},
				{
					name: 'height',
					kind: 'integer',
					default: 512,
					max: 512,
					description: 'Height in pixels, at most 512',
				},
				{
					name: 'num_frames',
					kind: 'integer',
					default: 25,
					max: 25,
					description: 'Number of frames, at most 25',
				},
				{
					name: 'num_inference_steps',
					kind: 'integer',
					default: 20,
					max: 50,
					displayName: 'Inference Steps',
					description: 'Denoising steps, at most 50',
				},
				{
					name: 'guidance_scale',
					kind: 'number',
					default: 7,
					min: 0,
					max: 8,
					description: 'How closely to follow the prompt, 0 to 8',
				},
				{
					name: 'clip_skip',
					kind: 'integer',
					displayName: 'CLIP Skip',
					description: 'CLIP layers to skip',
				},
				{
					name: 'upscale_height',
					kind: 'integer',
					default: 640,
					description: 'Height in pixels of the upscaled video',
				},
				{
					name: 'upscale_width',
					kind: 'integer',
					default: 1024,
					description: 'Width in pixels of the upscaled video',
				},
				{
					name: 'upscale_strength',
					kind: 'number',
					default: 0.6,
					description: 'How strongly upscaling changes the video',
				},
				{
					name: 'upscale_guidance_scale',
					kind: 'number',
					default: 12,
					description: 'How closely the upscaling follows the prompt',
				},
				{
					name: 'upscale_num_inference_steps',
					kind: 'integer',
					default: 20,
					displayName: 'Upscale Inference Steps',
					description: 'Denoising steps of the upscaling',
				},
				{
					name: 'use_improved_sampling',
					kind: 'boolean',
					default: false,
					description: 'Whether to use improved sampling for better temporal consistency',
				},
				{
					name: 'improved_sampling_seed',
					kind: 'integer',
					description: 'Seed for the improved sampling',
				},
				fps,
				{
					name: 'output_type',
					kind: 'options',
					options: ['mp4', 'gif'],
					default: 'gif',
					description: 'File format of the video',
				},
				{
					name: 'instant_response',
					kind: 'boolean',
					default: false,
					description:
						'Whether to return the queued response at once instead of waiting a little for the result',
				},
				temp,
			],
			example: {
				model_id: 'wan2.2',
				prompt: 'waves at sunset',
				num_frames: 25,
				output_type: 'mp4',
			},
		}),
		generationSubmit({
			category: 'video',
			operation: 'img2video',
			displayName: 'Image to Video',
			action: 'Generate a video from an image',
			description: 'Animate an image into a short video (at most 512 px and 25 frames)',
			path: '/v6/video/img2video',
			fetchPath: FETCH,
			trackId: 'string',
			fields: [
				modelId('Video model: wan2.2 or ltx-2.3'),
				initImage,
				prompt(false),
				negativePrompt,
				{ name: 'width', kind: 'integer', max: 512, description: 'Width in pixels, at most 512' },
				{ name: 'height', kind: 'integer', max: 512, description: 'Height in pixels, at most 512' },
				{
					name: 'num_frames',
					kind: 'integer',
					default: 16,
					max: 25,
					description: 'Number of frames, at most 25',
				},
				{
					name: 'num_inference_steps',
					kind: 'integer',
					default: 20,
					displayName: 'Inference Steps',
					description: 'Denoising steps',
				},
				{
					name: 'min_guidance_scale',
					kind: 'number',
					default: 1,
					min: 1,
					max: 8,
					description: 'Guidance scale at the first frame, 1 to 8',
				},
				{
					name: 'max_guidance_scale',
					kind: 'number',
					default: 3,
					min: 1,
					max: 8,
					description: 'Guidance scale at the last frame, 1 to 8',
				},
				{
					name: 'motion_bucket_id',
					kind: 'integer',
					default: 127,
					displayName: 'Motion Bucket ID',
					description: 'Amount of motion; higher values move more',
				},
				{
					name: 'noise_aug_strength',
					kind: 'number',
					min: 0,
					max: 1,
					displayName: 'Noise Augmentation Strength',
					description: 'Noise added to the init image, 0 to 1',
				},
				fps,
				{
					name: 'output_type',
					kind: 'options',
					options: ['mp4', 'gif'],
					default: 'mp4',
					description: 'File format of the video',
				},
				temp,
			],
			example: { model_id: 'wan2.2', init_image: 'https://example.com/portrait.jpg' },
		}),
		generationSubmit({
			category: 'video',
			operation: 'text2video_ultra',
			displayName: 'Text to Video Ultra',
			action: 'Generate a high-quality video from text',
			description:
				'Generate a higher-quality video (up to 480p) from a prompt with wan2.2 or ltx-2.3',
			path: '/v6/video/text2video_ultra',
			fetchPath: FETCH,
			trackId: 'string',
			fields: [
				modelId('Video model: wan2.2 or ltx-2.3'),
				prompt(true),
				{
					name: 'resolution',
					kind: 'integer',
					max: 480,
					description: 'Output resolution in pixels (short side), at most 480',
				},
				...ultraOptions(30),
			],
			example: { model_id: 'wan2.2', prompt: 'space station', resolution: 480 },
			notice: 'Text to Video Ultra costs $0.2 per call',
		}),
		generationSubmit({
			category: 'video',
			operation: 'img2video_ultra',
			displayName: 'Image to Video Ultra',
			action: 'Generate a high-quality video from an image',
			description:
				'Animate an image into a higher-quality video (wan2.2 up to 720p) guided by a prompt',
			path: '/v6/video/img2video_ultra',
			fetchPath: FETCH,
			trackId: 'string',
			fields: [
				modelId('Video model: wan2.2 or ltx-2.3'),
				initImage,
				prompt(true),
				{
					name: 'resolution',
					kind: 'integer',
					max: 720,
					description: 'Output resolution in pixels (short side); wan2.2 allows up to 720',
				},
				...ultraOptions(25),
				{
					name: 'base64',
					kind: 'boolean',
					default: false,
					displayName: 'Base64',
					description: 'Whether the init image is given as base64 data instead of a URL',
				},
			],
			example: {
				model_id: 'wan2.2',
				init_image: 'https://example.com/character.png',
				prompt: 'moving character',
				resolution: 480,
			},
		}),
		generationSubmit({
			category: 'video',
			operation: 'watermark_remover',
			displayName: 'Watermark Remover',
			action: 'Remove a watermark from a video',
			description: 'Remove the watermark from a video',
			path: '/v6/video/watermark_remover',
			fetchPath: FETCH,
			trackId: 'string',
			fields: [
				// Binary data goes through /v6/video/base64_to_url (field `init_obj`, video/*), the
				// only upload for videos (docs/modelslab-api.md §2).
				{
					name: 'init_video',
					kind: 'string',
					required: true,
					description: 'Public URL of the video with the watermark',
					file: { kind: 'video', upload: 'video' },
				},
			],
			example: { init_video: 'https://example.com/clip.mp4' },
		}),
		...V7_VIDEO_ENDPOINTS,
		{
			type: 'read',
			category: 'video',
			operation: 'getResult',
			displayName: 'Get Result',
			action: 'Get the result of a video job',
			description:
				'Read a video job by its request ID, from the v6 or the v7 (provider models) fetch endpoint',
			method: 'POST',
			auth: 'bodyKey',
			path: '/v6/video/fetch/{request_id}',
			// A request id does not say which API made the job: v7 provider-model jobs live under v7.
			alternatePaths: ['/v7/video-fusion/fetch/{request_id}'],
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
