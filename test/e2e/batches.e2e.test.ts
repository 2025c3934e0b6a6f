// Batches as users run them, on real n8n: 300 items in one node run with the account's queue limit
// below the batch size and jobs of random length, callbacks refused while the node parks, one
// failed job under each On Error setting, and a batch inside Loop Over Items. Every scenario
// asserts the exact output.
import { randomUUID } from 'node:crypto';

import type { Execution } from '../../scripts/n8n';
import { operationParameters, startAction } from './support/actionRun';
import { deploy, postWebhook } from './support/deploy';
import { executionIdOfJob, FINISHED, nodeOutput, runCount } from './support/executions';
import { e2eRuns } from './support/lines';
import { withReport, type ScenarioTrace } from './support/report';
import { nodeType, startStack, type E2eStack } from './support/stack';
import {
	ACTION_NODE,
	AFTER_NODE,
	chain,
	splitItemsNode,
	uniquePath,
	webhookNode,
	type E2eNode,
} from './support/workflows';

const BATCH = 300;
const QUEUE_LIMIT = 10;

const prompts = (count: number, marked: Record<number, string> = {}): Array<{ prompt: string }> =>
	Array.from({ length: count }, (_, index) => ({
		prompt: `prompt ${index} ${marked[index] ?? ''}`.trim(),
	}));

type OutputEntry = { json: Record<string, unknown>; pairedItem?: unknown };

function outputOf(execution: Execution, node: string, output: number): OutputEntry[] {
	const runs = (execution.data?.resultData.runData[node] ?? []) as Array<{
		data?: { main: Array<OutputEntry[] | null> };
	}>;
	return runs[runs.length - 1]?.data?.main[output] ?? [];
}

describe.each(e2eRuns())('n8n %s: batches at the queue limit', (_label, line) => {
	let stack: E2eStack;

	beforeAll(async () => {
		stack = await startStack(line, { simulator: { queueRetryAfterSeconds: 1 } });
	});
	afterAll(async () => {
		await stack?.stop();
	});
	beforeEach(() => {
		stack.sim.reset();
		stack.sim.setQueueLimit(QUEUE_LIMIT);
		stack.sim.setDefaultBehaviour({ eta: 60, delayMs: { min: 200, max: 1200 } });
	});

	/** The batch's execution, once finished, and the jobs it ran. */
	async function runBatch(
		trace: ScenarioTrace,
		name: string,
		items: Array<{ prompt: string }>,
		onError?: E2eNode['onError'],
	): Promise<Execution> {
		const { jobs } = await startAction(stack, trace, {
			name,
			category: 'image',
			parameters: operationParameters('image', 'text2img', {
				prompt: '={{ $json.prompt }}',
				completion: 'callback',
			}),
			body: { items },
			splitItems: true,
			jobCount: 1,
			onError,
		});
		trace.executionId = executionIdOfJob(jobs[0]);
		return await stack.n8n.api.waitForExecution(trace.executionId, FINISHED, {
			timeoutMs: 600_000,
			intervalMs: 1000,
		});
	}

	/** Every item's output is the job submitted for its prompt, in input order. */
	function expectResults(
		execution: Execution,
		count: number,
		output: OutputEntry[] = nodeOutput(execution, ACTION_NODE),
	): void {
		expect(output).toHaveLength(count);
		const byPrompt = new Map([...stack.sim.jobs.values()].map((job) => [job.request.prompt, job]));
		output.forEach((item, index) => {
			const job = byPrompt.get(`prompt ${index}`);
			expect(item.json).toMatchObject({ status: 'success', id: job?.id, output: job?.output });
			expect(item.pairedItem).toEqual({ item: index });
		});
		expect(new Set(output.map((item) => Object.keys(item.json).sort().join())).size).toBe(1);
	}

	test(`${BATCH} items, queue limit ${QUEUE_LIMIT}, random job lengths: one park, every result in input order, about one call per job`, async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			const started = Date.now();
			const done = await runBatch(trace, 'batch of 300', prompts(BATCH));
			expect(done.status).toBe('success');
			expectResults(done, BATCH);
			// One run of the node: no timed resume of n8n's left an empty run behind a park.
			expect(runCount(done, ACTION_NODE)).toBe(1);
			expect(runCount(done, AFTER_NODE)).toBe(1);
			const stats = stack.sim.stats();
			expect(stats.accepted).toBe(BATCH);
			expect(stats.maxRunning).toBeLessThanOrEqual(QUEUE_LIMIT);
			const calls = (stats.submits + stats.fetches + stats.uploads) / BATCH;
			process.stderr.write(
				`e2e measure: n8n ${stack.n8n.version} ${stack.deployment}: ${BATCH} items in ${Math.round((Date.now() - started) / 1000)} s, ${calls.toFixed(3)} ModelsLab calls per job, ${stats.rateLimited} submits refused (429)\n`,
			);
			expect(calls).toBeLessThanOrEqual(stack.deployment === 'queue' ? 2 : 1.2);
		});
	}, 900_000);

	test('callbacks refused while the node parks: the results are found, nothing waits for the limit', async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			// The first jobs end at once: their callbacks reach n8n while it is still saving the park.
			stack.sim.plan({ eta: 60, delayMs: 0 }, 4);
			const done = await runBatch(trace, 'refused callbacks', prompts(40));
			expect(done.status).toBe('success');
			expectResults(done, 40);
			const refused = stack.sim.callbacks.filter((callback) => callback.status === 409);
			process.stderr.write(
				`e2e measure: n8n ${stack.n8n.version}: ${refused.length} callbacks refused while parking, all found\n`,
			);
		});
	}, 300_000);

	test('one failed job, On Error "Stop Workflow": the node fails at once with the job named, nothing downstream runs', async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			const done = await runBatch(trace, 'failed job, stop', prompts(30, { 3: '[sim:fail]' }));
			expect(done.status).toBe('error');
			const failed = [...stack.sim.jobs.values()].find((job) =>
				String(job.request.prompt).includes('[sim:fail]'),
			);
			expect(done.data?.resultData.error?.message).toMatch(
				new RegExp(`ModelsLab job ${failed?.id} failed`),
			);
			expect(runCount(done, AFTER_NODE)).toBe(0);
			// Nothing more was submitted once the failure was known.
			expect(stack.sim.stats().accepted).toBeLessThan(30);
		});
	}, 300_000);

	test('one failed job, On Error "Continue": the contract error item in its place, the results around it', async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			const done = await runBatch(
				trace,
				'failed job, continue',
				prompts(30, { 3: '[sim:fail]' }),
				'continueRegularOutput',
			);
			expect(done.status).toBe('success');
			const out = nodeOutput(done, ACTION_NODE);
			expect(out).toHaveLength(30);
			const failed = [...stack.sim.jobs.values()].find((job) =>
				String(job.request.prompt).includes('[sim:fail]'),
			);
			expect(out[3].json).toEqual({
				error: expect.stringContaining(`ModelsLab job ${failed?.id} failed`),
				status: 'failed',
				id: failed?.id,
				track_id: expect.stringMatching(/-r0-3$/),
			});
			expect(out.filter((item) => item.json.status === 'success')).toHaveLength(29);
		});
	}, 300_000);

	test('one failed job, On Error "Continue (using error output)": it goes to the error output, the rest to the main output', async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			const done = await runBatch(
				trace,
				'failed job, error output',
				prompts(30, { 3: '[sim:fail]' }),
				'continueErrorOutput',
			);
			expect(done.status).toBe('success');
			expect(outputOf(done, ACTION_NODE, 0)).toHaveLength(29);
			const errors = outputOf(done, ACTION_NODE, 1);
			const failed = [...stack.sim.jobs.values()].find((job) =>
				String(job.request.prompt).includes('[sim:fail]'),
			);
			expect(errors).toHaveLength(1);
			expect(String(errors[0].json.error)).toContain(`ModelsLab job ${failed?.id} failed`);
			expect(errors[0].pairedItem).toEqual({ item: 3 });
		});
	}, 300_000);

	test('a batch inside Loop Over Items: every round parks and resumes, track ids never repeat, every result comes out', async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			const path = uniquePath('ml-loop');
			const loop: E2eNode = {
				id: randomUUID(),
				name: 'Loop Over Items',
				type: 'n8n-nodes-base.splitInBatches',
				typeVersion: 3,
				position: [400, 0],
				parameters: { batchSize: 20, options: {} },
			};
			const action: E2eNode = {
				id: randomUUID(),
				name: ACTION_NODE,
				type: nodeType('modelsLabImage'),
				typeVersion: 1,
				position: [600, 100],
				credentials: { modelsLabApi: { id: stack.credential.id, name: stack.credential.name } },
				parameters: operationParameters('image', 'text2img', {
					prompt: '={{ $json.prompt }}',
					completion: 'callback',
				}),
			};
			const after: E2eNode = {
				id: randomUUID(),
				name: AFTER_NODE,
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [600, -100],
				parameters: {},
			};
			const connections = chain(['Webhook', 'Split Items', 'Loop Over Items']);
			// Loop Over Items: output 0 is "done", output 1 the next batch.
			connections['Loop Over Items'] = {
				main: [
					[{ node: AFTER_NODE, type: 'main', index: 0 }],
					[{ node: ACTION_NODE, type: 'main', index: 0 }],
				],
			};
			connections[ACTION_NODE] = { main: [[{ node: 'Loop Over Items', type: 'main', index: 0 }]] };
			await deploy(
				stack,
				{
					input: {
						name: `e2e loop ${path}`,
						settings: { executionOrder: 'v1' },
						nodes: [webhookNode(path), splitItemsNode(), loop, action, after],
						connections,
					},
					path,
				},
				trace,
			);
			const before = new Set(stack.sim.jobs.keys());
			const answer = await postWebhook(stack, path, { items: prompts(60) });
			expect(answer.status).toBe(200);
			const first = await eventuallyJob(stack, before);
			trace.executionId = executionIdOfJob(first);
			const done = await stack.n8n.api.waitForExecution(trace.executionId, FINISHED, {
				timeoutMs: 600_000,
				intervalMs: 1000,
			});
			expect(done.status).toBe('success');
			expect(runCount(done, ACTION_NODE)).toBe(3);
			const results = nodeOutput(done, AFTER_NODE);
			expect(results).toHaveLength(60);
			expect(results.every((item) => item.json.status === 'success')).toBe(true);
			const trackIds = [...stack.sim.jobs.values()].map((job) => job.trackId);
			expect(trackIds).toHaveLength(60);
			expect(new Set(trackIds).size).toBe(60);
		});
	}, 900_000);
});

async function eventuallyJob(stack: E2eStack, before: ReadonlySet<string>) {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const job = [...stack.sim.jobs.values()].find((entry) => !before.has(entry.id));
		if (job) return job;
		if (Date.now() > deadline) throw new Error('no job was submitted');
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}
