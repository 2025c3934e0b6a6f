import type { IDataObject } from 'n8n-workflow';

import { allEndpoints, getEndpoint } from '../../nodes/shared/catalog';
import { hasModelChoice, OTHER_MODEL } from '../../nodes/shared/catalog/modelChoice';
import type { Category, SubmitEndpointSpec } from '../../nodes/shared/catalog/types';
import { eventually, WaitingRoute, type TestExecution } from '../support/n8nHarness';
import { parametersFromExample } from '../support/uiParameters';
import { startSimulator, type Simulator } from '../simulator';

/**
 * Every submitting operation of the contract, in every completion mode, against the simulator
 * (which validates bodies strictly from the API reference), inside in-process executions; every
 * provider model of the v7 operations in callback mode; Get Result on v6 and v7 jobs.
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
	// Long ETAs make callback mode park instead of finishing in its check before parking.
	sim.setDefaultBehaviour({ eta: 60 });
	route = await new WaitingRoute().start();
});
afterAll(async () => {
	await sim.stop();
	await route.stop();
});

async function run(
	endpoint: { category: Category },
	parameters: IDataObject,
): Promise<TestExecution> {
	return await route.run({
		node: {
			id: `node-${Math.random().toString(36).slice(2, 10)}`,
			type: NODE_TYPE[endpoint.category],
			parameters: { options: { pollInterval: 1 }, ...parameters },
		},
		items: [{}],
		credentials: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
	});
}

const submitEndpoints = allEndpoints().filter(
	(endpoint): endpoint is SubmitEndpointSpec => endpoint.type === 'submit',
);

describe.each(
	submitEndpoints.map(
		(endpoint) => [`${endpoint.category} ${endpoint.operation}`, endpoint] as const,
	),
)('%s', (_name, endpoint) => {
	it.each(['submit', 'poll', 'callback'])(
		'completes in %s mode with a body the simulator accepts',
		async (completion) => {
			const execution = await run(endpoint, parametersFromExample(endpoint, { completion }));
			if (completion === 'callback' && endpoint.webhook) expect(execution.status).toBe('waiting');
			await eventually(
				() => execution.status !== 'waiting' && execution.status !== 'running',
				20_000,
				`${endpoint.operation} to finish`,
			);
			expect(execution.error?.message).toBeUndefined();
			expect(execution.status).toBe('success');
			const [item] = execution.received[0];
			if (completion === 'submit') {
				expect(item).toMatchObject({
					status: expect.stringMatching(/processing|success/),
					id: expect.any(String),
				});
			} else {
				expect(item).toMatchObject({ status: 'success', id: expect.any(String) });
				if (endpoint.jobKind !== 'training')
					expect((item.output as string[]).length).toBeGreaterThan(0);
			}
		},
		30_000,
	);
});

/** Every provider model (and Other Model by ID) of every v7 operation, in callback mode. */
const modelCases = submitEndpoints
	.filter(hasModelChoice)
	.flatMap((endpoint) =>
		[...endpoint.models.map((model) => model.id), OTHER_MODEL].map(
			(choice) => [`${endpoint.operation} ${choice}`, endpoint, choice] as const,
		),
	);

describe.each(modelCases)('%s', (_name, endpoint, choice) => {
	it('completes in callback mode, sending its model_id and fields to the simulator', async () => {
		const before = new Set(sim.jobs.keys());
		const execution = await run(
			endpoint,
			parametersFromExample(endpoint, { completion: 'callback' }, choice),
		);
		expect(execution.error?.message).toBeUndefined();
		expect(execution.status).toBe('waiting');
		await eventually(() => execution.status !== 'waiting', 20_000, `${choice} to finish`);
		expect(execution.error?.message).toBeUndefined();
		expect(execution.status).toBe('success');
		const [job] = [...sim.jobs.values()].filter((entry) => !before.has(entry.id));
		const example =
			choice === OTHER_MODEL
				? endpoint.example
				: { model_id: choice, ...endpoint.models.find((m) => m.id === choice)?.example };
		expect(job.request).toMatchObject(example);
		const [item] = execution.received[0];
		expect(item).toMatchObject({ status: 'success', id: job.id, output: job.output });
	}, 30_000);
});

describe('read operations', () => {
	it.each([
		['image', 'text2img'],
		['video', 'text2video'],
		['audio', 'music_gen'],
		['threeD', 'text_to_3d'],
		['imageEditing', 'super_resolution'],
		['imageEditing', 'single_face_swap'],
		['image', 'v7_text_to_image'],
		['video', 'v7_text_to_video'],
		['audio', 'v7_text_to_speech'],
	] as const)('getResult reads a %s %s job by request id', async (category, operation) => {
		const endpoint = getEndpoint(category, operation);
		const submitted = await run(
			endpoint,
			parametersFromExample(endpoint, { completion: 'submit' }),
		);
		const id = String(submitted.received[0][0].id);
		const job = sim.jobs.get(id);
		expect(job).toBeDefined();
		await eventually(() => sim.jobs.get(id)?.status === 'success', 10_000, 'the job');
		const read = await run(endpoint, { operation: 'getResult', requestId: id });
		expect(read.error?.message).toBeUndefined();
		expect(read.received[0][0]).toMatchObject({
			status: 'success',
			id,
			output: sim.jobs.get(id)?.output,
		});
	});

	it('getStatus reads a training', async () => {
		const endpoint = getEndpoint('training', 'lora_fine_tune');
		const submitted = await run(
			endpoint,
			parametersFromExample(endpoint, { completion: 'submit' }),
		);
		const trainingId = String(submitted.received[0][0].id);
		const read = await run(endpoint, { operation: 'getStatus', trainingId });
		expect(read.received[0][0]).toMatchObject({
			id: trainingId,
			training_status: expect.any(String),
		});
	});

	it('getRun reads a workflow run', async () => {
		const endpoint = getEndpoint('workflow', 'run');
		const submitted = await run(
			endpoint,
			parametersFromExample(endpoint, { completion: 'submit' }),
		);
		const executionId = String(submitted.received[0][0].id);
		const read = await run(endpoint, {
			operation: 'getRun',
			workflowId: String(endpoint.example.workflow_id),
			executionId,
		});
		expect(read.error?.message).toBeUndefined();
		expect(read.received[0][0]).toMatchObject({
			id: executionId,
			status: expect.stringMatching(/processing|success/),
		});
	});
});
