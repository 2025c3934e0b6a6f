import type { IDataObject } from 'n8n-workflow';

import { eventually, WaitingRoute, type TestExecution } from '../support/n8nHarness';
import { startSimulator, type Simulator } from '../simulator';

/**
 * Batches as users run them (whole executions in-process, n8n-core's WorkflowExecute, the
 * simulator over real HTTP): hundreds of items in one node run, the account's queue limit below the
 * batch size, jobs of random length, callbacks refused while the node parks, failures under each
 * On Error setting, a node run twice in one execution.
 */
let sim: Simulator;
let route: WaitingRoute;

beforeAll(async () => {
	sim = await startSimulator({ callbackDelayMs: 300, queueRetryAfterSeconds: 1 });
	route = await new WaitingRoute().start();
});
afterAll(async () => {
	await sim.stop();
	await route.stop();
});
beforeEach(() => sim.reset());

const NODE_ID = '7c1d2e3f-2222-4a5b-8c6d-7e8f9a0b1c2d';

async function runBatch(
	items: IDataObject[],
	node: { onError?: 'continueRegularOutput' | 'continueErrorOutput' } = {},
	options: IDataObject = {},
): Promise<TestExecution> {
	return await route.run({
		node: {
			id: NODE_ID,
			type: 'modelslab.image',
			parameters: {
				operation: 'text2img',
				modelId: 'flux',
				prompt: '={{ $json.prompt }}',
				completion: 'callback',
				additionalFields: {},
				options: options as Record<string, string | number | boolean>,
			},
			...(node.onError ? { onError: node.onError } : {}),
		},
		items,
		credentials: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
	});
}

const prompts = (count: number, marked: Record<number, string> = {}): IDataObject[] =>
	Array.from({ length: count }, (_, index) => ({
		prompt: `prompt ${index} ${marked[index] ?? ''}`.trim(),
		index,
	}));

/** ModelsLab calls per job: submits, fetches and uploads over the jobs' count. */
function callsPerJob(jobs: number): number {
	const stats = sim.stats();
	return (stats.submits + stats.fetches + stats.uploads) / jobs;
}

function expectResultsInOrder(execution: TestExecution, count: number): void {
	const out = execution.nodeItems();
	expect(out).toHaveLength(count);
	expect(out.map((item) => item.pairedItem)).toEqual(
		Array.from({ length: count }, (_, item) => ({ item })),
	);
	const byPrompt = new Map([...sim.jobs.values()].map((job) => [job.request.prompt, job]));
	for (const [index, item] of out.entries()) {
		const job = byPrompt.get(`prompt ${index}`);
		expect(item.json).toMatchObject({ status: 'success', id: job?.id, output: job?.output });
	}
	// Every item has the same fields, whichever way its result arrived.
	expect(new Set(out.map((item) => Object.keys(item.json).sort().join())).size).toBe(1);
}

it('300 items with a queue limit of 10 and random job lengths: one park, every result in input order, about one call per job', async () => {
	sim.setQueueLimit(10);
	sim.setDefaultBehaviour({ eta: 60, delayMs: { min: 100, max: 900 } });
	const execution = await runBatch(prompts(300));
	expect(execution.status).toBe('waiting');
	await eventually(() => execution.status === 'success', 120_000, 'the batch to resume');
	expectResultsInOrder(execution, 300);
	expect(execution.received).toHaveLength(1);
	const stats = sim.stats();
	expect(stats.accepted).toBe(300);
	expect(stats.maxRunning).toBeLessThanOrEqual(10);
	expect(callsPerJob(300)).toBeLessThanOrEqual(1.2);
}, 150_000);

it("300 items an account queue takes at once, jobs of 3-15 s: one submit per job and no read (issue 24's unpaced shape)", async () => {
	sim.setQueueLimit(300);
	sim.setDefaultBehaviour({ eta: 9, delayMs: { min: 3_000, max: 15_000 } });
	const execution = await runBatch(prompts(300));
	expect(execution.status).toBe('waiting');
	await eventually(() => execution.status === 'success', 60_000, 'the batch to resume');
	expectResultsInOrder(execution, 300);
	expect(sim.stats().submits).toBe(300);
	// The first callbacks are of the shortest jobs: the longer ones are not read as overdue.
	expect(callsPerJob(300)).toBeLessThanOrEqual(1.2);
}, 90_000);

it('callbacks refused while the node parks are found: the first callback that gets through checks the first wave', async () => {
	sim.setQueueLimit(6);
	// The first three jobs end at once: their callbacks reach n8n while execute() still runs (409).
	sim.plan({ eta: 60, delayMs: 0 }, 3);
	sim.setDefaultBehaviour({ eta: 60, delayMs: { min: 600, max: 1200 } });
	const execution = await runBatch(prompts(20));
	expect(execution.status).toBe('waiting');
	await eventually(() => execution.status === 'success', 60_000, 'the batch to resume');
	const refused = route.callbackAnswers(execution.id).filter((answer) => answer.statusCode === 409);
	expect(refused.length).toBeGreaterThanOrEqual(1);
	expectResultsInOrder(execution, 20);
}, 90_000);

it('a failed job without Continue On Fail fails the node at once, runs nothing downstream, and says which jobs still run', async () => {
	sim.setQueueLimit(4);
	sim.setDefaultBehaviour({ eta: 60, delayMs: { min: 300, max: 800 } });
	const execution = await runBatch(prompts(12, { 2: '[sim:fail]' }));
	await eventually(() => execution.status === 'error', 30_000, 'the node to fail');
	expect(execution.received).toEqual([]);
	expect(execution.error?.message).toMatch(/ModelsLab job \d+ failed/);
	// Nothing more was submitted once the failure was known.
	expect(sim.stats().accepted).toBeLessThan(12);
}, 60_000);

it('with Continue (regular output), the failed job is the contract error item among the results', async () => {
	sim.setQueueLimit(4);
	sim.setDefaultBehaviour({ eta: 60, delayMs: { min: 300, max: 800 } });
	const execution = await runBatch(prompts(12, { 5: '[sim:fail]' }), {
		onError: 'continueRegularOutput',
	});
	await eventually(() => execution.status === 'success', 60_000, 'the batch to resume');
	const out = execution.nodeOutput();
	expect(out).toHaveLength(12);
	const failedJob = [...sim.jobs.values()].find((job) =>
		String(job.request.prompt).includes('[sim:fail]'),
	);
	expect(out[5]).toEqual({
		error: expect.stringContaining(`ModelsLab job ${failedJob?.id} failed`),
		status: 'failed',
		id: failedJob?.id,
		track_id: expect.stringMatching(/^n8n-\d+-7c1d2e3f-r0-5$/),
	});
	expect(out.filter((item) => item.status === 'success')).toHaveLength(11);
}, 90_000);

it('with Continue (using error output), the failed job goes to the error output and the rest to the main output', async () => {
	sim.setQueueLimit(4);
	sim.setDefaultBehaviour({ eta: 60, delayMs: { min: 300, max: 800 } });
	const execution = await runBatch(prompts(12, { 7: '[sim:fail]' }), {
		onError: 'continueErrorOutput',
	});
	await eventually(() => execution.status === 'success', 60_000, 'the batch to resume');
	expect(execution.nodeOutput(0)).toHaveLength(11);
	const errors = execution.nodeItems(1);
	expect(errors).toHaveLength(1);
	const failedJob = [...sim.jobs.values()].find((job) =>
		String(job.request.prompt).includes('[sim:fail]'),
	);
	expect(errors[0].json.error).toContain(`ModelsLab job ${failedJob?.id} failed`);
	expect(errors[0].pairedItem).toEqual({ item: 7 });
	expect(execution.received[0]).toHaveLength(11);
}, 90_000);

it('a batch node run twice in one execution (a loop): each run resumes, track ids never repeat', async () => {
	sim.setQueueLimit(5);
	sim.setDefaultBehaviour({ eta: 60, delayMs: { min: 100, max: 400 } });
	const execution = await runBatch(prompts(15));
	await eventually(() => execution.status === 'success', 30_000, 'the first run');
	const node = execution.workflow.getNode(execution.nodeName);
	execution.runExecutionData.executionData?.nodeExecutionStack.push({
		node: { ...(node as NonNullable<typeof node>), disabled: false },
		data: { main: [prompts(15).map((json) => ({ json }))] },
		source: null,
	});
	await execution.start();
	await eventually(
		() => execution.status === 'success' && execution.received.length === 2,
		30_000,
		'the second run',
	);
	const trackIds = [...sim.jobs.values()].map((job) => job.trackId);
	expect(trackIds).toHaveLength(30);
	expect(new Set(trackIds).size).toBe(30);
	expect(execution.received[1]).toHaveLength(15);
}, 90_000);

it("n8n's own timed resume at the wait limit runs the node's last step: each item without a result fails naming its id, none is submitted there", async () => {
	sim.setQueueLimit(2);
	sim.setDefaultBehaviour({ eta: 60, hold: true });
	const execution = await runBatch(
		prompts(4),
		{ onError: 'continueRegularOutput' },
		{ waitLimit: 5 },
	);
	expect(execution.status).toBe('waiting');
	const later = Date.now() + 6 * 60_000;
	const clock = jest.spyOn(Date, 'now').mockImplementation(() => later);
	try {
		await execution.expireWait();
	} finally {
		clock.mockRestore();
	}
	const ids = [...sim.jobs.keys()];
	expect(ids).toHaveLength(2);
	expect(execution.nodeOutput().map((item) => [item.status, item.id, item.error])).toEqual([
		['failed', ids[0], `ModelsLab job ${ids[0]} was still running after the wait limit of 5 min`],
		['failed', ids[1], `ModelsLab job ${ids[1]} was still running after the wait limit of 5 min`],
		['failed', null, 'Item 2 was not submitted to ModelsLab before the wait limit of 5 min passed'],
		['failed', null, 'Item 3 was not submitted to ModelsLab before the wait limit of 5 min passed'],
	]);
});

it('1,000 items in one node run with a queue limit of 10: one park, 1,000 results in input order', async () => {
	sim.setQueueLimit(10);
	sim.setDefaultBehaviour({ eta: 60, delayMs: { min: 50, max: 300 } });
	const started = Date.now();
	const execution = await runBatch(prompts(1000));
	expect(execution.status).toBe('waiting');
	await eventually(() => execution.status === 'success', 240_000, 'the batch to resume');
	expectResultsInOrder(execution, 1000);
	const stats = sim.stats();
	expect(stats.accepted).toBe(1000);
	expect(stats.maxRunning).toBeLessThanOrEqual(10);
	expect(callsPerJob(1000)).toBeLessThanOrEqual(1.2);
	console.log(
		`1,000 items: ${((Date.now() - started) / 1000).toFixed(1)} s, ${callsPerJob(1000).toFixed(3)} calls per job, ${stats.rateLimited} refused submits`,
	);
}, 300_000);

it('a paced batch whose first callback never comes: the node looks at the job itself and goes on', async () => {
	// One job at a time; the first one's callback is dropped, so nothing would start the second.
	// ETA 16 s: no check before parking; the node's own wake-up comes at twice the ETA.
	sim.setQueueLimit(1);
	sim.plan({ eta: 16, delayMs: 500, dropCallback: true });
	sim.plan({ eta: 16, delayMs: 500 });
	const started = Date.now();
	const execution = await runBatch(prompts(2));
	expect(execution.status).toBe('waiting');
	await eventually(() => execution.status === 'success', 60_000, 'the wake-up');
	expect(Date.now() - started).toBeGreaterThanOrEqual(30_000);
	const ids = [...sim.jobs.keys()];
	expect(execution.nodeOutput().map((item) => [item.status, item.id])).toEqual([
		['success', ids[0]],
		['success', ids[1]],
	]);
	const callbacksOfFirst = sim.callbacks.filter(
		(callback) => callback.purpose === 'final' && callback.jobId === ids[0],
	);
	expect(callbacksOfFirst).toHaveLength(0);
}, 90_000);

it('at the wait limit the node resumes by itself: finished jobs with results, a job still running as an error naming its id', async () => {
	sim.plan({ eta: 60, delayMs: 300 });
	sim.plan({ eta: 60, hold: true });
	const execution = await runBatch(
		prompts(2),
		{ onError: 'continueRegularOutput' },
		{ waitLimit: 1 },
	);
	expect(execution.status).toBe('waiting');
	await eventually(() => execution.status === 'success', 100_000, 'the resume at the wait limit');
	const [done, running] = execution.nodeOutput();
	const ids = [...sim.jobs.keys()];
	expect(done).toMatchObject({ status: 'success', id: ids[0] });
	expect(running).toMatchObject({
		status: 'failed',
		id: ids[1],
		error: `ModelsLab job ${ids[1]} was still running after the wait limit of 1 min`,
	});
}, 120_000);
