import type { IDataObject } from 'n8n-workflow';

import { eventually, WaitingRoute, type TestExecution } from '../support/n8nHarness';
import { DEFAULT_WORKFLOW_ID, startSimulator, type Simulator } from '../simulator';

/**
 * Pickers in real n8n-core executions: a version 1 node with the plain string a saved workflow
 * holds and a version 1.1 node with a resource locator send the same request.
 */
let sim: Simulator;
let route: WaitingRoute;

beforeAll(async () => {
	sim = await startSimulator({ callbackDelayMs: 100 });
	route = await new WaitingRoute().start();
});
afterAll(async () => {
	await sim.stop();
	await route.stop();
});
beforeEach(() => sim.reset());

async function run(
	type: string,
	typeVersion: number,
	parameters: IDataObject,
): Promise<TestExecution> {
	const execution = await route.run({
		node: {
			id: `node-${Math.random().toString(36).slice(2, 10)}`,
			type,
			typeVersion,
			parameters: { completion: 'poll', options: { pollInterval: 1 }, ...parameters },
		},
		items: [{}],
		credentials: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
	});
	await eventually(() => execution.status !== 'running' && execution.status !== 'waiting', 15_000);
	return execution;
}

const locator = (value: string, mode = 'list'): IDataObject => ({ __rl: true, mode, value });

describe.each([
	['version 1, plain string', 1, (value: string): IDataObject[string] => value],
	[
		'version 1.1, picked from the list',
		1.1,
		(value: string): IDataObject[string] => locator(value),
	],
	[
		'version 1.1, typed in By ID',
		1.1,
		(value: string): IDataObject[string] => locator(value, 'id'),
	],
])('%s', (_name, typeVersion, valueOf) => {
	it('Text to Image sends the model and LoRA IDs', async () => {
		const execution = await run('modelslab.image', typeVersion, {
			operation: 'text2img',
			modelId: valueOf('sdxl'),
			prompt: 'a lighthouse',
			additionalFields: { loraModel: valueOf('sim-watercolor-lora,F5jvdzGnYi') },
		});
		expect(execution.error?.message).toBeUndefined();
		const [job] = [...sim.jobs.values()];
		expect(job.request).toMatchObject({
			model_id: 'sdxl',
			lora_model: 'sim-watercolor-lora,F5jvdzGnYi',
		});
	});

	it('Text to Speech sends the voice ID', async () => {
		const execution = await run('modelslab.audio', typeVersion, {
			operation: 'text_to_speech',
			prompt: 'Hello',
			voiceId: valueOf('tara'),
			language: 'american english',
			additionalFields: {},
		});
		expect(execution.error?.message).toBeUndefined();
		expect([...sim.jobs.values()][0].request.voice_id).toBe('tara');
	});

	it('Workflow Run puts the workflow ID into the path', async () => {
		const execution = await run('modelslab.workflow', typeVersion, {
			operation: 'run',
			workflowId: valueOf(DEFAULT_WORKFLOW_ID),
			inputs: '{"prompt": "A sunset"}',
			additionalFields: {},
		});
		expect(execution.error?.message).toBeUndefined();
		expect([...sim.jobs.values()][0].workflowId).toBe(DEFAULT_WORKFLOW_ID);
	});
});
