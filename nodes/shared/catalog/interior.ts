import { generationSubmit, type CategorySpec, type FieldSpec, type FileInput } from './types';

/**
 * Interior design, under `/api/v6/interior/` (docs/modelslab-api.md §3.9): fields, required lists
 * and types from the family's OpenAPI file; every endpoint takes a webhook and an integer
 * track_id, and its jobs are read at the family's fetch path.
 */
const FETCH = '/v6/interior/fetch/{id}';

/**
 * Image inputs. The family has no `base64_to_url` of its own, so binary data goes through the
 * general one, as for the Image node (docs/modelslab-api.md §2 "Inputs"), and is sent as its URL.
 */
const IMAGE_FILE: FileInput = { kind: 'image', upload: 'general' };

const family = (name: string) =>
	({
		category: 'interior',
		operation: name,
		path: `/v6/interior/${name}`,
		fetchPath: FETCH,
		trackId: 'integer',
	}) as const;

const image = (name: string, description: string): FieldSpec => ({
	name,
	kind: 'string',
	required: true,
	description,
	file: IMAGE_FILE,
});

const prompt = (description: string): FieldSpec => ({
	name: 'prompt',
	kind: 'string',
	required: true,
	multiline: true,
	description,
});

const base64: FieldSpec = {
	name: 'base64',
	kind: 'boolean',
	default: false,
	displayName: 'Base64',
	description: 'Whether to return the result as base64 instead of a link',
};

/**
 * The options every redesign endpoint shares. The OpenAPI gives no range for `strength` and
 * `num_inference_steps` that its own examples keep (strength 0.99 against "1 to 10", 51 steps
 * against "21, 31 or 41"), so neither is bounded here.
 */
const redesignOptions: readonly FieldSpec[] = [
	{
		name: 'negative_prompt',
		kind: 'string',
		multiline: true,
		description: 'What the result should not show',
	},
	{
		name: 'strength',
		kind: 'number',
		description: 'How much the prompt may change the input image',
	},
	{
		name: 'num_inference_steps',
		kind: 'integer',
		min: 1,
		displayName: 'Inference Steps',
		description: 'Denoising steps',
	},
	{
		name: 'guidance_scale',
		kind: 'integer',
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
	base64,
	{
		name: 'temp',
		kind: 'boolean',
		default: false,
		description: 'Whether to use temporary links that expire after 24 hours',
	},
];

const specificObject: FieldSpec = {
	name: 'specific_object',
	kind: 'string',
	description: 'A piece of furniture or decor the redesigned room must show',
};

const SCENARIOS = [
	'beach',
	'desert',
	'plain',
	'taiga',
	'mountain',
	'snow',
	'jungle',
	'city',
	'underwater',
	'urban',
	'forest',
] as const;

const EXAMPLE_ROOM = 'https://example.com/room.jpg';

export const interiorCategory: CategorySpec = {
	category: 'interior',
	defaultWaitMinutes: 20,
	defaultFetchPath: FETCH,
	endpoints: [
		generationSubmit({
			...family('make'),
			displayName: 'Interior Design',
			action: 'Redesign a room from a photo',
			description: 'Redesign the interior of a room photo as a prompt describes',
			fields: [
				image('init_image', 'Public URL of the photo of the room'),
				prompt('The interior the room should get'),
				...redesignOptions,
				{
					name: 'scale_down',
					kind: 'integer',
					default: 6,
					description: 'How much the input image is scaled down while processing',
				},
				specificObject,
			],
			example: { init_image: EXAMPLE_ROOM, prompt: 'a bright Scandinavian living room' },
		}),
		generationSubmit({
			...family('room_decorator'),
			displayName: 'Room Decorator',
			action: 'Decorate a room from a photo',
			description: 'Decorate a room photo as a prompt describes',
			fields: [
				image('init_image', 'Public URL of the photo of the room'),
				prompt('The decor the room should get'),
				...redesignOptions,
				specificObject,
			],
			example: { init_image: EXAMPLE_ROOM, prompt: 'cosy bedroom with warm lights' },
		}),
		generationSubmit({
			...family('floor_planning'),
			displayName: 'Floor Planning',
			action: 'Draw a floor plan from a photo',
			description: 'Render a floor plan from a room photo or a plan sketch',
			fields: [
				image('init_image', 'Public URL of the room photo or plan to start from'),
				prompt('What the floor plan should show'),
				...redesignOptions,
			],
			example: {
				init_image: 'https://example.com/plan.jpg',
				prompt: 'floor plan of a two-room apartment, top view',
			},
		}),
		generationSubmit({
			...family('scenario_changer'),
			// ModelsLab's Python, JS and Go SDKs post to /scenario; the OpenAPI and both doc pages
			// (2025 and now) to /scenario_changer (docs/modelslab-api.md §3.9).
			alternatePaths: ['/v6/interior/scenario'],
			displayName: 'Scenario Changer',
			action: "Change a building's surroundings",
			description: 'Place the building of a photo in other surroundings (beach, snow, city, ...)',
			fields: [
				image('init_image', 'Public URL of the photo whose surroundings change'),
				{
					name: 'scenario',
					kind: 'options',
					required: true,
					options: SCENARIOS,
					default: 'beach',
					description: 'The surroundings to put the building in',
				},
				prompt('The new surroundings: colours and mood'),
				...redesignOptions,
			],
			example: {
				init_image: 'https://example.com/house.jpg',
				scenario: 'snow',
				prompt: 'a house in the snow',
			},
		}),
		generationSubmit({
			...family('sketch_rendering'),
			displayName: 'Sketch Rendering',
			action: 'Render a sketch of a house as a photo',
			description: 'Turn a sketch or line drawing of a building into a realistic photo',
			fields: [
				image('init_image', 'Public URL of the sketch to render'),
				prompt('Materials, colours and atmosphere of the rendering'),
				...redesignOptions,
			],
			example: {
				init_image: 'https://example.com/sketch.png',
				prompt: 'modern villa, white walls',
			},
		}),
		generationSubmit({
			...family('exterior_restorer'),
			displayName: 'Exterior Restorer',
			action: 'Restore the exterior of a building',
			description: 'Refresh the facade of a building photo as a prompt describes',
			fields: [
				image('init_image', 'Public URL of the photo of the exterior'),
				prompt('Style, colours and mood of the restored facade'),
				...redesignOptions,
			],
			example: { init_image: 'https://example.com/facade.jpg', prompt: 'freshly painted facade' },
		}),
		generationSubmit({
			...family('object_removal'),
			displayName: 'Object Removal',
			action: 'Remove an object from a room photo',
			description: 'Remove the object you name from a room photo',
			fields: [
				image('init_image', 'Public URL of the photo'),
				{
					name: 'object_name',
					kind: 'string',
					required: true,
					description: 'The object to remove, in words (e.g. the sofa)',
					placeholder: 'the sofa',
				},
				base64,
			],
			example: { init_image: EXAMPLE_ROOM, object_name: 'the sofa' },
		}),
		generationSubmit({
			...family('interior_mixer'),
			displayName: 'Interior Mixer',
			action: 'Place an object into a room photo',
			description: 'Add the object of one image into the room of another',
			fields: [
				image('init_image', 'Public URL of the photo of the room'),
				image('object_image', 'Public URL of the image of the object to add'),
				prompt('Where and how the object goes into the room'),
				{
					name: 'width',
					kind: 'integer',
					min: 512,
					max: 2048,
					description:
						'Width of the result in pixels, 512 to 2048; the room photo width when empty',
				},
				{
					name: 'height',
					kind: 'integer',
					min: 512,
					max: 2048,
					description:
						'Height of the result in pixels, 512 to 2048; the room photo height when empty',
				},
				{
					name: 'guidance_scale',
					kind: 'integer',
					min: 1,
					description: 'How closely to follow the prompt',
				},
				{
					name: 'num_inference_steps',
					kind: 'integer',
					default: 8,
					min: 1,
					displayName: 'Inference Steps',
					description: 'Denoising steps',
				},
				base64,
			],
			example: {
				init_image: EXAMPLE_ROOM,
				object_image: 'https://example.com/sofa.jpg',
				prompt: 'put the sofa against the left wall',
			},
		}),
		{
			type: 'read',
			category: 'interior',
			operation: 'getResult',
			displayName: 'Get Result',
			action: 'Get the result of an interior job',
			description: 'Read an interior job by its request ID (the fetch endpoint)',
			method: 'POST',
			auth: 'bodyKey',
			path: '/v6/interior/fetch/{request_id}',
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
