import type { IDataObject } from 'n8n-workflow';

import { summaryKey } from '../../nodes/shared/completion/runLedger';
import { eventually, WaitingRoute, type TestExecution } from '../support/n8nHarness';
import { startSimulator, type Simulator } from '../simulator';

/**
 * Whole executions in-process (n8n-core's WorkflowExecute, real node contexts): the node submits
 * to the simulator, parks, the simulator calls the resume URL over real HTTP, and the execution
 * resumes — as n8n's waiting-webhook route would drive it.
 */
let sim: Simulator;
let route: WaitingRoute;

beforeAll(async () => {
	sim = await startSimulator({ callbackDelayMs: 300 });
	route = await new WaitingRoute().start();
});
afterAll(async () => {
	await sim.stop();
	await route.stop();
});
beforeEach(() => sim.reset());

const NODE_ID = '0b4a1f7e-1111-4c2d-9e3f-5a6b7c8d9e0f';

async function runImage(
	items: IDataObject[],
	parameters: IDataObject = {},
	node: { onError?: string } = {},
	run: { unsignedResume?: boolean } = {},
): Promise<TestExecution> {
	return await route.run({
		...run,
		node: {
			id: NODE_ID,
			type: 'modelslab.image',
			parameters: {
				operation: 'text2img',
				modelId: 'flux',
				prompt: '={{ $json.prompt }}',
				completion: 'callback',
				additionalFields: {},
				options: {},
				...parameters,
			},
			...(node.onError ? { onError: node.onError as 'continueRegularOutput' } : {}),
		},
		items,
		credentials: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
	});
}

it('parks, takes the callback and resumes with the result', async () => {
	sim.plan({ eta: 60, delayMs: 800 });
	const execution = await runImage([{ prompt: 'a red apple' }]);
	expect(execution.status).toBe('waiting');
	expect(execution.received).toEqual([]);
	const submitted = sim.requests.find((request) => request.path === '/api/v6/images/text2img');
	const webhook = new URL(String((submitted?.body as { webhook?: string } | undefined)?.webhook));
	expect(webhook.pathname).toBe(`/webhook-waiting/${execution.id}/${NODE_ID}`);

	await eventually(() => execution.status === 'success', 10_000, 'the resume');
	const [batch] = execution.received;
	expect(batch).toHaveLength(1);
	const [job] = [...sim.jobs.values()];
	expect(batch[0]).toMatchObject({
		status: 'success',
		id: job.id,
		output: job.output,
		track_id: `n8n-${execution.id}-${NODE_ID.slice(0, 8)}-r0-0`,
	});
	expect(route.callbackAnswers(execution.id).map((answer) => answer.statusCode)).toEqual([200]);
});

it('three items with callbacks out of order resume once, in input order, ignoring a duplicate and a foreign callback', async () => {
	sim.plan({ eta: 60, delayMs: 900 });
	sim.plan({ eta: 60, delayMs: 1800, duplicateCallbacks: 2 });
	sim.plan({ eta: 60, delayMs: 1300 });
	const execution = await runImage([{ prompt: 'one' }, { prompt: 'two' }, { prompt: 'three' }]);
	expect(execution.status).toBe('waiting');
	const ids = [...sim.jobs.keys()];

	// A callback for a job this node never submitted, with a valid tag: acknowledged, ignored.
	const webhook = String(
		(
			sim.requests.find((request) => request.path === '/api/v6/images/text2img')?.body as
				{ webhook?: string } | undefined
		)?.webhook,
	);
	const foreign = await fetch(webhook, {
		method: 'POST',
		headers: { 'content-type': 'application/json', connection: 'close' },
		body: JSON.stringify({ status: 'success', id: 1, output: ['x'] }),
	});
	expect(foreign.status).toBe(200);
	expect(await foreign.json()).toMatchObject({ accepted: false });
	expect(execution.status).toBe('waiting');

	await eventually(() => execution.status === 'success', 15_000, 'the resume');
	await sim.waitForCallbacks(5, 5_000);
	expect(execution.received).toHaveLength(1);
	expect(execution.received[0].map((item) => item.id)).toEqual(ids);
	const outputs = execution.nodeOutput();
	expect(outputs.map((item) => item.status)).toEqual(['success', 'success', 'success']);
	// The duplicates arrived after the resume: n8n answers 409 and runs nothing.
	const late = route.callbackAnswers(execution.id).filter((answer) => answer.statusCode === 409);
	expect(late.length).toBeGreaterThanOrEqual(1);
});

it('track ids set by an expression per item come back on every item after the resume', async () => {
	sim.plan({ eta: 60, delayMs: 500 }, 2);
	const execution = await runImage(
		[
			{ prompt: 'a', user: 'ann' },
			{ prompt: 'b', user: 'bob' },
		],
		{ trackId: '=user_{{ $json.user }}' },
	);
	expect(execution.status).toBe('waiting');
	expect([...sim.jobs.values()].map((job) => job.trackId)).toEqual(['user_ann', 'user_bob']);
	await eventually(() => execution.status === 'success', 10_000, 'the resume');
	expect(execution.received[0].map((item) => item.track_id)).toEqual(['user_ann', 'user_bob']);
});

it('a node that parks twice in one execution (a loop) resumes each time', async () => {
	sim.plan({ eta: 60, delayMs: 300 }, 2);
	const execution = await runImage([{ prompt: 'first' }]);
	await eventually(() => execution.status === 'success', 10_000, 'the first resume');
	// Run the same node again inside the same execution, as Loop Over Items does.
	const node = execution.workflow.getNode(execution.nodeName);
	const stack = execution.runExecutionData.executionData?.nodeExecutionStack ?? [];
	stack.push({
		node: { ...(node as NonNullable<typeof node>), disabled: false },
		data: { main: [[{ json: { prompt: 'second' } }]] },
		source: null,
	});
	await execution.start();
	expect(execution.status).toBe('waiting');
	await eventually(
		() => execution.status === 'success' && execution.received.length === 2,
		10_000,
		'the second resume',
	);
	expect(execution.received[1][0]).toMatchObject({
		status: 'success',
		id: [...sim.jobs.keys()][1],
	});
});

it('a fast job whose callback never arrives (or came while the node still ran) is read once after the park', async () => {
	sim.plan({ eta: 1, delayMs: 0, dropCallback: true });
	const execution = await runImage([{ prompt: 'fast' }]);
	// Nothing sleeps in execute(): the node parks, and reads the job when its callback is overdue.
	expect(execution.status).toBe('waiting');
	await eventually(() => execution.status === 'success', 20_000, 'the read after the park');
	expect(execution.received[0][0]).toMatchObject({ status: 'success' });
	expect(sim.requests.filter((request) => request.path.includes('/fetch/'))).toHaveLength(1);
});

it("at the wait limit n8n's own timed resume ends the run: the item fails naming its request id and the limit as set", async () => {
	sim.plan({ eta: 60, hold: true });
	const execution = await runImage([{ prompt: 'never' }], { options: { waitLimit: 15 } });
	expect(execution.status).toBe('waiting');
	const [id] = [...sim.jobs.keys()];
	const summary = execution.runExecutionData.resultData.metadata?.[summaryKey(NODE_ID)];
	expect(summary).toMatch(
		new RegExp(`^text2img: 1 items, 1 submitted, run [0-9a-f]{16}; ids ${id}$`),
	);
	const later = Date.now() + 16 * 60_000;
	const clock = jest.spyOn(Date, 'now').mockImplementation(() => later);
	try {
		await execution.expireWait();
	} finally {
		clock.mockRestore();
	}
	// Never a green execution with a result missing.
	expect(execution.status).toBe('error');
	expect(execution.error?.message).toBe(
		`ModelsLab job ${id} was still running after the wait limit of 15 min`,
	);
	expect(execution.received).toEqual([]);
	// The last step read the job once more before giving up on it.
	expect(sim.requests.filter((request) => request.path.includes('/fetch/'))).toHaveLength(1);
});

it('a failed job fails the node, runs nothing downstream, and ModelsLab still gets 2xx', async () => {
	sim.plan({ eta: 60, delayMs: 600, outcome: 'failed', errorMessage: 'NSFW content detected' });
	const execution = await runImage([{ prompt: 'bad' }]);
	await eventually(() => route.callbackAnswers(execution.id).length > 0, 10_000, 'the callback');
	await eventually(
		() => execution.status !== 'running' && execution.status !== 'waiting' && execution.status,
		10_000,
		'the end',
	);
	expect(route.callbackAnswers(execution.id)[0]?.statusCode).toBe(200);
	expect(execution.status).toBe('error');
	expect(execution.error?.message).toMatch(/ModelsLab job \d+ failed: .*NSFW content detected/);
	expect(execution.received).toEqual([]);
});

it('with Continue On Fail a failed job yields the error item and the workflow goes on', async () => {
	sim.plan({ eta: 60, delayMs: 600, outcome: 'failed', errorMessage: 'NSFW content detected' });
	const execution = await runImage([{ prompt: 'bad' }], {}, { onError: 'continueRegularOutput' });
	await eventually(() => execution.status === 'success', 10_000, 'the resume');
	const [id] = [...sim.jobs.keys()];
	expect(execution.received[0][0]).toMatchObject({
		status: 'failed',
		id,
		error: expect.stringContaining('NSFW content detected'),
	});
});

it("a forged callback is refused and the execution keeps waiting: by n8n's token (2.14+) or by the tag (1.x)", async () => {
	for (const unsignedResume of [false, true]) {
		sim.plan({ eta: 60, hold: true });
		const before = new Set(sim.jobs.keys());
		const execution = await runImage([{ prompt: 'x' }], {}, {}, { unsignedResume });
		const id = [...sim.jobs.keys()].find((jobId) => !before.has(jobId)) as string;
		const genuineUrl = new URL(String(sim.jobs.get(id)?.webhook));
		expect(genuineUrl.searchParams.has('signature')).toBe(!unsignedResume);
		const forgedUrl = `${route.baseUrl}/${execution.id}/${NODE_ID}`;
		const forged = await fetch(forgedUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json', connection: 'close' },
			body: JSON.stringify({
				status: 'success',
				id: Number(id),
				output: ['https://evil.example/x.png'],
			}),
		});
		expect(forged.status).toBe(401);
		expect(execution.status).toBe('waiting');
		await sim.completeJob(id);
		await eventually(() => execution.status === 'success', 10_000, 'the real callback');
		expect(execution.received[0][0].output).not.toContain('https://evil.example/x.png');
	}
});

it('downloads the output files into binary data on resume', async () => {
	sim.plan({ eta: 60, delayMs: 500 });
	const execution = await runImage([{ prompt: 'file' }], { options: { downloadOutputs: true } });
	await eventually(() => execution.status === 'success', 10_000, 'the resume');
	const runs = execution.runExecutionData.resultData.runData.Sink;
	const binary = runs[runs.length - 1].data?.main[0]?.[0].binary;
	expect(binary?.data).toMatchObject({ mimeType: 'image/png' });
	expect(Buffer.from(String(binary?.data.data), 'base64').subarray(0, 4).toString('hex')).toBe(
		'89504e47',
	);
});

it('training resumes only when the model is ready', async () => {
	const execution = await route.run({
		node: {
			id: NODE_ID,
			type: 'modelslab.training',
			parameters: {
				operation: 'lora_fine_tune',
				instancePrompt: 'photo of ambika0 man',
				classPrompt: 'photo of a man',
				images: 'https://example.com/1.png',
				trainingType: 'men',
				maxTrainSteps: 18,
				completion: 'callback',
				additionalFields: {},
				options: {},
			},
		},
		items: [{}],
		credentials: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
	});
	expect(execution.status).toBe('waiting');
	await eventually(() => execution.status === 'success', 15_000, 'model_ready');
	const answers = route.callbackAnswers(execution.id);
	// Seven state callbacks kept it waiting; the eighth resumed it.
	expect(
		answers
			.slice(0, 7)
			.every(
				(answer) => answer.statusCode === 200 && (answer.body as IDataObject).resumed === undefined,
			),
	).toBe(true);
	expect(execution.received[0][0]).toMatchObject({
		status: 'success',
		training_status: 'model_ready',
	});
});
