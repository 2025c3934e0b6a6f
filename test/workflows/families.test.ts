import type { IBinaryKeyData, IDataObject } from 'n8n-workflow';

import { getEndpoint } from '../../nodes/shared/catalog';
import type { Category } from '../../nodes/shared/catalog/types';
import { sampleFile, startSimulator, type Simulator } from '../simulator';
import { eventually, WaitingRoute, type TestExecution } from '../support/n8nHarness';
import { binaryParameters, parametersFromExample } from '../support/uiParameters';

/**
 * The families added 2026-12-07 and the request shapes that follow ModelsLab's strongest source,
 * in in-process executions against the simulator: a disputed field's second name gets the
 * uploaded file's URL too, Get Result finds the new families' jobs, text outputs, and requirements
 * between fields that stop a run before anything is sent.
 */
let sim: Simulator;
let route: WaitingRoute;

const NODE_TYPE: Partial<Record<Category, string>> = {
	image: 'modelslab.image',
	audio: 'modelslab.audio',
	video: 'modelslab.video',
	threeD: 'modelslab.threeD',
	imageEditing: 'modelslab.imageEditing',
	interior: 'modelslab.interior',
};

beforeAll(async () => {
	sim = await startSimulator({ callbackDelayMs: 150 });
	route = await new WaitingRoute().start();
});
afterAll(async () => {
	await sim.stop();
	await route.stop();
});
beforeEach(() => {
	sim.reset();
	sim.setDefaultBehaviour({ eta: 60 });
});

async function run(
	category: Category,
	parameters: IDataObject,
	binaries?: Array<IBinaryKeyData | undefined>,
): Promise<TestExecution> {
	const execution = await route.run({
		node: {
			id: `node-${Math.random().toString(36).slice(2, 10)}`,
			type: NODE_TYPE[category] ?? '',
			parameters: { options: { pollInterval: 1 }, ...parameters },
		},
		items: (binaries ?? [undefined]).map(() => ({})),
		binaries,
		credentials: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
	});
	await eventually(
		() => execution.status !== 'waiting' && execution.status !== 'running',
		20_000,
		'the execution to finish',
	);
	return execution;
}

function example(category: Category, operation: string, extra: IDataObject): IDataObject {
	return parametersFromExample(getEndpoint(category, operation), extra);
}

it('image_to_3d from binary data sends the uploaded URL as init_image and as image', async () => {
	const png = sampleFile('image.png');
	const binary: IBinaryKeyData = {
		data: {
			data: png?.bytes.toString('base64') ?? '',
			mimeType: 'image/png',
			fileName: 'image.png',
		},
	};
	const parameters = binaryParameters(
		getEndpoint('threeD', 'image_to_3d'),
		{ init_image: 'data' },
		{ completion: 'callback' },
	);
	const execution = await run('threeD', parameters, [binary]);
	expect(execution.error?.message).toBeUndefined();
	expect(execution.status).toBe('success');
	const [upload] = sim.uploads();
	expect(sim.uploads()).toHaveLength(1);
	const [job] = [...sim.jobs.values()];
	expect(job.request).toMatchObject({ init_image: upload.url, image: upload.url });
});

describe('Get Result finds a job of each new family from its own node', () => {
	it.each([
		['image', 'realtime_img2img'],
		['interior', 'scenario_changer'],
		['imageEditing', 'flux_kontext'],
		['audio', 'speech_to_text'],
		['video', 'watermark_remover'],
	] as const)('%s %s', async (category, operation) => {
		const submitted = await run(category, example(category, operation, { completion: 'submit' }));
		expect(submitted.error?.message).toBeUndefined();
		const id = String(submitted.received[0][0].id);
		expect(sim.jobs.get(id)?.endpoint).toBe(
			(getEndpoint(category, operation) as { path: string }).path,
		);
		await eventually(() => sim.jobs.get(id)?.status === 'success', 10_000, 'the job');
		const read = await run(category, { operation: 'getResult', requestId: id });
		expect(read.error?.message).toBeUndefined();
		expect(read.received[0][0]).toMatchObject({
			status: 'success',
			id,
			output: sim.jobs.get(id)?.output,
		});
	});
});

it.each(['speech_to_text', 'lyrics_generator'])(
	'%s ends with a text file as its output',
	async (operation) => {
		const execution = await run('audio', example('audio', operation, { completion: 'callback' }));
		expect(execution.status).toBe('success');
		const output = execution.received[0][0].output as string[];
		expect(output).toHaveLength(1);
		expect(output[0]).toMatch(/\.txt$/);
	},
);

it('the community switches reach ModelsLab as "yes"/"no"', async () => {
	const execution = await run(
		'image',
		example('image', 'text2img', {
			completion: 'submit',
			additionalFields: { safetyChecker: true, enhancePrompt: false, useKarrasSigmas: true },
		}),
	);
	expect(execution.error?.message).toBeUndefined();
	const [job] = [...sim.jobs.values()];
	expect(job.request).toMatchObject({
		safety_checker: 'yes',
		enhance_prompt: 'no',
		use_karras_sigmas: 'yes',
	});
});

it('a song whose lyrics ModelsLab writes stops without a caption, with nothing sent', async () => {
	const execution = await run('audio', {
		operation: 'song_generator',
		completion: 'callback',
		additionalFields: { lyricsGeneration: true, prompt: 'a summer love song' },
	});
	expect(execution.status).toBe('error');
	expect(execution.error?.message).toContain(
		'Invalid parameter "Caption" (caption): is required when "Lyrics Generation" is on',
	);
	expect(sim.stats().submits).toBe(0);
});
