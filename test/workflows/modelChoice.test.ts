import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { getEndpoint } from '../../nodes/shared/catalog';
import { OTHER_MODEL } from '../../nodes/shared/catalog/modelChoice';
import type { Category } from '../../nodes/shared/catalog/types';
import { eventually, WaitingRoute, type TestExecution } from '../support/n8nHarness';
import { parametersFromExample } from '../support/uiParameters';
import { startSimulator, type Simulator } from '../simulator';

/**
 * The model choice of the v7 operations inside real executions (n8n-core) against the simulator:
 * what is sent for a catalog model and for "Other Model (by ID)", what stops a run before
 * anything is submitted, and the v7 example workflows' ModelsLab nodes as saved.
 */
let sim: Simulator;
let route: WaitingRoute;

const NODE_TYPE: Partial<Record<Category, string>> = {
	image: 'modelslab.image',
	video: 'modelslab.video',
	audio: 'modelslab.audio',
};

beforeAll(async () => {
	sim = await startSimulator({ callbackDelayMs: 100 });
	route = await new WaitingRoute().start();
});
afterAll(async () => {
	await sim.stop();
	await route.stop();
});

async function run(category: Category, parameters: IDataObject): Promise<TestExecution> {
	return await route.run({
		node: {
			id: `node-${Math.random().toString(36).slice(2, 10)}`,
			type: String(NODE_TYPE[category]),
			parameters: { completion: 'poll', options: { pollInterval: 1 }, ...parameters },
		},
		items: [{}],
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

const lastJobBody = () => [...sim.jobs.values()].at(-1)?.request;

describe('a catalog model', () => {
	it('sends its model_id and its own fields, optional ones from its Additional Fields', async () => {
		const endpoint = getEndpoint('video', 'v7_text_to_video');
		const parameters = parametersFromExample(endpoint, {}, 'seedance-t2v');
		parameters.additionalFields = { resolution: '480p', cameraFixed: true };
		const execution = await finished(await run('video', parameters));
		expect(execution.error?.message).toBeUndefined();
		expect(lastJobBody()).toMatchObject({
			model_id: 'seedance-t2v',
			prompt: 'a paper boat on a stream',
			resolution: '480p',
			camera_fixed: true,
		});
	});

	it('with a required field of its own empty, stops before submitting and names the field', async () => {
		const endpoint = getEndpoint('image', 'v7_image_to_image');
		const parameters = parametersFromExample(endpoint, {}, 'nano-banana');
		// n8n itself refuses to start with a literal empty required parameter; an expression is not checked.
		parameters.initImage2 = '={{ "" }}';
		const submits = sim.stats().submits;
		const execution = await finished(await run('image', parameters));
		expect(execution.status).toBe('error');
		expect(execution.error?.message).toMatch(
			/Invalid parameter "Init Image 2" \(init_image_2\): is required\. Set "Init Image 2" \(initImage2\)/,
		);
		expect(sim.stats().submits).toBe(submits);
	});

	it('keeps the chosen model_id even when Extra Body Fields name another', async () => {
		const endpoint = getEndpoint('audio', 'v7_text_to_speech');
		const parameters = parametersFromExample(endpoint, {}, 'inworld-tts-1');
		parameters.additionalFields = {
			extraFields: '{"model_id":"eleven_multilingual_v2","speed":1.1}',
		};
		const execution = await finished(await run('audio', parameters));
		expect(execution.error?.message).toBeUndefined();
		expect(lastJobBody()).toMatchObject({ model_id: 'inworld-tts-1', speed: 1.1 });
	});

	it('refuses a model the operation does not list, before submitting', async () => {
		const endpoint = getEndpoint('image', 'v7_text_to_image');
		const parameters = { ...parametersFromExample(endpoint), modelId: 'sora-2' };
		const submits = sim.stats().submits;
		const execution = await finished(await run('image', parameters));
		expect(execution.error?.message).toMatch(/"sora-2" is not a model of Text to Image/);
		expect(sim.stats().submits).toBe(submits);
	});
});

describe('Other Model (by ID)', () => {
	it('sends the model id of the resource locator and the Model Fields JSON', async () => {
		const execution = await finished(
			await run('image', {
				operation: 'v7_text_to_image',
				modelId: OTHER_MODEL,
				customModelId: { __rl: true, mode: 'list', value: 'imagen-3' },
				customModelFields: '{"prompt":"a quiet harbour","model_id":"ignored","key":"leak"}',
			}),
		);
		expect(execution.error?.message).toBeUndefined();
		expect(lastJobBody()).toMatchObject({ model_id: 'imagen-3', prompt: 'a quiet harbour' });
		expect(JSON.stringify(lastJobBody())).not.toContain('leak');
	});

	it('takes the documented fields of an operation without catalog models', async () => {
		const endpoint = getEndpoint('video', 'v7_motion_control');
		const parameters = parametersFromExample(endpoint, {}, OTHER_MODEL);
		parameters.additionalFields = { keepOriginalSound: true, mode: 'pro' };
		const execution = await finished(await run('video', parameters));
		expect(execution.error?.message).toBeUndefined();
		expect(lastJobBody()).toMatchObject({
			model_id: 'kling-motion-control',
			character_orientation: 'image',
			keep_original_sound: 'yes',
			mode: 'pro',
		});
	});

	it('without a model id, stops before submitting and names the parameter', async () => {
		const submits = sim.stats().submits;
		const execution = await finished(
			await run('audio', {
				operation: 'v7_create_dubbing',
				modelId: OTHER_MODEL,
				customModelId: { __rl: true, mode: 'id', value: ' ' },
				initAudio: 'https://example.com/a.mp3',
				targetLanguage: 'es',
			}),
		);
		expect(execution.error?.message).toMatch(/"Model ID" \(model_id\): is required.*customModelId/);
		expect(sim.stats().submits).toBe(submits);
	});

	it('with Model Fields that are not a JSON object, stops and names them', async () => {
		const execution = await finished(
			await run('image', {
				operation: 'v7_text_to_image',
				modelId: OTHER_MODEL,
				customModelId: { __rl: true, mode: 'id', value: 'imagen-3' },
				customModelFields: '["prompt"]',
			}),
		);
		expect(execution.error?.message).toMatch(/"Model Fields \(JSON\)" \(customModelFields\)/);
	});
});

describe('the v7 examples', () => {
	const folder = join(__dirname, '..', '..', 'examples');
	const examples = readdirSync(folder)
		.filter((file) => file.startsWith('v7-') && file.endsWith('.json'))
		.map((file) => JSON.parse(readFileSync(join(folder, file), 'utf8')) as ExampleWorkflow);

	it('are three, one per v7 family', () => {
		expect(examples.map((example) => modelsLabNode(example).type).sort()).toEqual([
			'n8n-nodes-modelslab.modelsLabAudio',
			'n8n-nodes-modelslab.modelsLabImage',
			'n8n-nodes-modelslab.modelsLabVideo',
		]);
	});

	it.each(examples.map((example) => [example.name, example] as const))(
		'%s: its ModelsLab node runs as saved against the simulator',
		async (_name, example) => {
			const node = modelsLabNode(example);
			const category = EXAMPLE_CATEGORY[node.type];
			const execution = await route.run({
				node: { id: node.id, type: String(NODE_TYPE[category]), parameters: node.parameters },
				items: [{}],
				credentials: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
			});
			await finished(execution);
			expect(execution.error?.message).toBeUndefined();
			expect(execution.status).toBe('success');
			expect(execution.received[0][0]).toMatchObject({ status: 'success' });
			expect(lastJobBody()).toMatchObject({ model_id: node.parameters.modelId });
		},
		30_000,
	);
});

interface ExampleWorkflow {
	name: string;
	nodes: Array<{ id: string; type: string; parameters: INodeParameters }>;
}

const EXAMPLE_CATEGORY: Record<string, Category> = {
	'n8n-nodes-modelslab.modelsLabImage': 'image',
	'n8n-nodes-modelslab.modelsLabVideo': 'video',
	'n8n-nodes-modelslab.modelsLabAudio': 'audio',
};

function modelsLabNode(example: ExampleWorkflow): ExampleWorkflow['nodes'][number] {
	const node = example.nodes.find((entry) => entry.type.startsWith('n8n-nodes-modelslab.'));
	if (!node) throw new Error(`${example.name} has no ModelsLab node`);
	return node;
}
