import { generationSubmit, type CategorySpec, type FieldSpec } from './types';

const outputFormat: FieldSpec = {
	name: 'output_format',
	kind: 'options',
	options: ['obj', 'stl', 'ply', 'glb'],
	default: 'glb',
	description: 'File format of the 3D model',
};
const render: FieldSpec = {
	name: 'render',
	kind: 'boolean',
	default: false,
	description: 'Whether to also render a NeRF video of the model',
};
const ssGuidanceStrength: FieldSpec = {
	name: 'ss_guidance_strength',
	kind: 'number',
	default: 7.5,
	displayName: 'SS Guidance Strength',
	description: 'Strength of the sparse-structure guidance',
};
const ssSamplingSteps = (def: number): FieldSpec => ({
	name: 'ss_sampling_steps',
	kind: 'integer',
	default: def,
	min: 1,
	max: 50,
	displayName: 'SS Sampling Steps',
	description: 'Sparse-structure sampling steps, 1 to 50',
});
const slatGuidanceStrength: FieldSpec = {
	name: 'slat_guidance_strength',
	kind: 'number',
	default: 3,
	min: 0,
	max: 10,
	displayName: 'SLAT Guidance Strength',
	description: 'Strength of the structured-latent guidance that refines details, 0 to 10',
};
const slatSamplingSteps = (def: number): FieldSpec => ({
	name: 'slat_sampling_steps',
	kind: 'integer',
	default: def,
	min: 1,
	max: 50,
	displayName: 'SLAT Sampling Steps',
	description: 'Structured-latent sampling steps, 1 to 50',
});
const meshSimplify: FieldSpec = {
	name: 'mesh_simplify',
	kind: 'number',
	default: 0.9,
	min: 0.9,
	max: 0.98,
	description: 'How much to simplify the mesh, 0.9 to 0.98',
};
const chunkSize: FieldSpec = {
	name: 'chunk_size',
	kind: 'integer',
	default: 8192,
	max: 12000,
	description: 'Processing chunk size (affects GPU memory), at most 12000',
};
const seed: FieldSpec = {
	name: 'seed',
	kind: 'integer',
	default: 0,
	description: 'Seed for reproducible results; 0 picks a random seed',
};
const temp: FieldSpec = {
	name: 'temp',
	kind: 'yesNo',
	default: false,
	description: 'Whether to store the files temporarily (links expire after 24 hours)',
};

const FETCH = '/v6/3d/fetch/{id}';

export const threeDCategory: CategorySpec = {
	category: 'threeD',
	defaultWaitMinutes: 45,
	defaultFetchPath: FETCH,
	endpoints: [
		generationSubmit({
			category: 'threeD',
			operation: 'text_to_3d',
			displayName: 'Text to 3D',
			action: 'Generate a 3D model from text',
			description: 'Generate a 3D model (glb, obj, stl or ply) from a prompt',
			path: '/v6/3d/text_to_3d',
			fetchPath: FETCH,
			trackId: 'string',
			fields: [
				{
					name: 'prompt',
					kind: 'string',
					required: true,
					multiline: true,
					description: 'What the 3D model should show',
				},
				{
					name: 'negative_prompt',
					kind: 'string',
					multiline: true,
					description: 'What the model should not show',
				},
				{
					name: 'resolution',
					kind: 'integer',
					default: 512,
					max: 512,
					description: 'Resolution of the generation, at most 512',
				},
				outputFormat,
				render,
				{
					name: 'guidance_scale',
					kind: 'number',
					default: 3,
					description: 'How closely to follow the prompt',
				},
				{
					name: 'num_inference_steps',
					kind: 'integer',
					default: 30,
					displayName: 'Inference Steps',
					description: 'Denoising steps',
				},
				ssGuidanceStrength,
				ssSamplingSteps(50),
				slatGuidanceStrength,
				slatSamplingSteps(50),
				meshSimplify,
				{
					name: 'foreground_ratio',
					kind: 'number',
					default: 0.85,
					description: 'Share of the frame the object fills',
				},
				{
					name: 'remove_bg',
					kind: 'boolean',
					default: false,
					displayName: 'Remove Background',
					description: 'Whether to remove the background',
				},
				chunkSize,
				seed,
				temp,
			],
			example: { prompt: 'a ghost in a bedsheet', output_format: 'glb' },
		}),
		generationSubmit({
			category: 'threeD',
			operation: 'image_to_3d',
			displayName: 'Image to 3D',
			action: 'Generate a 3D model from an image',
			description: 'Generate a 3D model (glb, obj, stl or ply) from an image of an object',
			path: '/v6/3d/image_to_3d',
			fetchPath: FETCH,
			trackId: 'string',
			// "Other fields as text_to_3d" read as the image-relevant ones the OpenAPI lists for image_to_3d
			// (no prompt, guidance_scale, num_inference_steps, foreground_ratio or remove_bg).
			fields: [
				// `image` in the OpenAPI required list, every SDK and the 2025 echoed meta; `init_image` in
				// the OpenAPI properties, the current example and the CLI. Which one the server reads is
				// unknown, so the value goes out under both (docs/modelslab-api.md §3.4, §8 item 6); the
				// parameter keeps the name saved workflows use (initImage).
				// Binary data goes through the general base64_to_url: /v6/3d/base64_to_url takes 3D
				// objects (`init_obj`, model/*), not images (docs/modelslab-api.md §2).
				{
					name: 'init_image',
					kind: 'string',
					required: true,
					description: 'Public URL of the image of the object',
					file: { kind: 'image', upload: 'general' },
					alsoSendAs: ['image'],
				},
				{
					name: 'resolution',
					kind: 'integer',
					default: 256,
					max: 512,
					description: 'Resolution of the generation, at most 512',
				},
				{
					name: 'multi_image',
					kind: 'boolean',
					default: false,
					description: 'Whether to process several images of the object together',
				},
				outputFormat,
				render,
				ssGuidanceStrength,
				ssSamplingSteps(12),
				slatGuidanceStrength,
				slatSamplingSteps(12),
				meshSimplify,
				chunkSize,
				seed,
				temp,
			],
			example: { init_image: 'https://example.com/chair.jpg', output_format: 'glb' },
		}),
		{
			type: 'read',
			category: 'threeD',
			operation: 'getResult',
			displayName: 'Get Result',
			action: 'Get the result of a 3D job',
			description: 'Read a 3D job by its request ID (the fetch endpoint)',
			method: 'POST',
			auth: 'bodyKey',
			path: '/v6/3d/fetch/{request_id}',
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
