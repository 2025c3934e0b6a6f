import type { IBinaryData, IBinaryKeyData, IDataObject } from 'n8n-workflow';

import { getEndpoint } from '../../nodes/shared/catalog';
import {
	endpointForModel,
	hasModelChoice,
	OTHER_MODEL,
} from '../../nodes/shared/catalog/modelChoice';
import type { Category, FieldSpec } from '../../nodes/shared/catalog/types';
import { eventually, WaitingRoute, type TestExecution } from '../support/n8nHarness';
import { binaryParameters, parametersFromExample } from '../support/uiParameters';
import { sampleFile, startSimulator, type SimUpload, type Simulator } from '../simulator';

/**
 * File inputs fed from n8n binary data, in in-process executions against the simulator over real
 * HTTP: each file is uploaded through its field's base64_to_url family with the bytes unchanged,
 * and the URL it got is what the job was submitted with. Bad files stop the run before any
 * upload or submit.
 */
let sim: Simulator;
let route: WaitingRoute;

const NODE_TYPE: Record<Category, string> = {
	image: 'modelslab.image',
	video: 'modelslab.video',
	audio: 'modelslab.audio',
	threeD: 'modelslab.threeD',
	imageEditing: 'modelslab.imageEditing',
	interior: 'modelslab.interior',
	training: 'modelslab.training',
	workflow: 'modelslab.workflow',
};

beforeAll(async () => {
	sim = await startSimulator({ callbackDelayMs: 200, trainingStepDelayMs: 40 });
	route = await new WaitingRoute().start();
});
afterAll(async () => {
	await sim.stop();
	await route.stop();
});
beforeEach(() => {
	sim.reset();
	// Long ETAs make callback mode park instead of finishing in its check before parking.
	sim.setDefaultBehaviour({ eta: 60 });
});

/** n8n's in-memory form of a file, as HTTP Request leaves it. */
function binaryOf(name: string, mimeType?: string, bytes?: Buffer): IBinaryData {
	const sample = sampleFile(name);
	const data = bytes ?? sample?.bytes;
	if (!data) throw new Error(`no sample ${name}`);
	return {
		data: data.toString('base64'),
		mimeType: mimeType ?? sample?.contentType ?? 'application/octet-stream',
		fileName: name,
	};
}

async function run(
	category: Category,
	parameters: IDataObject,
	binaries: Array<IBinaryKeyData | undefined>,
	node: { onError?: 'continueRegularOutput' } = {},
): Promise<TestExecution> {
	return await route.run({
		node: {
			id: `node-${Math.random().toString(36).slice(2, 10)}`,
			type: NODE_TYPE[category],
			parameters: { options: { pollInterval: 1 }, ...parameters },
			...node,
		},
		items: binaries.map(() => ({})),
		binaries,
		credentials: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
	});
}

async function finished(execution: TestExecution): Promise<TestExecution> {
	await eventually(
		() => execution.status !== 'waiting' && execution.status !== 'running',
		20_000,
		'the execution to finish',
	);
	return execution;
}

function withBinary(
	category: Category,
	operation: string,
	fields: Record<string, string>,
	extra: IDataObject,
	choice?: string,
): IDataObject {
	return binaryParameters(getEndpoint(category, operation), fields, extra, choice);
}

/** The fields a request of the operation (and, on a v7 operation, of the chosen model) has. */
function fieldsOf(category: Category, operation: string, choice?: string): readonly FieldSpec[] {
	const endpoint = getEndpoint(category, operation);
	if (endpoint.type === 'submit' && hasModelChoice(endpoint) && choice !== undefined)
		return endpointForModel(endpoint, choice).fields;
	return endpoint.fields;
}

interface Case {
	category: Category;
	operation: string;
	/** API field → binary property name(s). */
	fields: Record<string, string>;
	/** Binary property → sample file. */
	files: Record<string, string>;
	/** The upload family each field's files must go through (the simulator's names). */
	families: Record<string, SimUpload['family']>;
	/** v7 operations: the model (`modelId`) whose file fields these are. */
	choice?: string;
}

const CASES: Case[] = [
	{
		category: 'image',
		operation: 'inpaint',
		fields: { init_image: 'photo', mask_image: 'mask' },
		files: { photo: 'image.png', mask: 'image-2.png' },
		families: { init_image: 'general', mask_image: 'general' },
	},
	{
		category: 'image',
		operation: 'text2img',
		fields: { ip_adapter_image: 'data' },
		files: { data: 'image.png' },
		families: { ip_adapter_image: 'general' },
	},
	{
		category: 'video',
		operation: 'img2video',
		fields: { init_image: 'data' },
		files: { data: 'image.png' },
		families: { init_image: 'general' },
	},
	{
		category: 'audio',
		operation: 'voice_to_voice',
		fields: { init_audio: 'source', target_audio: 'voice' },
		files: { source: 'speech.wav', voice: 'speech.mp3' },
		families: { init_audio: 'voice', target_audio: 'voice' },
	},
	{
		category: 'audio',
		operation: 'music_gen',
		fields: { init_audio: 'data' },
		files: { data: 'speech.mp3' },
		families: { init_audio: 'voice' },
	},
	{
		category: 'threeD',
		operation: 'image_to_3d',
		fields: { init_image: 'data' },
		files: { data: 'image.png' },
		families: { init_image: 'general' },
	},
	{
		category: 'imageEditing',
		operation: 'super_resolution',
		fields: { init_image: 'data' },
		files: { data: 'image.png' },
		families: { init_image: 'image_editing' },
	},
	{
		category: 'imageEditing',
		operation: 'single_video_swap',
		fields: { init_image: 'face', init_video: 'clip' },
		files: { face: 'image.png', clip: 'clip.mp4' },
		families: { init_image: 'image_editing', init_video: 'video' },
	},
	{
		category: 'imageEditing',
		operation: 'img_mixer',
		fields: { init_image: 'a, b' },
		files: { a: 'image.png', b: 'image-2.png' },
		families: { init_image: 'image_editing' },
	},
	{
		category: 'training',
		operation: 'lora_fine_tune',
		fields: { images: 'data,data_1,data_2' },
		files: { data: 'image.png', data_1: 'image-2.png', data_2: 'image-3.png' },
		families: { images: 'general' },
	},
	// v7 provider models: the chosen model's file fields (docs/public-names.md §4).
	{
		category: 'image',
		operation: 'v7_image_to_image',
		choice: 'nano-banana',
		fields: { init_image: 'data', init_image_2: 'second' },
		files: { data: 'image.png', second: 'image-2.png' },
		families: { init_image: 'general', init_image_2: 'general' },
	},
	{
		category: 'image',
		operation: 'v7_image_to_image',
		choice: 'nano-banana-pro',
		fields: { init_image: 'a, b' },
		files: { a: 'image.png', b: 'image-2.png' },
		families: { init_image: 'general' },
	},
	{
		category: 'image',
		operation: 'v7_inpaint',
		choice: OTHER_MODEL,
		fields: { init_image: 'photo', mask_image: 'mask' },
		files: { photo: 'image.png', mask: 'image-2.png' },
		families: { init_image: 'general', mask_image: 'general' },
	},
	{
		category: 'video',
		operation: 'v7_image_to_video',
		choice: 'omni-human',
		fields: { init_image: 'portrait', init_audio: 'speech' },
		files: { portrait: 'image.png', speech: 'speech.wav' },
		families: { init_image: 'general', init_audio: 'voice' },
	},
	{
		category: 'video',
		operation: 'v7_lip_sync',
		choice: 'lipsync-2',
		fields: { init_video: 'clip', init_audio: 'speech' },
		files: { clip: 'clip.mp4', speech: 'speech.mp3' },
		families: { init_video: 'video', init_audio: 'voice' },
	},
	{
		category: 'audio',
		operation: 'v7_speech_to_text',
		choice: 'scribe_v1',
		fields: { init_audio: 'data' },
		files: { data: 'speech.mp3' },
		families: { init_audio: 'voice' },
	},
];

describe.each(
	CASES.map(
		(entry) =>
			[
				`${entry.category} ${entry.operation}${entry.choice ? ` (${entry.choice})` : ''}`,
				entry,
			] as const,
	),
)('%s from binary data', (_name, entry) => {
	it.each(['callback', 'poll'])(
		'uploads each file unchanged and submits the URLs it got (%s mode)',
		async (completion) => {
			const binary: IBinaryKeyData = {};
			for (const [property, file] of Object.entries(entry.files)) binary[property] = binaryOf(file);
			const execution = await finished(
				await run(
					entry.category,
					withBinary(entry.category, entry.operation, entry.fields, { completion }, entry.choice),
					[binary],
				),
			);
			expect(execution.error?.message).toBeUndefined();
			expect(execution.status).toBe('success');
			expect(execution.received[0][0]).toMatchObject({ status: 'success' });

			const [job] = [...sim.jobs.values()];
			if (entry.choice !== undefined && entry.choice !== OTHER_MODEL)
				expect(job.request.model_id).toBe(entry.choice);
			const uploads = sim.uploads();
			expect(uploads).toHaveLength(Object.keys(entry.files).length);
			for (const [field, properties] of Object.entries(entry.fields)) {
				const names = properties.split(',').map((name) => name.trim());
				const sent = job.request[field];
				const urls = Array.isArray(sent) ? sent : [sent];
				expect(urls).toHaveLength(names.length);
				names.forEach((property, index) => {
					const upload = uploads.find((candidate) => candidate.url === urls[index]);
					expect(upload).toBeDefined();
					expect(upload?.family).toBe(entry.families[field]);
					expect(upload?.bytes.equals(sampleFile(entry.files[property])?.bytes as Buffer)).toBe(
						true,
					);
					expect(upload?.mime).toBe(sampleFile(entry.files[property])?.contentType);
				});
				// A list field stays a list, a single file a string.
				expect(Array.isArray(sent)).toBe(
					fieldsOf(entry.category, entry.operation, entry.choice).find((f) => f.name === field)
						?.file?.list === true,
				);
			}
		},
		30_000,
	);
});

describe('files that cannot be sent stop the run before any upload or submit', () => {
	const img2img = (extra: IDataObject = {}): IDataObject =>
		withBinary('image', 'img2img', { init_image: 'data' }, { completion: 'poll', ...extra });

	async function refused(
		parameters: IDataObject,
		binaries: Array<IBinaryKeyData | undefined>,
		category: Category = 'image',
	): Promise<string> {
		const execution = await finished(await run(category, parameters, binaries));
		expect(execution.status).toBe('error');
		expect(sim.stats()).toMatchObject({ submits: 0, uploads: 0 });
		expect(sim.jobs.size).toBe(0);
		return execution.error?.message ?? '';
	}

	it('a missing binary property names the item, the field, the property and what the item has', async () => {
		const message = await refused(img2img(), [{ file: binaryOf('image.png') }]);
		expect(message).toContain('Invalid parameter "Init Image" (init_image)');
		expect(message).toContain('input item 0 has no binary property "data" (it has: file)');
		expect(message).toContain('initImageBinaryPropertyName');
	});

	it('one bad item stops every item: the good one before it is not uploaded either', async () => {
		const message = await refused(img2img(), [{ data: binaryOf('image.png') }, undefined]);
		expect(message).toContain('input item 1 has no binary property "data" (it has no binary data)');
	});

	it('an empty file is refused', async () => {
		const message = await refused(img2img(), [
			{ data: binaryOf('image.png', 'image/png', Buffer.alloc(0)) },
		]);
		expect(message).toContain('the file in binary property "data" of input item 0 is empty');
	});

	it('a file over 5 MB is refused with its size and the limit', async () => {
		const big = Buffer.alloc(5 * 1024 * 1024 + 1, 1);
		const message = await refused(img2img(), [{ data: binaryOf('image.png', 'image/png', big) }]);
		expect(message).toContain('Invalid parameter "Init Image" (init_image)');
		expect(message).toContain('binary property "data" of input item 0 is 5.0 MB (5242881 bytes)');
		expect(message).toContain('at most 5.0 MB (5242880 bytes)');
	});

	it('a type the field cannot take is refused, with the types it takes', async () => {
		const message = await refused(img2img(), [
			{ data: binaryOf('image.png', 'text/plain', Buffer.from('hello')) },
		]);
		expect(message).toContain(
			'binary property "data" of input item 0 is of type text/plain; this field takes an image (image/*)',
		);
	});

	it('voice uploads take MP3 or WAV only', async () => {
		const message = await refused(
			withBinary('audio', 'music_gen', { init_audio: 'data' }, { completion: 'poll' }),
			[{ data: binaryOf('speech.mp3', 'audio/ogg') }],
			'audio',
		);
		expect(message).toContain('Invalid parameter "Init Audio" (init_audio)');
		expect(message).toContain('is of type audio/ogg; this field takes MP3 or WAV audio');
	});

	it('caption takes PNG or JPEG only', async () => {
		const message = await refused(
			withBinary('imageEditing', 'caption', { init_image: 'data' }, { completion: 'poll' }),
			[{ data: binaryOf('image.png', 'image/webp') }],
			'imageEditing',
		);
		expect(message).toContain('is of type image/webp; this field takes image/png or image/jpeg');
	});

	it('a single-file field refuses several properties, a list field more than its maximum', async () => {
		const single = await refused(
			withBinary('image', 'img2img', { init_image: 'a,b' }, { completion: 'poll' }),
			[{ a: binaryOf('image.png'), b: binaryOf('image-2.png') }],
		);
		expect(single).toContain(
			'names 2 binary properties (a, b), but this field takes at most 1 file',
		);
		const list = await refused(
			withBinary('imageEditing', 'img_mixer', { init_image: 'a,b,c,d,e' }, { completion: 'poll' }),
			[
				Object.fromEntries(
					['a', 'b', 'c', 'd', 'e'].map((property) => [property, binaryOf('image.png')]),
				),
			],
			'imageEditing',
		);
		expect(list).toContain(
			'names 5 binary properties (a, b, c, d, e), but this field takes at most 4 files',
		);
	});

	it("a v7 model's file field is checked like any other: Nano Banana's first image is one file", async () => {
		const message = await refused(
			withBinary(
				'image',
				'v7_image_to_image',
				{ init_image: 'a,b', init_image_2: 'c' },
				{ completion: 'poll' },
				'nano-banana',
			),
			[{ a: binaryOf('image.png'), b: binaryOf('image-2.png'), c: binaryOf('image-3.png') }],
		);
		expect(message).toContain('Invalid parameter "Init Image" (init_image)');
		expect(message).toContain(
			'names 2 binary properties (a, b), but this field takes at most 1 file',
		);
	});

	it('with On Error: Continue, only the bad item fails; the good one is uploaded and submitted', async () => {
		const execution = await finished(
			await run('image', img2img(), [undefined, { data: binaryOf('image.png') }], {
				onError: 'continueRegularOutput',
			}),
		);
		expect(execution.status).toBe('success');
		const [bad, good] = execution.received[0];
		expect(String(bad.error)).toContain('input item 0 has no binary property "data"');
		expect(good).toMatchObject({ status: 'success' });
		expect(sim.uploads()).toHaveLength(1);
		expect([...sim.jobs.values()][0].request.init_image).toBe(sim.uploads()[0].url);
	});
});

describe("a v7 operation reads the chosen model's file fields only", () => {
	it('a companion left over from another model of the operation is ignored', async () => {
		// Switched from Nano Banana (two images) to Nano Banana Pro (a list): initImage2's
		// companions stay in the saved parameters but are no field of the chosen model.
		const parameters = withBinary(
			'image',
			'v7_image_to_image',
			{ init_image: 'data' },
			{ completion: 'poll', initImage2InputType: 'binary', initImage2BinaryPropertyName: 'gone' },
			'nano-banana-pro',
		);
		const execution = await finished(
			await run('image', parameters, [{ data: binaryOf('image.png') }]),
		);
		expect(execution.error?.message).toBeUndefined();
		expect(execution.status).toBe('success');
		const [job] = [...sim.jobs.values()];
		expect(sim.uploads()).toHaveLength(1);
		expect(job.request).toMatchObject({
			model_id: 'nano-banana-pro',
			init_image: [sim.uploads()[0].url],
		});
		expect(job.request).not.toHaveProperty('init_image_2');
	});
});

describe('URL input stays as it was', () => {
	it('without the companions set, the field sends its URL and nothing is uploaded', async () => {
		const endpoint = getEndpoint('image', 'img2img');
		const execution = await finished(
			await run('image', parametersFromExample(endpoint, { completion: 'poll' }), [
				{ data: binaryOf('image.png') },
			]),
		);
		expect(execution.status).toBe('success');
		expect(sim.uploads()).toHaveLength(0);
		expect([...sim.jobs.values()][0].request.init_image).toBe(endpoint.example.init_image);
	});
});
