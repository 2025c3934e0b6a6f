// P1-P4: each compares this package with n8n's own way of doing the same job, on the same n8n,
// in the same run. Loopback only; every loop is bounded.
import type { Execution, N8nApi } from '../scripts/n8n';
import type { SimJob } from '../test/simulator';
import {
	executionIdOf,
	finishQuietly,
	HELD_QUIET,
	successBody,
	triggerBody,
} from '../test/e2e/scale/callbacks';
import { allExecutions, countByStatus, waitForExecutions } from '../test/e2e/scale/executions';
import {
	runPool,
	seededRandom,
	shuffle,
	statusHistogram,
	summarize,
	type LoadClient,
	type Summary,
} from '../test/e2e/scale/loadgen';
import { deploy, type Target } from '../test/e2e/scale/target';
import {
	modelsLabCallbackWorkflow,
	n8nWaitWorkflow,
	plainWebhookWorkflow,
	triggerWorkflow,
	type Shape,
} from '../test/e2e/scale/workflows';
import { eventually, FINISHED } from '../test/e2e/support/executions';
import { rssMb, inspectorsOf, type CpuSummary } from './inspectors';
import { REALISTIC_FILE_PROPERTY, startRequest, type ItemSize } from './startItems';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stderr.write(`bench: ${line}\n`);

/** Runs both sides of a ratio, `a` first in even rounds and `b` first in odd ones, so neither always gets the warmer n8n. */
async function alternating<T>(
	round: number,
	a: () => Promise<T>,
	b: () => Promise<T>,
): Promise<[T, T]> {
	if (round % 2 === 0) {
		const first = await a();
		return [first, await b()];
	}
	const first = await b();
	return [await a(), first];
}

function newJob(t: Target, before: ReadonlySet<string>): Promise<SimJob> {
	return eventually(
		'a submitted job',
		async () => [...t.sim.jobs.values()].find((j) => !before.has(j.id)),
		60_000,
		20,
	);
}

async function finishedExecution(api: N8nApi, id: string): Promise<Execution> {
	return eventually(
		`execution ${id} finished`,
		async () => {
			const e = await api.getExecution(id, false);
			return FINISHED.includes(e.status) && e.stoppedAt ? e : undefined;
		},
		60_000,
		100,
	);
}

// ---------------------------------------------------------------- P1

export interface P1Result {
	samples: number;
	modelslab: Summary;
	n8n: Summary;
	modelslabResponse: Summary;
	n8nResponse: Summary;
	failures: string[];
}

/**
 * One sample: start, wait until parked, settle, send the callback, read `stoppedAt`.
 * Latency = stoppedAt − the moment the callback was sent (same clock, loopback).
 */
async function p1Sample(
	t: Target,
	client: LoadClient,
	shape: Shape,
	i: number,
): Promise<{ ms: number; responseMs: number }> {
	const before = new Set(t.sim.jobs.keys());
	const start = await client.post(`${t.webhookBase}/webhook/${shape.path}`, { prompt: `p1 ${i}` });
	if (start.status !== 200) throw new Error(`start answered ${start.status}: ${start.body}`);
	const job = await newJob(t, before);
	const executionId = executionIdOf(job.webhook ?? '');
	await eventually(
		`execution ${executionId} waiting`,
		async () => (await t.api.getExecution(executionId, false)).status === 'waiting',
		60_000,
		50,
	);
	await finishQuietly(t.sim, job);
	await sleep(150);
	const sentAt = Date.now();
	const res = await client.post(job.webhook ?? '', successBody(job));
	if (res.status !== 200) throw new Error(`callback answered ${res.status}: ${res.body}`);
	const done = await finishedExecution(t.api, executionId);
	if (done.status !== 'success') throw new Error(`execution ${executionId} ended ${done.status}`);
	return { ms: Date.parse(done.stoppedAt ?? '') - sentAt, responseMs: res.ms };
}

export async function p1(
	t: Target,
	client: LoadClient,
	samples: number,
	warmup = 5,
): Promise<P1Result> {
	t.sim.setDefaultBehaviour(HELD_QUIET);
	const ml = modelsLabCallbackWorkflow(t.credential, { name: 'bench P1 modelslab' });
	const wait = n8nWaitWorkflow(t.sim.baseUrl, t.sim.apiKey, { name: 'bench P1 n8n wait' });
	await deploy(t, ml);
	await deploy(t, wait);
	const out = {
		ml: [] as number[],
		n8n: [] as number[],
		mlRes: [] as number[],
		n8nRes: [] as number[],
	};
	const failures: string[] = [];
	for (let i = 0; i < warmup + samples; i++) {
		// Alternate which goes first, so drift and GC hit both alike.
		const order: Array<['ml' | 'n8n', Shape]> =
			i % 2 === 0
				? [
						['ml', ml],
						['n8n', wait],
					]
				: [
						['n8n', wait],
						['ml', ml],
					];
		for (const [which, shape] of order) {
			try {
				const s = await p1Sample(t, client, shape, i);
				if (i >= warmup) {
					out[which].push(s.ms);
					out[which === 'ml' ? 'mlRes' : 'n8nRes'].push(s.responseMs);
				}
			} catch (e) {
				failures.push(`${which} #${i}: ${(e as Error).message}`);
			}
		}
		if (i % 10 === 9) say(`P1 ${i + 1}/${warmup + samples}`);
	}
	return {
		samples,
		modelslab: summarize(out.ml),
		n8n: summarize(out.n8n),
		modelslabResponse: summarize(out.mlRes),
		n8nResponse: summarize(out.n8nRes),
		failures,
	};
}

// ---------------------------------------------------------------- P2

export interface IntakeRun {
	label: string;
	callbacks: number;
	matching: number;
	executions: number;
	statuses: Record<string, number>;
	/** First POST → last response. */
	answeredMs: number;
	/** First POST → every execution they caused has finished. */
	processedMs: number;
	answeredPerSecond: number;
	processedPerSecond: number;
}

/** Sends `bodies` at `concurrency`; then waits until the workflow has `expected` finished executions. */
async function intake(
	t: Target,
	client: LoadClient,
	label: string,
	shape: Shape,
	workflowId: string,
	bodies: object[],
	expected: number,
	concurrency: number,
): Promise<IntakeRun> {
	const url = `${t.webhookBase}/webhook/${shape.path}`;
	const known = (await allExecutions(t.api, workflowId)).length;
	const t0 = Date.now();
	const results = await runPool(bodies, concurrency, (b) => client.post(url, b));
	const answeredMs = Date.now() - t0;
	const list = await waitForExecutions(
		t.api,
		workflowId,
		(_c, all) => all.length >= known + expected && all.every((e) => FINISHED.includes(e.status)),
		{
			timeoutMs: 15 * 60_000,
			intervalMs: 250,
		},
	);
	const processedMs = Date.now() - t0;
	const run: IntakeRun = {
		label,
		callbacks: bodies.length,
		matching: expected,
		executions: list.length - known,
		statuses: statusHistogram(results),
		answeredMs,
		processedMs,
		answeredPerSecond: bodies.length / (answeredMs / 1000),
		processedPerSecond: bodies.length / (processedMs / 1000),
	};
	say(
		`P2 ${label}: ${bodies.length} in ${answeredMs} ms answered, ${processedMs} ms processed, ${run.executions} executions`,
	);
	return run;
}

export interface P2Result {
	filtered: { trigger: IntakeRun[]; webhookIf: IntakeRun[] };
	matching: { trigger: IntakeRun[]; webhook: IntakeRun[] };
}

/**
 * Filtered: `callbacks` with 10% matching track ids, ModelsLab Trigger (`keep-*`) vs Webhook + IF
 * (`startsWith keep-`). Matching only: ModelsLab Trigger vs a plain Webhook. Ids never repeat, so
 * the trigger's duplicate check drops nothing. `rounds` alternate the two.
 */
export async function p2(
	t: Target,
	client: LoadClient,
	callbacks: number,
	matchingOnly: number,
	rounds: number,
	concurrency = 20,
): Promise<P2Result> {
	const trig = triggerWorkflow({ trackId: 'keep-*', name: 'bench P2 trigger' });
	const hookIf = plainWebhookWorkflow({ prefix: 'keep-', name: 'bench P2 webhook+IF' });
	const trigAll = triggerWorkflow({ trackId: 'keep-*', name: 'bench P2 trigger matching' });
	const hook = plainWebhookWorkflow({ name: 'bench P2 webhook' });
	const ids = {
		trig: await deploy(t, trig),
		hookIf: await deploy(t, hookIf),
		trigAll: await deploy(t, trigAll),
		hook: await deploy(t, hook),
	};
	let nextId = 5_000_000;
	const random = seededRandom(2);
	const batch = (n: number, share: number) => {
		const out = Array.from({ length: n }, (_, i) => {
			const id = nextId++;
			return triggerBody(id, i < Math.round(n * share) ? `keep-${id}` : `drop-${id}`);
		});
		return shuffle(out, random);
	};
	// Warm-up of every path (JIT, DB caches).
	await intake(t, client, 'warm-up trigger', trig, ids.trig, batch(50, 0.1), 5, concurrency);
	await intake(
		t,
		client,
		'warm-up webhook+IF',
		hookIf,
		ids.hookIf,
		batch(50, 0.1),
		50,
		concurrency,
	);
	await intake(
		t,
		client,
		'warm-up trigger matching',
		trigAll,
		ids.trigAll,
		batch(50, 1),
		50,
		concurrency,
	);
	await intake(t, client, 'warm-up webhook', hook, ids.hook, batch(50, 1), 50, concurrency);
	const res: P2Result = {
		filtered: { trigger: [], webhookIf: [] },
		matching: { trigger: [], webhook: [] },
	};
	const matchingCount = Math.round(callbacks * 0.1);
	for (let r = 0; r < rounds; r++) {
		const a = () =>
			intake(
				t,
				client,
				`trigger 10% matching #${r + 1}`,
				trig,
				ids.trig,
				batch(callbacks, 0.1),
				matchingCount,
				concurrency,
			);
		const b = () =>
			intake(
				t,
				client,
				`webhook+IF 10% matching #${r + 1}`,
				hookIf,
				ids.hookIf,
				batch(callbacks, 0.1),
				callbacks,
				concurrency,
			);
		const [filteredTrigger, filteredWebhookIf] = await alternating(r, a, b);
		res.filtered.trigger.push(filteredTrigger);
		res.filtered.webhookIf.push(filteredWebhookIf);
		const c = () =>
			intake(
				t,
				client,
				`trigger all matching #${r + 1}`,
				trigAll,
				ids.trigAll,
				batch(matchingOnly, 1),
				matchingOnly,
				concurrency,
			);
		const d = () =>
			intake(
				t,
				client,
				`webhook all matching #${r + 1}`,
				hook,
				ids.hook,
				batch(matchingOnly, 1),
				matchingOnly,
				concurrency,
			);
		const [matchingTrigger, matchingWebhook] = await alternating(r, c, d);
		res.matching.trigger.push(matchingTrigger);
		res.matching.webhook.push(matchingWebhook);
	}
	return res;
}

// ---------------------------------------------------------------- P3

/**
 * n8n's RSS, median of `n` readings one second apart: as read first (a collection would clear
 * what they are to show), then each right after a full collection.
 */
async function rssReadings(t: Target, n = 5): Promise<{ settled: number; sampled: number }> {
	const settled: number[] = [];
	const sampled: number[] = [];
	for (let i = 0; i < n; i++) {
		sampled.push(rssMb(t.pids()));
		await sleep(1000);
	}
	for (let i = 0; i < n; i++) {
		settled.push(await inspectorsOf(t).settledRssMb());
		await sleep(1000);
	}
	return { settled: summarize(settled).median, sampled: summarize(sampled).median };
}

export interface P3Run {
	label: string;
	/** What each execution started with (bench/startItems.ts). */
	items: ItemSize;
	executions: number;
	/** RSS right after a full garbage collection (bench/inspectors.ts). */
	idleRssMb: number;
	waitingRssMb: number;
	growthMb: number;
	/** The same growth from RSS as read, garbage included. */
	sampledGrowthMb: number;
	parkSeconds: number;
	resumeAllSeconds: number;
	afterResumeRssMb: number;
	callbackStatuses: Record<string, number>;
	finished: Record<string, number>;
	/** Reads of the jobs (fetches) from the first start to the last finish: overdue callbacks. */
	reads: number;
	/** Where n8n's CPU went while every callback was resumed (BENCH_P3_CPU_PROFILE=1). */
	cpu?: CpuSummary;
}

/** Prints a CPU profile's summary: busy time, this package's share, the top self-time frames. */
function sayCpu(label: string, cpu: CpuSummary): void {
	const share = cpu.busyMs ? (100 * cpu.packageMs) / cpu.busyMs : 0;
	say(
		`P3 ${label} CPU: busy ${(cpu.busyMs / 1000).toFixed(1)} s of ${cpu.seconds.toFixed(1)} s, this package's frames on the stack ${(cpu.packageMs / 1000).toFixed(1)} s (${share.toFixed(0)}%), garbage collector ${(cpu.garbageCollectorMs / 1000).toFixed(1)} s`,
	);
	for (const { frame, selfMs } of cpu.top) say(`  ${(selfMs / 1000).toFixed(2)} s  ${frame}`);
}

/** Starts an execution of `shape` with an item of the given size. */
function start(
	t: Target,
	client: LoadClient,
	shape: Shape,
	items: ItemSize,
	prompt: string,
): ReturnType<LoadClient['post']> {
	const request = startRequest(items, prompt);
	return client.post(`${t.webhookBase}/webhook/${shape.path}`, request.body, {
		contentType: request.contentType,
	});
}

/** Starts and resumes `count` executions one after another (JIT, caches, first isolates). */
async function warmUp(
	t: Target,
	client: LoadClient,
	shape: Shape,
	workflowId: string,
	count: number,
	items: ItemSize,
): Promise<void> {
	const known = (await allExecutions(t.api, workflowId)).length;
	const before = new Set(t.sim.jobs.keys());
	await runPool(
		Array.from({ length: count }, (_, i) => i),
		5,
		(i) => start(t, client, shape, items, `warm-up ${i}`),
	);
	await waitForExecutions(t.api, workflowId, (c) => (c.waiting ?? 0) >= count, {
		timeoutMs: 120_000,
		intervalMs: 500,
		status: 'waiting',
	});
	const jobs = [...t.sim.jobs.values()].filter((j) => !before.has(j.id));
	await runPool(jobs, 5, async (job) => {
		await finishQuietly(t.sim, job);
		return client.post(job.webhook ?? '', successBody(job));
	});
	await waitForExecutions(
		t.api,
		workflowId,
		(_c, all) => all.length >= known + count && all.every((e) => FINISHED.includes(e.status)),
		{ timeoutMs: 120_000, intervalMs: 500 },
	);
}

/**
 * A parked execution's Webhook item holds the file as a binary property, stored the way n8n's
 * binary data mode stores it: otherwise the realistic figures would measure tiny items.
 */
async function checkFileArrived(t: Target, workflowId: string): Promise<void> {
	const [parked] = await t.api.listExecutions({ workflowId, status: 'waiting', limit: 1 });
	const execution = parked ? await t.api.getExecution(parked.id, true) : undefined;
	const item = execution?.data?.resultData.runData.Webhook?.[0]?.data?.main[0]?.[0] as
		{ binary?: Record<string, { id?: string; data?: string; fileSize?: string }> } | undefined;
	const file = item?.binary?.[REALISTIC_FILE_PROPERTY];
	if (!file || !(file.id ?? file.data))
		throw new Error(
			`P3: the Webhook item of execution ${parked?.id ?? '(none waiting)'} has no ${REALISTIC_FILE_PROPERTY} binary`,
		);
	say(
		`P3 realistic items: the file is in binary property ${REALISTIC_FILE_PROPERTY} (${file.fileSize ?? '?'}, ${file.id ?? 'inline'})`,
	);
}

/**
 * Fresh n8n (restart: the heap holds nothing from earlier phases), a warm-up, then idle RSS;
 * `count` executions parked; RSS again; then every callback.
 */
async function p3Run(
	t: Target,
	client: LoadClient,
	label: string,
	shape: Shape,
	workflowId: string,
	count: number,
	items: ItemSize,
	cpuProfile: boolean,
	concurrency: number,
	settleMs: number,
): Promise<P3Run> {
	await t.restartAll();
	await t.api.waitForWebhook(shape.path, { timeoutMs: 60_000 });
	await warmUp(t, client, shape, workflowId, 20, items);
	await sleep(settleMs);
	const idle = await rssReadings(t);
	const before = new Set(t.sim.jobs.keys());
	const readsBefore = t.sim.stats().fetches;
	const t0 = Date.now();
	const started = await runPool(
		Array.from({ length: count }, (_, i) => i),
		concurrency,
		(i) => start(t, client, shape, items, `p3 ${i}`),
	);
	if (started.some((r) => r.status !== 200))
		throw new Error(`P3 ${label}: starts answered ${JSON.stringify(statusHistogram(started))}`);
	await waitForExecutions(t.api, workflowId, (c) => (c.waiting ?? 0) >= count, {
		timeoutMs: 15 * 60_000,
		intervalMs: 1000,
		status: 'waiting',
	});
	const parkMs = Date.now() - t0;
	if (items === 'realistic') await checkFileArrived(t, workflowId);
	const jobs = [...t.sim.jobs.values()].filter((j) => !before.has(j.id));
	await sleep(settleMs);
	const waiting = await rssReadings(t);
	if (cpuProfile) await inspectorsOf(t).startCpuProfile();
	const r0 = Date.now();
	const results = await runPool(shuffle(jobs, seededRandom(3)), concurrency, async (job) => {
		await finishQuietly(t.sim, job);
		return client.post(job.webhook ?? '', successBody(job));
	});
	const list = await waitForExecutions(
		t.api,
		workflowId,
		(c, all) => (c.success ?? 0) >= count && all.every((e) => FINISHED.includes(e.status)),
		{ timeoutMs: 15 * 60_000, intervalMs: 250 },
	);
	const resumeMs = Date.now() - r0;
	const cpu = cpuProfile ? await inspectorsOf(t).stopCpuProfile() : undefined;
	if (cpu) sayCpu(label, cpu);
	const after = await rssReadings(t, 3);
	const run: P3Run = {
		label,
		items,
		executions: count,
		idleRssMb: idle.settled,
		waitingRssMb: waiting.settled,
		growthMb: waiting.settled - idle.settled,
		sampledGrowthMb: waiting.sampled - idle.sampled,
		parkSeconds: parkMs / 1000,
		resumeAllSeconds: resumeMs / 1000,
		afterResumeRssMb: after.settled,
		callbackStatuses: statusHistogram(results),
		finished: countByStatus(list),
		reads: t.sim.stats().fetches - readsBefore,
		cpu,
	};
	say(
		`P3 ${label}: idle ${idle.settled.toFixed(0)} MB, ${count} waiting ${waiting.settled.toFixed(0)} MB (after a collection; as read ${idle.sampled.toFixed(0)} → ${waiting.sampled.toFixed(0)} MB), resume all ${run.resumeAllSeconds.toFixed(1)} s, ${run.reads} reads`,
	);
	return run;
}

/**
 * `count` executions parked at once: ModelsLab callback mode, then n8n's Wait node, same
 * procedure, each execution started with an item of the given size.
 */
export async function p3(
	t: Target,
	client: LoadClient,
	count: number,
	items: ItemSize = 'tiny',
	/** A CPU profile of n8n while every execution resumes (BENCH_P3_CPU_PROFILE=1). */
	cpuProfile = false,
	concurrency = 20,
	settleMs = 15_000,
): Promise<{ modelslab: P3Run; n8n: P3Run }> {
	t.sim.setDefaultBehaviour(HELD_QUIET);
	const suffix = items === 'tiny' ? '' : ', realistic items';
	const ml = modelsLabCallbackWorkflow(t.credential, { name: `bench P3 modelslab${suffix}` });
	const wait = n8nWaitWorkflow(t.sim.baseUrl, t.sim.apiKey, {
		name: `bench P3 n8n wait${suffix}`,
	});
	const mlId = await deploy(t, ml);
	const waitId = await deploy(t, wait);
	const modelslab = await p3Run(
		t,
		client,
		`modelslab callback${suffix}`,
		ml,
		mlId,
		count,
		items,
		cpuProfile,
		concurrency,
		settleMs,
	);
	const n8n = await p3Run(
		t,
		client,
		`n8n HTTP Request + Wait${suffix}`,
		wait,
		waitId,
		count,
		items,
		cpuProfile,
		concurrency,
		settleMs,
	);
	return { modelslab, n8n };
}

// ---------------------------------------------------------------- P4

export interface P4Row {
	mode: string;
	eta: number;
	jobSeconds: number;
	submits: number;
	fetches: number;
	total: number;
	status: string;
	endToEndSeconds: number;
}

/**
 * API calls per job for a job that takes `jobSeconds`, with ModelsLab's ETA `eta`: the three
 * completion modes start together; each job is completed `jobSeconds` after its submit.
 */
export async function p4(
	t: Target,
	client: LoadClient,
	jobSeconds: number,
	eta: number,
): Promise<P4Row[]> {
	t.sim.setDefaultBehaviour({});
	const modes = ['callback', 'poll', 'submit'] as const;
	const flows: Array<{ mode: (typeof modes)[number]; shape: Shape; workflowId: string }> = [];
	for (const mode of modes) {
		const shape = modelsLabCallbackWorkflow(t.credential, { name: `bench P4 ${mode} eta ${eta}` });
		const action = shape.input.nodes.find((n) => n.id === shape.waitNodeId);
		if (action) action.parameters.completion = mode;
		flows.push({ mode, shape, workflowId: await deploy(t, shape) });
	}
	const startedAt = Date.now();
	const rows = await Promise.all(
		flows.map(async (flow, i) => {
			// Staggered, so each workflow's job is known.
			await sleep(i * 500);
			const prompt = `p4 ${flow.mode} eta ${eta}`;
			t.sim.plan({ hold: true, eta });
			await client.post(`${t.webhookBase}/webhook/${flow.shape.path}`, { prompt });
			const job = await eventually(
				`P4 ${flow.mode} job`,
				async () => [...t.sim.jobs.values()].find((j) => j.request.prompt === prompt),
				60_000,
				50,
			);
			// A job that takes exactly `jobSeconds` from its submit.
			const finishAt = job.createdAt + jobSeconds * 1000;
			setTimeout(
				() => void t.sim.completeJob(job.id).catch(() => undefined),
				Math.max(0, finishAt - Date.now()),
			);
			// n8n may leave an execution it is running out of the list until it parks or ends.
			const [execution] = await eventually(
				`P4 ${flow.mode} execution`,
				async () => {
					const list = await allExecutions(t.api, flow.workflowId);
					return list.length ? list : undefined;
				},
				(jobSeconds + 120) * 1000,
				500,
			);
			const done = await eventually(
				`P4 ${flow.mode} finished`,
				async () => {
					const e = await t.api.getExecution(execution.id, false);
					return FINISHED.includes(e.status) ? e : undefined;
				},
				(jobSeconds + 120) * 1000,
				500,
			);
			const submits = t.sim.requests.filter(
				(r) =>
					r.path === '/api/v6/images/text2img' &&
					(r.body as { prompt?: string } | undefined)?.prompt === prompt,
			).length;
			const fetches = t.sim.requests.filter(
				(r) => r.path === `/api/v6/images/fetch/${job.id}`,
			).length;
			const row: P4Row = {
				mode: flow.mode,
				eta,
				jobSeconds,
				submits,
				fetches,
				total: submits + fetches,
				status: done.status,
				endToEndSeconds: ((Date.parse(done.stoppedAt ?? '') || Date.now()) - startedAt) / 1000,
			};
			say(`P4 ${flow.mode} (eta ${eta}): ${submits} submit + ${fetches} fetch, ${row.status}`);
			return row;
		}),
	);
	return rows;
}
