// P5: a batch in one execution against n8n's own way of doing the same, on the same n8n, in the
// same run. Jobs of random length; paced batches run under an account queue limit of QUEUE_LIMIT,
// the unpaced one under a limit its whole batch fits in. Each time is held against the bound the
// queue limit sets for the jobs as they ran (bench/queueBound.ts).
import { randomUUID } from 'node:crypto';

import type { WorkflowNode } from '../scripts/n8n';
import type { LoadClient } from '../test/e2e/scale/loadgen';
import { deploy, type Target } from '../test/e2e/scale/target';
import { modelsLabCallbackWorkflow, uniquePath, type Shape } from '../test/e2e/scale/workflows';
import { eventually, FINISHED } from '../test/e2e/support/executions';
import { chain, splitItemsNode, webhookNode } from '../test/e2e/support/workflows';
import { inspectorsOf, rssMb, type Allocations } from './inspectors';
import { queueLimitBound, type QueueBound } from './queueBound';

export const QUEUE_LIMIT = 10;
const JOB_MS = { min: 1000, max: 3000 };
/**
 * Issue 24's case: an account whose queue took a batch of 300 at once, jobs of 3-15 s, each
 * submit answering the mean job length as its ETA (as test/workflows/batches.test.ts runs it).
 */
const UNPACED_JOB_MS = { min: 3000, max: 15000 };
const UNPACED_ETA_SECONDS = 9;
const PACED_ETA_SECONDS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stderr.write(`bench: ${line}\n`);

/**
 * Paced: the account runs QUEUE_LIMIT jobs at once and refuses more (the first wave is
 * QUEUE_LIMIT jobs). Unpaced: the account's queue takes the whole batch at once.
 */
export type BatchShape = 'paced' | 'unpaced';

export interface P5Run {
	side: 'modelslab' | 'n8n';
	shape: BatchShape;
	items: number;
	/** The range job lengths were drawn from (uniform, seeded). */
	jobMs: { min: number; max: number };
	/** First POST → the execution's stoppedAt. */
	seconds: number;
	/** ModelsLab calls (submits, fetches, uploads) per job, from the simulator's counters. */
	callsPerJob: number;
	/**
	 * n8n's RSS while the batch waits minus before it started, each read right after a full
	 * garbage collection (bench/inspectors.ts): median of readings every 10 s.
	 */
	rssGrowthMb: number;
	/** The same from RSS as read every 2 s, garbage V8 had not collected yet included. */
	sampledRssGrowthMb: number;
	/** What n8n allocated in a 30 s window of the batch, per job submitted in it. */
	allocations?: Allocations & { jobs: number };
	maxRunning: number;
	refusedSubmits: number;
	status: string;
	results: number;
	/** What the account's queue limit allows for the jobs the simulator ran. */
	bound: QueueBound;
}

export interface P5Result {
	/** The paced batches' job lengths and queue limit. */
	jobMs: { min: number; max: number };
	queueLimit: number;
	/** The unpaced batch's job lengths and submit ETA (its queue limit is its size). */
	unpacedJobMs: { min: number; max: number };
	unpacedEtaSeconds: number;
	runs: P5Run[];
}

/**
 * n8n's own pattern for a batch: Webhook → Split Out → Loop Over Items (one at a time) → HTTP
 * Request (submits with `webhook` = `$execution.resumeUrl`) → Wait "On Webhook Call" → back to
 * the loop; when done → Last. One job runs at a time, so the queue limit never bites.
 */
function n8nLoopWorkflow(simBaseUrl: string, apiKey: string): Shape {
	const path = uniquePath('bench-loop');
	const node = (
		name: string,
		type: string,
		typeVersion: number,
		x: number,
		parameters: Record<string, unknown>,
		extra: Partial<WorkflowNode> = {},
	): WorkflowNode => ({
		id: randomUUID(),
		name,
		type,
		typeVersion,
		position: [x, 0],
		parameters,
		...extra,
	});
	const nodes = [
		webhookNode(path),
		splitItemsNode(),
		node('Loop Over Items', 'n8n-nodes-base.splitInBatches', 3, 400, { batchSize: 1, options: {} }),
		node('Submit', 'n8n-nodes-base.httpRequest', 4.2, 600, {
			method: 'POST',
			url: `${simBaseUrl}/v6/images/text2img`,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={ "key": "${apiKey}", "model_id": "flux", "prompt": "{{ $json.prompt }}", "webhook": "{{ $execution.resumeUrl }}" }`,
			options: {},
		}),
		node(
			'Wait',
			'n8n-nodes-base.wait',
			1.1,
			800,
			{ resume: 'webhook', httpMethod: 'POST', responseMode: 'onReceived', options: {} },
			{ webhookId: randomUUID() },
		),
		node('Last', 'n8n-nodes-base.noOp', 1, 600, {}),
	];
	const connections = chain(['Webhook', 'Split Items', 'Loop Over Items']);
	connections['Loop Over Items'] = {
		main: [
			[{ node: 'Last', type: 'main', index: 0 }],
			[{ node: 'Submit', type: 'main', index: 0 }],
		],
	};
	connections.Submit = { main: [[{ node: 'Wait', type: 'main', index: 0 }]] };
	connections.Wait = { main: [[{ node: 'Loop Over Items', type: 'main', index: 0 }]] };
	return {
		input: {
			name: `bench P5 n8n loop ${path}`,
			settings: { executionOrder: 'v1' },
			nodes,
			connections,
		},
		path,
	};
}

async function runBatch(
	t: Target,
	client: LoadClient,
	side: P5Run['side'],
	items: number,
	o: { batchShape?: BatchShape; profileAllocations?: boolean } = {},
): Promise<P5Run> {
	const batchShape = o.batchShape ?? 'paced';
	const paced = batchShape === 'paced';
	const jobMs = paced ? JOB_MS : UNPACED_JOB_MS;
	const queueLimit = paced ? QUEUE_LIMIT : items;
	t.sim.reset();
	t.sim.setQueueLimit(queueLimit);
	t.sim.setDefaultBehaviour({
		eta: paced ? PACED_ETA_SECONDS : UNPACED_ETA_SECONDS,
		delayMs: jobMs,
	});
	const shape =
		side === 'modelslab'
			? modelsLabCallbackWorkflow(t.credential, {
					name: `bench P5 ${batchShape} ${items}`,
					splitItems: true,
				})
			: n8nLoopWorkflow(t.sim.baseUrl, t.sim.apiKey);
	const workflowId = await deploy(t, shape);
	await sleep(2000);
	const inspectors = inspectorsOf(t);
	const before = { settled: await inspectors.settledRssMb(), sampled: rssMb(t.pids()) };
	const body = {
		items: Array.from({ length: items }, (_, index) => ({ prompt: `p5 ${side} ${index}` })),
	};
	const startedAt = Date.now();
	await client.post(`${t.webhookBase}/webhook/${shape.path}`, body);
	const allocations = o.profileAllocations ? profileWindow(t) : undefined;
	const samples: number[] = [];
	const settledSamples: number[] = [];
	const done = await eventually(
		`P5 ${side} ${items} items`,
		async () => {
			samples.push(rssMb(t.pids()));
			// A full collection pauses n8n for a moment: one every 10 s, from 4 s into the batch.
			if (samples.length % 5 === 2) settledSamples.push(await inspectors.settledRssMb());
			const list = await t.api.listExecutions({ workflowId, limit: 5 });
			const execution = list.find((entry) => FINISHED.includes(entry.status));
			return execution ? await t.api.getExecution(execution.id, true) : undefined;
		},
		3 * 60 * 60_000,
		2000,
	);
	const seconds = ((Date.parse(done.stoppedAt ?? '') || Date.now()) - startedAt) / 1000;
	const stats = t.sim.stats();
	const runs = done.data?.resultData.runData[side === 'modelslab' ? 'ModelsLab' : 'Wait'] ?? [];
	const results =
		side === 'modelslab'
			? (runs[runs.length - 1]?.data?.main[0] ?? []).filter(
					(item) => item.json.status === 'success',
				).length
			: runs.length;
	const median = (values: number[], fallback: number) =>
		[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? fallback;
	const run: P5Run = {
		side,
		shape: batchShape,
		items,
		jobMs,
		seconds,
		callsPerJob: (stats.submits + stats.fetches + stats.uploads) / items,
		rssGrowthMb: median(settledSamples, before.settled) - before.settled,
		sampledRssGrowthMb: median(samples, before.sampled) - before.sampled,
		maxRunning: stats.maxRunning,
		refusedSubmits: stats.rateLimited,
		status: done.status,
		results,
		allocations: await allocations,
		bound: queueLimitBound(t.sim.jobs.values(), queueLimit),
	};
	say(
		`P5 ${side} ${batchShape} ${items} items: ${seconds.toFixed(1)} s (queue-limit bound ${run.bound.seconds.toFixed(1)} s, ${(seconds / run.bound.seconds).toFixed(2)}×), ${run.callsPerJob.toFixed(3)} calls/job, RSS +${run.rssGrowthMb.toFixed(1)} MB (as read +${run.sampledRssGrowthMb.toFixed(1)} MB), ${results} results, ${done.status}`,
	);
	await t.api.deactivateWorkflow(workflowId).catch(() => undefined);
	return run;
}

/** Allocations from 10 s to 40 s into a batch, with the jobs submitted meanwhile. */
async function profileWindow(t: Target): Promise<P5Run['allocations']> {
	await sleep(10_000);
	const submitsBefore = t.sim.stats().submits;
	const sampled = await inspectorsOf(t).allocations(30_000);
	return { ...sampled, jobs: t.sim.stats().submits - submitsBefore };
}

/**
 * Paced batches of `small` and `large` items through this package; `small` also through n8n's
 * loop. n8n's loop runs one job at a time, so a `large` batch would take hours there: it is
 * measured only when `compareLarge` is set. Then an unpaced batch of `unpaced` items (0: none)
 * through this package alone (n8n's loop would take `unpaced` × 9 s).
 */
export async function p5(
	t: Target,
	client: LoadClient,
	small: number,
	large: number,
	unpaced: number,
	compareLarge = false,
): Promise<P5Result> {
	const runs: P5Run[] = [];
	runs.push(await runBatch(t, client, 'modelslab', small));
	// The runs long enough for a 30 s window of allocations 10 s in.
	runs.push(await runBatch(t, client, 'n8n', small, { profileAllocations: true }));
	runs.push(await runBatch(t, client, 'modelslab', large, { profileAllocations: true }));
	if (compareLarge) runs.push(await runBatch(t, client, 'n8n', large));
	if (unpaced > 0)
		runs.push(await runBatch(t, client, 'modelslab', unpaced, { batchShape: 'unpaced' }));
	t.sim.setQueueLimit(undefined);
	t.sim.setDefaultBehaviour({});
	return {
		jobMs: JOB_MS,
		queueLimit: QUEUE_LIMIT,
		unpacedJobMs: UNPACED_JOB_MS,
		unpacedEtaSeconds: UNPACED_ETA_SECONDS,
		runs,
	};
}
