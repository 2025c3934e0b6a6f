import { generationSubmit, type CategorySpec, type FieldSpec, type FileInput } from './types';
import { V7_IMAGE_ENDPOINTS } from './v7/images';

const SCHEDULERS = [
	'DDPMScheduler',
	'DDIMScheduler',
	'PNDMScheduler',
	'LMSDiscreteScheduler',
	'EulerDiscreteScheduler',
	'EulerAncestralDiscreteScheduler',
	'DPMSolverMultistepScheduler',
	'HeunDiscreteScheduler',
	'KDPM2DiscreteScheduler',
	'DPMSolverSinglestepScheduler',
	'KDPM2AncestralDiscreteScheduler',
	'UniPCMultistepScheduler',
	'DDIMInverseScheduler',
	'DEISMultistepScheduler',
	'IPNDMScheduler',
	'KarrasVeScheduler',
	'ScoreSdeVeScheduler',
	'LCMScheduler',
] as const;

const CONTROLNET_MODELS = [
	'canny',
	'depth',
	'hed',
	'mlsd',
	'normal',
	'openpose',
	'scribble',
	'segmentation',
	'inpaint',
	'softedge',
	'lineart',
	'shuffle',
	'tile',
	'face_detector',
	'qrcode',
	'blur',
	'pose',
	'gray',
	'low_quality',
] as const;

const modelId = (example: string): FieldSpec => ({
	name: 'model_id',
	kind: 'string',
	required: true,
	displayName: 'Model ID',
	description: `ModelsLab model to run, e.g. ${example}, or the ID of a model you trained`,
	placeholder: example,
	picker: 'models',
});

/**
 * Image inputs. Binary data goes through the general `/v6/base64_to_url` (docs/modelslab-api.md
 * §2 "Inputs"): the image endpoints have no upload of their own, and the general one is the one
 * documented with its 5 MB limit and 24 h lifetime. Never inline, although these endpoints take
 * data URIs: ModelsLab repeats every request parameter in the `meta` of its answers and
 * callbacks (§4), so an inline file would come back in each of them and in the output items.
 */
const IMAGE_FILE: FileInput = { kind: 'image' };

const prompt = (required: boolean): FieldSpec => ({
	name: 'prompt',
	kind: 'string',
	required,
	multiline: true,
	description: 'What the image should show',
});

/**
 * Options shared by text2img, img2img and inpaint on the community-models endpoints. The switches
 * go out as "yes"/"no": the OpenAPI types them boolean, but the 2025 parameter tables, every doc
 * example and the Python, JS and Go SDKs send the strings (docs/modelslab-api.md §3.1).
 */
const communityOptions: readonly FieldSpec[] = [
	{
		name: 'negative_prompt',
		kind: 'string',
		multiline: true,
		description: 'What the image should not show (ignored by Flux)',
	},
	{
		name: 'width',
		kind: 'integer',
		default: 512,
		min: 64,
		max: 1024,
		description: 'Width in pixels, at most 1024',
	},
	{
		name: 'height',
		kind: 'integer',
		default: 512,
		min: 64,
		max: 1024,
		description: 'Height in pixels, at most 1024',
	},
	{
		name: 'samples',
		kind: 'integer',
		default: 1,
		min: 1,
		max: 4,
		description: 'Number of images to generate, 1 to 4',
	},
	{
		name: 'num_inference_steps',
		kind: 'integer',
		default: 31,
		min: 1,
		max: 50,
		displayName: 'Inference Steps',
		description: 'Denoising steps; community models cap at 20, Flux allows up to 50',
	},
	{
		name: 'guidance_scale',
		kind: 'number',
		default: 7.5,
		min: 1,
		max: 20,
		description: 'How closely to follow the prompt, 1 to 20',
	},
	{
		name: 'seed',
		kind: 'integer',
		nullable: true,
		description: 'Seed for reproducible results; leave empty for a random seed',
	},
	{
		name: 'safety_checker',
		kind: 'yesNo',
		default: false,
		description: 'Whether to run the NSFW safety checker on the output',
	},
	{
		name: 'safety_checker_type',
		kind: 'options',
		options: ['sensitive_content_text', 'blur', 'pixelate', 'black'],
		default: 'sensitive_content_text',
		description: 'What the safety checker does to a flagged image',
	},
	{
		name: 'enhance_prompt',
		kind: 'yesNo',
		default: false,
		description: 'Whether ModelsLab should expand the prompt',
	},
	{
		name: 'scheduler',
		kind: 'options',
		options: SCHEDULERS,
		default: 'UniPCMultistepScheduler',
		description: 'Diffusers scheduler to sample with',
	},
	{
		name: 'use_karras_sigmas',
		kind: 'yesNo',
		default: true,
		description: 'Whether to use Karras sigmas for the scheduler',
	},
	{
		name: 'algorithm_type',
		kind: 'options',
		options: ['none', 'dpmsolver+++'],
		default: 'none',
		description: 'Solver algorithm for DPM schedulers',
	},
	{ name: 'vae', kind: 'string', displayName: 'VAE', description: 'Custom VAE model ID' },
	{
		name: 'lora_model',
		kind: 'string',
		displayName: 'LoRA Model',
		description: 'Comma-separated LoRA model IDs',
		picker: 'loraModels',
	},
	{
		name: 'lora_strength',
		kind: 'string',
		displayName: 'LoRA Strength',
		description: 'Comma-separated strengths from 0.1 to 1, one per LoRA model',
	},
	{
		name: 'clip_skip',
		kind: 'integer',
		default: 2,
		min: 1,
		max: 8,
		displayName: 'CLIP Skip',
		description: 'CLIP layers to skip, 1 to 8',
	},
	{
		name: 'ip_adapter_id',
		kind: 'options',
		options: [
			'ip-adapter_sdxl',
			'ip-adapter_sd15',
			'ip-adapter-plus-face_sd15',
			'ip-adapter-plus_sdxl_vit-h',
			'ip-adapter-plus-face_sdxl_vit-h',
		],
		default: 'ip-adapter_sdxl',
		displayName: 'IP Adapter ID',
		description: 'IP adapter to condition on a reference image',
	},
	{
		name: 'ip_adapter_scale',
		kind: 'number',
		min: 0,
		max: 1,
		displayName: 'IP Adapter Scale',
		description: 'Strength of the IP adapter, 0 to 1',
	},
	{
		name: 'ip_adapter_image',
		kind: 'string',
		displayName: 'IP Adapter Image',
		description: 'Public URL of the IP adapter reference image',
		file: IMAGE_FILE,
	},
	{
		name: 'multi_lingual',
		kind: 'yesNo',
		default: false,
		description: 'Whether the prompt may be in a language other than English',
	},
	{
		name: 'upscale',
		kind: 'yesNo',
		default: false,
		description: 'Whether to upscale the result 2x',
	},
	{
		name: 'highres_fix',
		kind: 'yesNo',
		default: false,
		description: 'Whether to apply the high-resolution fix',
	},
	{
		name: 'base64',
		kind: 'yesNo',
		default: false,
		displayName: 'Base64',
		description: 'Whether to return images as base64 instead of links',
	},
	{
		name: 'temp',
		kind: 'yesNo',
		default: false,
		description: 'Whether to use temporary links that expire after 24 hours',
	},
];

const strength: FieldSpec = {
	name: 'strength',
	kind: 'number',
	min: 0,
	max: 1,
	description: 'How much to change the init image, 0 (keep) to 1 (replace)',
};
const initImage: FieldSpec = {
	name: 'init_image',
	kind: 'string',
	required: true,
	description: 'Public URL of the input image',
	file: IMAGE_FILE,
};
const maskImage: FieldSpec = {
	name: 'mask_image',
	kind: 'string',
	required: true,
	description: 'Public URL of the mask: white areas are repainted',
	file: IMAGE_FILE,
};

const FETCH = '/v6/images/fetch/{id}';
const REALTIME_FETCH = '/v6/realtime/fetch/{id}';

/**
 * Realtime (docs/modelslab-api.md §3.1 "Realtime"): fast, standard quality, no `model_id`; a
 * string track_id and its own fetch path. Option value `realtime_<name>` for path `<name>`.
 */
const realtime = (name: string) =>
	({
		category: 'image',
		operation: `realtime_${name}`,
		path: `/v6/realtime/${name}`,
		fetchPath: REALTIME_FETCH,
		trackId: 'string',
	}) as const;

/**
 * The realtime options of the family's OpenAPI. Unlike the community endpoints its switches are
 * JSON booleans, as its doc examples send them; the SDKs do not list them.
 */
const realtimeOptions: readonly FieldSpec[] = [
	{
		name: 'negative_prompt',
		kind: 'string',
		multiline: true,
		description: 'What the image should not show',
	},
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
		default: 1,
		min: 1,
		max: 4,
		description: 'Number of images to generate, 1 to 4',
	},
	{
		name: 'seed',
		kind: 'integer',
		nullable: true,
		description: 'Seed for reproducible results; leave empty for a random seed',
	},
	{
		name: 'safety_checker',
		kind: 'boolean',
		default: false,
		description: 'Whether to replace NSFW images with a blank image',
	},
	{
		name: 'instant_response',
		kind: 'boolean',
		default: false,
		description:
			'Whether to return the queued response at once instead of waiting a little for the result',
	},
	{
		name: 'base64',
		kind: 'boolean',
		default: false,
		displayName: 'Base64',
		description: 'Whether to return images as base64 instead of links',
	},
];

export const imageCategory: CategorySpec = {
	category: 'image',
	defaultWaitMinutes: 15,
	defaultFetchPath: FETCH,
	endpoints: [
		generationSubmit({
			category: 'image',
			operation: 'text2img',
			displayName: 'Text to Image',
			action: 'Generate an image from text',
			description: 'Generate images from a prompt with a community model or Flux',
			path: '/v6/images/text2img',
			fetchPath: FETCH,
			trackId: 'string',
			fields: [modelId('flux'), prompt(true), ...communityOptions],
			example: { model_id: 'flux', prompt: 'a red apple', width: 512, height: 512, samples: 1 },
		}),
		generationSubmit({
			category: 'image',
			operation: 'img2img',
			displayName: 'Image to Image',
			action: 'Transform an image with a prompt',
			description:
				'Generate images from an init image and a prompt; the output has the init image size',
			path: '/v6/images/img2img',
			fetchPath: FETCH,
			trackId: 'string',
			fields: [
				modelId('realistic-vision-51'),
				initImage,
				prompt(false),
				strength,
				...communityOptions,
			],
			example: {
				model_id: 'realistic-vision-51',
				prompt: 'women playing tennis',
				init_image: 'https://example.com/tennis.jpg',
				strength: 0.7,
			},
		}),
		generationSubmit({
			category: 'image',
			operation: 'inpaint',
			displayName: 'Inpaint',
			action: 'Repaint the masked part of an image',
			description: 'Repaint the white area of a mask on an init image',
			path: '/v6/images/inpaint',
			fetchPath: FETCH,
			trackId: 'string',
			fields: [
				modelId('lazymixv4-inpaint'),
				initImage,
				maskImage,
				prompt(false),
				strength,
				...communityOptions,
			],
			example: {
				model_id: 'lazymixv4-inpaint',
				prompt: 'a cat on a bench',
				init_image: 'https://example.com/bench.png',
				mask_image: 'https://example.com/mask.png',
			},
		}),
		generationSubmit({
			category: 'image',
			operation: 'controlnet',
			displayName: 'ControlNet',
			action: 'Generate an image guided by ControlNet',
			description:
				'Generate images that follow the structure of a control image (edges, depth, pose, ...)',
			path: '/v5/controlnet',
			// Queued controlnet responses point at the images fetch endpoint (docs/modelslab-api.md §3.1).
			fetchPath: FETCH,
			trackId: 'integer',
			fields: [
				modelId('realistic-vision-51'),
				{
					name: 'controlnet_model',
					kind: 'string',
					required: true,
					displayName: 'ControlNet Model',
					description: `ControlNet model, or a comma-separated list for multi-ControlNet: ${CONTROLNET_MODELS.join(', ')}`,
					placeholder: 'canny',
				},
				{
					name: 'controlnet_type',
					kind: 'string',
					required: true,
					displayName: 'ControlNet Type',
					description:
						'ControlNet type, usually the same as the model (comma-separated for multi-ControlNet)',
					placeholder: 'canny',
				},
				initImage,
				{
					name: 'prompt',
					kind: 'string',
					multiline: true,
					description: 'What the image should show',
				},
				{
					name: 'negative_prompt',
					kind: 'string',
					multiline: true,
					description: 'What the image should not show',
				},
				{
					name: 'control_image',
					kind: 'string',
					description: 'Public URL of a ready-made control image (skips hint extraction)',
					file: IMAGE_FILE,
				},
				{
					name: 'mask_image',
					kind: 'string',
					description: 'Public URL of the mask, for the inpaint ControlNet',
					file: IMAGE_FILE,
				},
				{
					name: 'auto_hint',
					kind: 'yesNo',
					default: true,
					description: 'Whether to extract the control hint from the init image',
				},
				{
					name: 'guess_mode',
					kind: 'yesNo',
					default: false,
					description: 'Whether to let ControlNet guess the content without a prompt',
				},
				{
					name: 'width',
					kind: 'integer',
					default: 512,
					min: 64,
					max: 1024,
					description: 'Width in pixels, 64 to 1024',
				},
				{
					name: 'height',
					kind: 'integer',
					default: 512,
					min: 64,
					max: 1024,
					description: 'Height in pixels, 64 to 1024',
				},
				{
					name: 'samples',
					kind: 'integer',
					default: 1,
					min: 1,
					max: 4,
					description: 'Number of images, 1 to 4',
				},
				{
					name: 'scheduler',
					kind: 'options',
					options: SCHEDULERS,
					default: 'UniPCMultistepScheduler',
					description: 'Diffusers scheduler to sample with',
				},
				{
					name: 'num_inference_steps',
					kind: 'integerOptions',
					options: ['21', '31'],
					default: '31',
					displayName: 'Inference Steps',
					description: 'Denoising steps: 21 or 31',
				},
				{
					name: 'controlnet_conditioning_scale',
					kind: 'number',
					min: 0.1,
					max: 5,
					displayName: 'ControlNet Conditioning Scale',
					description: 'How strongly the control image guides the result, 0.1 to 5',
				},
				{
					name: 'strength',
					kind: 'number',
					default: 0.55,
					min: 0,
					max: 1,
					description: 'How much to change the init image, 0 to 1',
				},
				{
					name: 'guidance_scale',
					kind: 'number',
					default: 7.5,
					min: 1,
					max: 20,
					description: 'How closely to follow the prompt, 1 to 20',
				},
				{
					name: 'seed',
					kind: 'integer',
					nullable: true,
					description: 'Seed for reproducible results; leave empty for a random seed',
				},
				{
					name: 'clip_skip',
					kind: 'integer',
					min: 1,
					max: 8,
					displayName: 'CLIP Skip',
					description: 'CLIP layers to skip, 1 to 8',
				},
				{
					name: 'tomesd',
					kind: 'yesNo',
					default: true,
					displayName: 'ToMe SD',
					description: 'Whether to use token merging to speed up generation',
				},
				{
					name: 'use_karras_sigmas',
					kind: 'yesNo',
					default: true,
					description: 'Whether to use Karras sigmas',
				},
				{
					name: 'safety_checker',
					kind: 'yesNo',
					default: false,
					description: 'Whether to run the NSFW safety checker',
				},
				{
					name: 'upscale',
					kind: 'yesNo',
					default: false,
					description: 'Whether to upscale the result',
				},
				{
					name: 'enhance_prompt',
					kind: 'yesNo',
					default: false,
					description: 'Whether ModelsLab should expand the prompt',
				},
				{
					name: 'base64',
					kind: 'yesNo',
					default: false,
					displayName: 'Base64',
					description: 'Whether to return images as base64',
				},
				{
					name: 'temp',
					kind: 'yesNo',
					default: false,
					description: 'Whether to use temporary links that expire after 24 hours',
				},
			],
			example: {
				model_id: 'realistic-vision-51',
				controlnet_model: 'canny',
				controlnet_type: 'canny',
				auto_hint: 'yes',
				prompt: 'a house',
				init_image: 'https://example.com/house.png',
			},
		}),
		generationSubmit({
			...realtime('text2img'),
			displayName: 'Realtime Text to Image',
			action: 'Generate an image from text quickly',
			description: 'Generate images from a prompt with the fast, standard-quality realtime model',
			fields: [prompt(true), ...realtimeOptions],
			example: { prompt: 'portrait of a woman in the rain', width: 512, height: 512 },
		}),
		generationSubmit({
			...realtime('img2img'),
			displayName: 'Realtime Image to Image',
			action: 'Transform an image with a prompt quickly',
			description: 'Generate images from an init image and a prompt with the realtime model',
			fields: [prompt(true), initImage, strength, ...realtimeOptions],
			example: {
				prompt: 'a cat sitting on a bench',
				init_image: 'https://example.com/bench.png',
				strength: 0.7,
			},
		}),
		generationSubmit({
			...realtime('inpaint'),
			displayName: 'Realtime Inpaint',
			action: 'Repaint the masked part of an image quickly',
			description: 'Repaint the white area of a mask on an init image with the realtime model',
			fields: [prompt(true), initImage, maskImage, strength, ...realtimeOptions],
			example: {
				prompt: 'a cat sitting on a bench',
				init_image: 'https://example.com/bench.png',
				mask_image: 'https://example.com/mask.png',
			},
		}),
		...V7_IMAGE_ENDPOINTS,
		{
			type: 'read',
			category: 'image',
			operation: 'getResult',
			displayName: 'Get Result',
			action: 'Get the result of an image job',
			description:
				'Read an image job by its request ID, from the v6, the v7 (provider models) or the realtime fetch endpoint',
			method: 'POST',
			auth: 'bodyKey',
			path: '/v6/images/fetch/{request_id}',
			// A request id does not say which API made the job: v7 provider-model jobs live under v7.
			// Realtime jobs are read under their own family.
			alternatePaths: ['/v7/images/fetch/{request_id}', '/v6/realtime/fetch/{request_id}'],
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
