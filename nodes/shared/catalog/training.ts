import { generationSubmit, type CategorySpec, type FieldSpec } from './types';

// The OpenAPI enum says `women`; the lora-finetune page says `female` (docs/modelslab-api.md §3.6, §8 item 12). We offer the OpenAPI values.
const TRAINING_TYPES = ['men', 'women', 'couple', 'null'] as const;

const instancePrompt: FieldSpec = {
	name: 'instance_prompt',
	kind: 'string',
	required: true,
	description: 'Prompt naming the subject with a unique token, e.g. photo of ambika0 man',
	placeholder: 'photo of ambika0 man',
};
const classPrompt: FieldSpec = {
	name: 'class_prompt',
	kind: 'string',
	required: true,
	description: 'Prompt naming the class of the subject, e.g. photo of a man',
	placeholder: 'photo of a man',
};
// Binary data: one binary property per image, each uploaded through the general base64_to_url
// (training has no upload endpoint of its own; docs/modelslab-api.md §2), sent as the list of URLs.
// A training starts within minutes, well inside the uploads' 24 h lifetime.
const images: FieldSpec = {
	name: 'images',
	kind: 'stringList',
	required: true,
	description:
		'Direct public URLs of the training images, cropped to 512×512; 7 to 8 images work well',
	file: { kind: 'image', list: true, upload: 'general' },
};
const trainingType: FieldSpec = {
	name: 'training_type',
	kind: 'options',
	required: true,
	options: TRAINING_TYPES,
	default: 'men',
	description: 'What is trained: men, women, a couple (images of both), or null for an object',
};

const STATUS = '/v3/fine_tune_status/{id}';

export const trainingCategory: CategorySpec = {
	category: 'training',
	defaultWaitMinutes: 180,
	defaultFetchPath: STATUS,
	endpoints: [
		generationSubmit({
			category: 'training',
			operation: 'lora_fine_tune',
			displayName: 'LoRA Fine-Tune',
			action: 'Train a LoRA model',
			description: 'Train a LoRA on your images (about 25 to 30 minutes, $1 per training)',
			path: '/v3/lora_fine_tune',
			fetchPath: STATUS,
			trackId: 'none',
			jobKind: 'training',
			fields: [
				instancePrompt,
				classPrompt,
				images,
				trainingType,
				{
					name: 'max_train_steps',
					kind: 'numericString',
					required: true,
					min: 10,
					max: 50,
					description: 'Training steps, twice the number of images, 10 to 50',
				},
				{
					name: 'base_model_type',
					kind: 'options',
					options: ['normal', 'sdxl'],
					default: 'sdxl',
					description: 'Base model family to train on',
				},
				{
					name: 'lora_type',
					kind: 'options',
					options: ['lora', 'lycoris'],
					default: 'lora',
					displayName: 'LoRA Type',
					description: 'Kind of LoRA to train',
				},
				{
					name: 'negative_prompt',
					kind: 'string',
					multiline: true,
					description: 'What the trained model should avoid',
				},
				{
					name: 'seed',
					kind: 'numericString',
					default: 0,
					description: 'Seed for reproducible training; 0 picks a random seed',
				},
				{
					name: 'wandb_key',
					kind: 'string',
					displayName: 'Weights & Biases Key',
					description: 'Weights & Biases API key to monitor the training',
				},
			],
			example: {
				instance_prompt: 'photo of ambika0 man',
				class_prompt: 'photo of a man',
				images: ['https://example.com/1.png'],
				training_type: 'men',
				max_train_steps: '18',
			},
			notice: 'A LoRA training costs $1 and takes about 25 to 30 minutes',
		}),
		generationSubmit({
			category: 'training',
			operation: 'fine_tune',
			displayName: 'DreamBooth Fine-Tune (Legacy)',
			action: 'Train a DreamBooth model',
			description: 'Train a full DreamBooth model on your images with the legacy v3 endpoint',
			path: '/v3/fine_tune',
			fetchPath: STATUS,
			trackId: 'none',
			jobKind: 'training',
			// The reference marks no required fields for this legacy endpoint; we require what a DreamBooth run
			// cannot do without, like lora_fine_tune plus the base model. Steps and seed are strings as in lora_fine_tune.
			fields: [
				instancePrompt,
				classPrompt,
				{
					name: 'base_model_id',
					kind: 'string',
					required: true,
					displayName: 'Base Model ID',
					description: 'ID of the model to fine-tune',
				},
				images,
				trainingType,
				{
					name: 'max_train_steps',
					kind: 'numericString',
					required: true,
					max: 2000,
					description: 'Training steps, about twice the number of images, at most 2000',
				},
				{
					name: 'seed',
					kind: 'numericString',
					default: 0,
					description: 'Seed for reproducible training; 0 picks a random seed',
				},
			],
			example: {
				instance_prompt: 'photo of ambika0 man',
				class_prompt: 'photo of a man',
				base_model_id: 'realistic-vision-51',
				images: ['https://example.com/1.png', 'https://example.com/2.png'],
				training_type: 'men',
				max_train_steps: '2000',
			},
			notice:
				'This legacy endpoint is no longer in the current ModelsLab docs and may be unavailable',
		}),
		{
			type: 'read',
			category: 'training',
			operation: 'getStatus',
			displayName: 'Get Status',
			action: 'Get the status of a training',
			description: 'Read the state and log of a training by its training ID',
			method: 'POST',
			auth: 'bodyKey',
			path: '/v3/fine_tune_status/{training_id}',
			jobKind: 'training',
			pathFields: ['training_id'],
			fields: [
				{
					name: 'training_id',
					kind: 'string',
					required: true,
					displayName: 'Training ID',
					description: 'The `training_id` ModelsLab returned when the training was submitted',
				},
			],
			example: { training_id: 'F5jvdzGnYi' },
		},
	],
};
