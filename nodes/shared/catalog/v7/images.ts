import type { FieldSpec, SubmitEndpointSpec } from '../types';
import { aspectRatio, fileField, freeAspectRatio, image, pixels, prompt } from './fields';
import { v7Operation } from './operation';

/**
 * v7 image operations (docs/modelslab-api.md §3.1 "v7 images"): one entry per operation, each
 * provider model with its own fields (ModelsLab's Python SDK at c060340). Results are read at
 * the family's v7 fetch path.
 */
const V7_IMAGES_FETCH = '/v7/images/fetch/{id}';

const SEEDREAM_RATIOS = ['1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3', '21:9'] as const;
// Unlike Seedream 4.5 text to image, the SDK does not list 3:4 for its image-to-image model.
const SEEDREAM_EDIT_RATIOS = ['1:1', '4:3', '16:9', '9:16', '3:2', '2:3', '21:9'] as const;
const IMAGEN_RATIOS = ['1:1', '3:4', '4:3', '9:16', '16:9'] as const;
const KONTEXT_RATIOS = ['1:1', '21:9', '16:9', '4:3', '3:2', '2:3', '3:4', '9:16', '9:21'] as const;

const describeImage = prompt('What the image should show');
// Imagen 4 Fast and Ultra count the prompt in tokens (480 at most), which we cannot check here.
const imagenPrompt = prompt('What the image should show, at most 480 tokens');
const editPrompt = prompt('What to change in the image, or what the result should look like');

const secondImage = (description: string): FieldSpec =>
	fileField('init_image_2', 'image', description);

const EXAMPLE_IMAGE = 'https://example.com/photo.png';
const EXAMPLE_IMAGE_2 = 'https://example.com/style.png';

export const v7TextToImage: SubmitEndpointSpec = v7Operation({
	category: 'image',
	operation: 'v7_text_to_image',
	displayName: 'Text to Image (Provider Models)',
	action: 'Generate an image from text with a provider model',
	description:
		'Generate an image from a prompt with a provider model: Google Imagen and Nano Banana, FLUX.2, Seedream, Runway Gen-4',
	path: '/v7/images/text-to-image',
	fetchPath: V7_IMAGES_FETCH,
	models: [
		{
			id: 'imagen-4',
			provider: 'Google',
			displayName: 'Imagen 4',
			fields: [describeImage, aspectRatio(IMAGEN_RATIOS, true)],
			example: { prompt: 'a lighthouse at dawn', aspect_ratio: '16:9' },
		},
		{
			id: 'imagen-3',
			provider: 'Google',
			displayName: 'Imagen 3',
			fields: [describeImage],
			example: { prompt: 'a lighthouse at dawn' },
		},
		{
			id: 'imagen-4.0-fast-generate',
			provider: 'Google',
			displayName: 'Imagen 4 Fast',
			fields: [imagenPrompt, aspectRatio(IMAGEN_RATIOS, true)],
			example: { prompt: 'a lighthouse at dawn', aspect_ratio: '1:1' },
		},
		{
			id: 'imagen-4.0-ultra',
			provider: 'Google',
			displayName: 'Imagen 4 Ultra',
			fields: [
				imagenPrompt,
				aspectRatio(IMAGEN_RATIOS, true),
				{
					name: 'samples',
					kind: 'integer',
					min: 1,
					max: 4,
					default: 1,
					description: 'Number of images to generate, 1 to 4',
				},
			],
			example: { prompt: 'a lighthouse at dawn', aspect_ratio: '9:16' },
		},
		{
			id: 'nano-banana-t2i',
			provider: 'Google',
			displayName: 'Nano Banana',
			fields: [describeImage],
			example: { prompt: 'a lighthouse at dawn' },
		},
		{
			id: 'nano-banana-pro',
			provider: 'Google',
			displayName: 'Nano Banana Pro',
			// The SDK names no allowed values for this model's aspect ratio.
			fields: [describeImage, freeAspectRatio(false)],
			example: { prompt: 'a lighthouse at dawn' },
		},
		{
			id: 'flux-2-pro',
			provider: 'Black Forest Labs',
			displayName: 'FLUX.2 Pro',
			fields: [describeImage, pixels('width', 512, 1024), pixels('height', 512, 1024)],
			example: { prompt: 'a lighthouse at dawn', width: 1024, height: 768 },
		},
		{
			id: 'seedream-t2i',
			provider: 'ByteDance',
			displayName: 'Seedream',
			fields: [describeImage, pixels('width', 512, 1024), pixels('height', 512, 1024)],
			example: { prompt: 'a lighthouse at dawn', width: 768, height: 1024 },
		},
		{
			id: 'seedream-4',
			provider: 'ByteDance',
			displayName: 'Seedream 4.0',
			fields: [describeImage, aspectRatio(SEEDREAM_RATIOS, true)],
			example: { prompt: 'a lighthouse at dawn', aspect_ratio: '4:3' },
		},
		{
			id: 'seedream-4.5',
			provider: 'ByteDance',
			displayName: 'Seedream 4.5',
			fields: [describeImage, aspectRatio(SEEDREAM_RATIOS, true)],
			example: { prompt: 'a lighthouse at dawn', aspect_ratio: '21:9' },
		},
		{
			id: 'gen4_image',
			provider: 'Runway',
			displayName: 'Gen-4 Image',
			// Open list: the SDK gives 16:9, 9:16, 1:1 and pixel ratios such as 1920:1080 as examples.
			fields: [describeImage, freeAspectRatio(true, '1920:1080')],
			example: { prompt: 'a lighthouse at dawn', aspect_ratio: '1920:1080' },
		},
	],
});

export const v7ImageToImage: SubmitEndpointSpec = v7Operation({
	category: 'image',
	operation: 'v7_image_to_image',
	displayName: 'Image to Image (Provider Models)',
	action: 'Edit an image with a provider model',
	description:
		'Edit or transform images guided by a prompt with a provider model: Nano Banana, FLUX Kontext and FLUX.2, SeedEdit and Seedream, Runway Gen-4',
	path: '/v7/images/image-to-image',
	fetchPath: V7_IMAGES_FETCH,
	models: [
		{
			id: 'nano-banana-pro',
			provider: 'Google',
			displayName: 'Nano Banana Pro',
			// The SDK types this field `Any`; its text says up to 14 images go in one request.
			fields: [
				editPrompt,
				image('Images to edit, up to 14', { list: true, max: 14 }),
				freeAspectRatio(false),
			],
			example: { prompt: 'make it a watercolor', init_image: [EXAMPLE_IMAGE] },
		},
		{
			id: 'nano-banana',
			provider: 'Google',
			displayName: 'Nano Banana',
			// The SDK requires both images.
			fields: [
				editPrompt,
				image('First image to combine or edit'),
				secondImage('Second image to combine with the first'),
			],
			example: {
				prompt: 'put the cat from the first image into the second',
				init_image: EXAMPLE_IMAGE,
				init_image_2: EXAMPLE_IMAGE_2,
			},
		},
		{
			id: 'flux-kontext-pro',
			provider: 'Black Forest Labs',
			displayName: 'FLUX.1 Kontext Pro',
			fields: [image('Image to edit'), editPrompt, aspectRatio(KONTEXT_RATIOS, false)],
			example: { init_image: EXAMPLE_IMAGE, prompt: 'make it a watercolor' },
		},
		{
			id: 'flux-2-pro',
			provider: 'Black Forest Labs',
			displayName: 'FLUX.2 Pro',
			// The SDK types this field `Any`; its text says up to 10 reference images.
			fields: [
				image('Reference images (JPEG or PNG), up to 10', { list: true, max: 10 }),
				editPrompt,
			],
			example: { init_image: [EXAMPLE_IMAGE, EXAMPLE_IMAGE_2], prompt: 'the same scene at night' },
		},
		{
			id: 'seededit-i2i',
			provider: 'ByteDance',
			displayName: 'SeedEdit',
			fields: [image('Image to transform'), editPrompt],
			example: { init_image: EXAMPLE_IMAGE, prompt: 'make it a watercolor' },
		},
		{
			id: 'seedream-4.0-i2i',
			provider: 'ByteDance',
			displayName: 'Seedream 4.0',
			fields: [
				image('Reference images (JPEG or PNG), up to 10', { list: true, max: 10 }),
				editPrompt,
			],
			example: { init_image: [EXAMPLE_IMAGE], prompt: 'make it a watercolor' },
		},
		{
			id: 'seedream-4.5-i2i',
			provider: 'ByteDance',
			displayName: 'Seedream 4.5',
			fields: [
				image('Reference images (JPEG or PNG), up to 10', { list: true, max: 10 }),
				editPrompt,
				aspectRatio(SEEDREAM_EDIT_RATIOS, true),
			],
			example: { init_image: [EXAMPLE_IMAGE], prompt: 'make it a watercolor', aspect_ratio: '1:1' },
		},
		{
			id: 'gen4_image_turbo',
			provider: 'Runway',
			displayName: 'Gen-4 Image Turbo',
			// The SDK requires both reference images.
			fields: [editPrompt, image('First reference image'), secondImage('Second reference image')],
			example: {
				prompt: 'the person of the first image in the room of the second',
				init_image: EXAMPLE_IMAGE,
				init_image_2: EXAMPLE_IMAGE_2,
			},
		},
	],
});

// No SDK model posts here. The fields are those ModelsLab's CLI and docs-v2 tools reference send;
// the docs name flux and sdxl as v7 image models, unconfirmed for inpainting, so the model is
// chosen by ID ("Other Model").
export const v7Inpaint: SubmitEndpointSpec = v7Operation({
	category: 'image',
	operation: 'v7_inpaint',
	displayName: 'Inpaint (Provider Models)',
	action: 'Repaint part of an image with a provider model',
	description: 'Repaint the masked part of an image with a v7 model chosen by its ID',
	path: '/v7/images/inpaint',
	fetchPath: V7_IMAGES_FETCH,
	fields: [
		prompt('What the masked area should show'),
		image('Image to repaint'),
		fileField('mask_image', 'image', 'Mask: white marks the area to repaint'),
		{
			name: 'negative_prompt',
			kind: 'string',
			multiline: true,
			description: 'What the repainted area should not show',
		},
		{
			name: 'strength',
			kind: 'number',
			min: 0,
			max: 1,
			default: 0.7,
			description: 'How far the repainted area may move away from the original, 0 to 1',
		},
	],
	example: {
		model_id: 'flux',
		prompt: 'a red bench',
		init_image: EXAMPLE_IMAGE,
		mask_image: 'https://example.com/mask.png',
	},
	models: [],
});

export const V7_IMAGE_ENDPOINTS = [v7TextToImage, v7ImageToImage, v7Inpaint] as const;
