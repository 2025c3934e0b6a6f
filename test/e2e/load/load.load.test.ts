// Load and fault runs against real n8n 2.x, loopback only, bounded in count and time; each prints
// its figures, partial ones when it fails or times out. Each test starts on a clean instance (no
// active workflow, no execution). `npm run test:load` (queue mode by default;
// MODELSLAB_LOAD_TARGET=single for one n8n process). MODELSLAB_LOAD_JOBS scales the 1,000-job
// runs down for a quick try.
import type { Execution } from '../../../scripts/n8n';
import type { SimJob } from '../../simulator';
import {
	executionIdOf,
	finishQuietly,
	HELD_QUIET,
	successBody,
	triggerBody,
} from '../scale/callbacks';
import { cleanBeforeEachTest, watchCounterAndExecutions } from '../scale/cleanState';
import { startCounter, type Counter } from '../scale/counter';
import { allExecutions, countByStatus, waitForExecutions } from '../scale/executions';
import { FAULT_MESSAGE, failExecutionStarts } from '../scale/faults';
import { Figures, perSec, secs, type FigureDraft } from '../scale/figures';
import {
	fmt,
	loadClient,
	measureClientOverhead,
	runPool,
	seededRandom,
	shuffle,
	statusHistogram,
	summarize,
	type LoadClient,
	type PostResult,
} from '../scale/loadgen';
import {
	startTarget,
	targetModeFromEnv,
	type Target,
	deploy as deployShape,
} from '../scale/target';
import {
	ACTION,
	modelsLabCallbackWorkflow,
	plainWebhookWorkflow,
	triggerWorkflow,
	type Shape,
} from '../scale/workflows';
import { FINISHED, nodeOutput } from '../support/executions';

const JOBS = Number(process.env.MODELSLAB_LOAD_JOBS ?? 1000);
const DUPLICATE_SHARE = 0.3;
const CONCURRENCY = 20;
const KILL_WAITING = Number(process.env.MODELSLAB_LOAD_KILL ?? 100);
const FAULT_EXECUTIONS = 20;
/** Trigger callbacks sent while n8n cannot create executions. */
const FAULTED_CALLBACKS = 10;
/** Upper bound for any one phase (starting, parking, draining). */
const PHASE_MS = 12 * 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`load and faults on n8n 2.x (${targetModeFromEnv()})`, () => {
	let t: Target;
	let counter: Counter;
	let client: LoadClient;
	const figures = new Figures('load');

	beforeAll(async () => {
		counter = await startCounter();
		client = loadClient(CONCURRENCY * 2);
		const overhead = await measureClientOverhead(2000, CONCURRENCY);
		figures.record('client overhead (undici → no-op node:http server, same process)', {
			requests: overhead.requests,
			concurrency: overhead.concurrency,
			perSecond: Math.round(overhead.perSecond),
			latencyMs: { median: fmt(overhead.latency.median, 2), p95: fmt(overhead.latency.p95, 2) },
		});
		t = await startTarget(targetModeFromEnv());
		process.stderr.write(
			`load: ${t.describe()}; main ${t.baseUrl}, callbacks to ${t.webhookBase}\n`,
		);
	});

	afterAll(async () => {
		figures.save({ target: t?.describe() });
		await client?.close();
		await counter?.close();
		await t?.stop();
	});

	// A test that failed or timed out left executions (stuck in `new` or `running` after the
	// SIGKILL test, waiting ones) and an active workflow: the next one must not count them.
	cleanBeforeEachTest('load', () => t, figures);

	const watch = (fig: FigureDraft, workflowId: string): void =>
		watchCounterAndExecutions(fig, t, counter, workflowId);

	/** On failure: counts, and every process's log tail. */
	async function explain<T>(workflowId: string | undefined, fn: () => Promise<T>): Promise<T> {
		try {
			return await fn();
		} catch (e) {
			const counts = workflowId
				? await allExecutions(t.api, workflowId).then(countByStatus, (err: Error) => err.message)
				: 'n/a';
			throw new Error(
				`${(e as Error).message}\nexecutions: ${JSON.stringify(counts)}; counter unique ${counter.unique()}, total ${counter.total()}\n${t.logs(20)}`,
			);
		}
	}

	const deploy = (shape: Shape): Promise<string> => deployShape(t, shape);

	/** Starts `count` executions of a callback workflow and waits until every one is parked. */
	async function parkExecutions(
		shape: Shape,
		workflowId: string,
		count: number,
		label: string,
		fig: FigureDraft,
	): Promise<{ jobs: SimJob[]; ms: number; startMs: number }> {
		const before = new Set(t.sim.jobs.keys());
		t.sim.plan(HELD_QUIET, count);
		const t0 = Date.now();
		const started = await runPool(
			Array.from({ length: count }, (_, i) => i),
			CONCURRENCY,
			(i) => client.post(`${t.webhookBase}/webhook/${shape.path}`, { prompt: `${label} ${i}` }),
		);
		const startMs = Date.now() - t0;
		fig.note({
			startStatuses: statusHistogram(started),
			startRequestsPerSecond: perSec(count, startMs),
		});
		expect(statusHistogram(started)).toEqual({ 200: count });
		await waitForExecutions(t.api, workflowId, (c) => (c.waiting ?? 0) >= count, {
			timeoutMs: PHASE_MS,
			intervalMs: 2000,
			status: 'waiting',
			onPoll: (c) => process.stderr.write(`load ${label}: waiting ${c.waiting ?? 0}/${count}\n`),
		});
		const jobs = [...t.sim.jobs.values()].filter((j) => !before.has(j.id));
		fig.note({ parked: jobs.length, startAndParkSeconds: secs(Date.now() - t0) });
		expect(jobs.length).toBe(count);
		return { jobs, ms: Date.now() - t0, startMs };
	}

	async function waitAllFinished(
		workflowId: string,
		count: number,
		label: string,
	): Promise<Execution[]> {
		return waitForExecutions(
			t.api,
			workflowId,
			(_c, all) => all.length >= count && all.every((e) => FINISHED.includes(e.status)),
			{
				timeoutMs: PHASE_MS,
				intervalMs: 2000,
				onPoll: (c) => process.stderr.write(`load ${label}: ${JSON.stringify(c)}\n`),
			},
		);
	}

	test(`${JOBS} jobs in callback mode, ${DUPLICATE_SHARE * 100}% of callbacks duplicated, concurrency ${CONCURRENCY}: all finish once`, async () => {
		counter.reset();
		const dupCount = Math.round(JOBS * DUPLICATE_SHARE);
		const racingCount = Math.ceil(dupCount / 2);
		const fig = figures.begin(
			`callback mode: ${JOBS} jobs, ${dupCount} duplicated (${racingCount} racing, ${dupCount - racingCount} late), concurrency ${CONCURRENCY}`,
		);
		fig.note({ target: t.describe() });
		const shape = modelsLabCallbackWorkflow(t.credential, {
			counterUrl: counter.url,
			name: 'load callback',
		});
		const workflowId = await deploy(shape);
		watch(fig, workflowId);
		await explain(workflowId, async () => {
			const parked = await parkExecutions(shape, workflowId, JOBS, 'callback', fig);
			const random = seededRandom(6);
			const dups = shuffle(parked.jobs, random).slice(0, dupCount);
			const racing = new Set(dups.slice(0, racingCount).map((j) => j.id));
			const late = dups.filter((j) => !racing.has(j.id));
			const originals: PostResult[] = [];
			const duplicates: PostResult[] = [];
			const sentAt = new Map<string, number>();
			fig.probe(() => ({
				callbacksSentSoFar: originals.length + duplicates.length,
				originalStatusesSoFar: statusHistogram(originals),
				duplicateStatusesSoFar: statusHistogram(duplicates),
			}));

			const t1 = Date.now();
			await runPool(shuffle(parked.jobs, random), CONCURRENCY, async (job) => {
				await finishQuietly(t.sim, job);
				const url = job.webhook ?? '';
				sentAt.set(job.id, Date.now());
				if (racing.has(job.id)) {
					const pair = await Promise.all([
						client.post(url, successBody(job)),
						client.post(url, successBody(job)),
					]);
					// Which copy wins the race is n8n's choice: the first 200 counts as the original.
					const winner = pair.findIndex((r) => r.status === 200);
					originals.push(pair[winner === -1 ? 0 : winner]);
					duplicates.push(pair[winner === 1 ? 0 : 1]);
				} else originals.push(await client.post(url, successBody(job)));
			});
			duplicates.push(
				...(await runPool(late, CONCURRENCY, (job) =>
					client.post(job.webhook ?? '', successBody(job)),
				)),
			);
			const sentMs = Date.now() - t1;
			fig.note({
				callbacksSent: originals.length + duplicates.length,
				callbackSendSeconds: secs(sentMs),
				callbacksPerSecond: perSec(originals.length + duplicates.length, sentMs),
				originalStatuses: statusHistogram(originals),
				duplicateStatuses: statusHistogram(duplicates),
				originalResponseMs: {
					median: fmt(summarize(originals.map((r) => r.ms)).median),
					p95: fmt(summarize(originals.map((r) => r.ms)).p95),
				},
			});

			await counter.waitForUnique(JOBS, PHASE_MS);
			const all = await waitAllFinished(workflowId, JOBS, 'callback');
			const drainedMs = Date.now() - t1;
			await sleep(5000); // a doubled resume would reach the counter by now
			const final = await allExecutions(t.api, workflowId);
			const counts = countByStatus(final);
			// Callback sent → the workflow's last node reached the counter, per job.
			const endToEnd = summarize(
				parked.jobs.map(
					(j) => Math.min(...(counter.hits.get(j.id) ?? [NaN])) - (sentAt.get(j.id) ?? NaN),
				),
			);
			const lost = parked.jobs.filter((j) => !counter.hits.has(j.id)).length;
			const doubled = counter.doubled().length;
			fig.record({
				executions: final.length,
				byStatus: counts,
				finished: counts.success ?? 0,
				lost,
				doubled,
				counterTotal: counter.total(),
				firstCallbackToAllFinishedSeconds: secs(drainedMs),
				callbackToWorkflowEndMs: {
					median: fmt(endToEnd.median),
					p95: fmt(endToEnd.p95),
					max: fmt(endToEnd.max),
				},
			});
			expect(all.length).toBe(JOBS);
			expect(counts).toEqual({ success: JOBS });
			expect(lost).toBe(0);
			expect(doubled).toBe(0);
			expect(counter.total()).toBe(JOBS);
			expect(statusHistogram(originals)).toEqual({ 200: JOBS });
		});
	});

	test(`trigger: ${JOBS} callbacks, ${DUPLICATE_SHARE * 100}% duplicated, concurrency ${CONCURRENCY}: executions = unique jobs`, async () => {
		counter.reset();
		const dupCount = Math.round(JOBS * DUPLICATE_SHARE);
		const racingCount = Math.ceil(dupCount / 2);
		const fig = figures.begin(
			`trigger: ${JOBS} unique callbacks + ${dupCount} duplicates (${racingCount} racing, ${dupCount - racingCount} late), concurrency ${CONCURRENCY}`,
		);
		fig.note({ target: t.describe(), uniqueJobs: JOBS });
		const shape = triggerWorkflow({
			trackId: 'load-*',
			counterUrl: counter.url,
			name: 'load trigger',
		});
		const workflowId = await deploy(shape);
		watch(fig, workflowId);
		await explain(workflowId, async () => {
			const url = `${t.webhookBase}/webhook/${shape.path}`;
			const ids = Array.from({ length: JOBS }, (_, i) => 900_000 + i);
			const random = seededRandom(7);
			const dups = shuffle(ids, random).slice(0, dupCount);
			const racing = new Set(dups.slice(0, racingCount));
			const late = dups.filter((id) => !racing.has(id));
			const results: Array<{ id: number; res: PostResult; duplicate: boolean }> = [];
			const body = (id: number) => triggerBody(id, `load-${id}`);
			fig.probe(() => ({
				postsSoFar: results.length,
				statusesSoFar: statusHistogram(results.map((r) => r.res)),
			}));

			const t0 = Date.now();
			await runPool(shuffle(ids, random), CONCURRENCY, async (id) => {
				if (racing.has(id)) {
					const [a, b] = await Promise.all([
						client.post(url, body(id)),
						client.post(url, body(id)),
					]);
					results.push({ id, res: a, duplicate: false }, { id, res: b, duplicate: true });
				} else results.push({ id, res: await client.post(url, body(id)), duplicate: false });
			});
			for (const r of await runPool(late, CONCURRENCY, (id) => client.post(url, body(id))))
				results.push({ id: 0, res: r, duplicate: true });
			const sentMs = Date.now() - t0;
			const started = results.filter((r) => r.res.body.includes('"started":true')).length;
			const ignoredAsDuplicate = results.filter((r) => r.res.body.includes('duplicate')).length;
			fig.note({
				posts: results.length,
				answeredStarted: started,
				answeredDuplicate: ignoredAsDuplicate,
				statuses: statusHistogram(results.map((r) => r.res)),
				sendSeconds: secs(sentMs),
				postsPerSecond: perSec(results.length, sentMs),
				responseMs: {
					median: fmt(summarize(results.map((r) => r.res.ms)).median),
					p95: fmt(summarize(results.map((r) => r.res.ms)).p95),
				},
			});

			await counter.waitForUnique(JOBS, PHASE_MS);
			const all = await waitAllFinished(workflowId, JOBS, 'trigger');
			const drainedMs = Date.now() - t0;
			await sleep(5000);
			const final = await allExecutions(t.api, workflowId);
			fig.record({
				executions: final.length,
				byStatus: countByStatus(final),
				counterUnique: counter.unique(),
				counterTotal: counter.total(),
				doubled: counter.doubled().length,
				allFinishedSeconds: secs(drainedMs),
			});
			expect(all.length).toBe(JOBS);
			expect(countByStatus(final)).toEqual({ success: JOBS });
			expect(counter.total()).toBe(JOBS);
			expect(counter.doubled()).toEqual([]);
			expect(started).toBe(JOBS);
			expect(statusHistogram(results.map((r) => r.res))).toEqual({ 200: results.length });
		});
	});

	test(`trigger: n8n cannot create the execution (faulted database): the sender gets a 5xx, nothing is recorded as seen, a retry starts it once`, async () => {
		counter.reset();
		const fig = figures.begin(
			`trigger, faulted database: ${FAULTED_CALLBACKS} callbacks while n8n cannot create executions, then the same again twice`,
		);
		fig.note({ target: t.describe(), database: `${t.db.kind} ${t.db.location}` });
		const shape = triggerWorkflow({
			trackId: 'fault-*',
			counterUrl: counter.url,
			name: 'load trigger fault',
		});
		const workflowId = await deploy(shape);
		// n8n's own Webhook node under the same fault: n8n's answer, and proof the fault reached it.
		const control = plainWebhookWorkflow({ name: 'load trigger fault control' });
		const controlId = await deploy(control);
		watch(fig, workflowId);
		await explain(workflowId, async () => {
			const url = `${t.webhookBase}/webhook/${shape.path}`;
			const ids = Array.from({ length: FAULTED_CALLBACKS }, (_, i) => 980_000 + i);
			const send = () =>
				runPool(ids, CONCURRENCY, (id) => client.post(url, triggerBody(id, `fault-${id}`)));
			const answers = (results: PostResult[]) => {
				const bodies: Record<string, number> = {};
				for (const r of results) {
					const key = `${r.status} ${r.error ?? r.body.slice(0, 200)}`;
					bodies[key] = (bodies[key] ?? 0) + 1;
				}
				return { statuses: statusHistogram(results), bodies };
			};
			const rowsOf = async (id: string) => {
				const [{ n }] = await t.db.rows(
					`select count(*) as n from execution_entity where "workflowId" = '${id}'`,
				);
				return Number(n);
			};
			/** This test's job ids among the trigger's seen keys in static data (as n8n saved it). */
			const seenIds = async (): Promise<number[]> => {
				const data = (await t.api.getWorkflow(workflowId)).staticData ?? {};
				const keys = Object.values(data).flatMap((node) =>
					node && typeof node === 'object' && 'seenCallbacks' in node
						? Object.keys((node as { seenCallbacks: object }).seenCallbacks ?? {})
						: [],
				);
				return ids.filter((id) => keys.some((key) => key.includes(`:${id}:`)));
			};
			const faultLines = () =>
				Object.values(t.processLogs())
					.join('\n')
					.split('\n')
					.filter((line) => line.includes(FAULT_MESSAGE));
			const logLinesBefore = faultLines().length;
			const t0 = Date.now();

			const restore = await failExecutionStarts(t);
			let faulted: PostResult[] = [];
			let controlAnswer: PostResult | undefined;
			let rowsWhileFaulted = NaN;
			let controlRowsWhileFaulted = NaN;
			try {
				controlAnswer = await client.post(`${t.webhookBase}/webhook/${control.path}`, {
					probe: 'fault',
				});
				faulted = await send();
				await sleep(2000); // n8n's attempts to create the executions are over by now
				rowsWhileFaulted = await rowsOf(workflowId);
				controlRowsWhileFaulted = await rowsOf(controlId);
			} finally {
				await restore();
			}
			const faultedLines = faultLines().slice(logLinesBefore);
			const seenAfterFault = await seenIds();
			fig.note({
				controlN8nWebhookWhileFaulted: {
					status: controlAnswer?.status,
					body: controlAnswer?.body.slice(0, 300),
					executionRows: controlRowsWhileFaulted,
				},
				faultedRound: {
					...answers(faulted),
					executionRows: rowsWhileFaulted,
					jobIdsSeenInStaticData: seenAfterFault.length,
					n8nLogLinesNamingTheFault: faultedLines.length,
					n8nLogExample: faultedLines[0]?.trim().slice(0, 300),
				},
			});

			const retried = await send();
			// Waits for what the answers promise; the expectations below judge the answers.
			const promised = retried.filter((r) => r.body.includes('"started":true')).length;
			await counter.waitForUnique(promised, 60_000).catch(() => undefined);
			await waitForExecutions(
				t.api,
				workflowId,
				(_c, all) => all.length >= promised && all.every((e) => FINISHED.includes(e.status)),
				{ timeoutMs: 60_000, intervalMs: 1000 },
			).catch(() => undefined);
			await sleep(3000); // a doubled start would reach the counter by now
			const afterRetry = await allExecutions(t.api, workflowId);
			fig.note({
				retryRound: {
					...answers(retried),
					answeredStarted: promised,
					executions: countByStatus(afterRetry),
					counterUnique: counter.unique(),
					counterTotal: counter.total(),
					doubled: counter.doubled(),
					jobIdsSeenInStaticData: (await seenIds()).length,
				},
			});

			const third = await send();
			await sleep(3000);
			const afterThird = await allExecutions(t.api, workflowId);
			fig.record({
				thirdRound: {
					...answers(third),
					answeredDuplicate: third.filter((r) => r.body.includes('duplicate')).length,
					executions: countByStatus(afterThird),
					counterTotal: counter.total(),
				},
				seconds: secs(Date.now() - t0),
			});

			// The fault reached n8n: its own Webhook node could not start an execution either.
			expect(controlAnswer?.status).toBeGreaterThanOrEqual(500);
			expect(controlRowsWhileFaulted).toBe(0);
			// Every callback n8n could not start was refused with a 5xx, and none was remembered.
			expect(
				faulted.filter((r) => r.status < 500 || r.status > 599).map((r) => `${r.status} ${r.body}`),
			).toEqual([]);
			expect(rowsWhileFaulted).toBe(0);
			expect(seenAfterFault).toEqual([]);
			// The sender's retry started each job once.
			expect(
				retried
					.filter((r) => r.status !== 200 || !r.body.includes('"started":true'))
					.map((r) => `${r.status} ${r.body}`),
			).toEqual([]);
			expect(countByStatus(afterRetry)).toEqual({ success: FAULTED_CALLBACKS });
			expect(counter.unique()).toBe(FAULTED_CALLBACKS);
			expect(counter.total()).toBe(FAULTED_CALLBACKS);
			expect(counter.doubled()).toEqual([]);
			// A third delivery is a duplicate now.
			expect(
				third
					.filter((r) => r.status < 200 || r.status > 299 || !r.body.includes('duplicate'))
					.map((r) => `${r.status} ${r.body}`),
			).toEqual([]);
			expect(afterThird).toHaveLength(FAULTED_CALLBACKS);
		});
	});

	test(`faults: malformed, oversized, foreign and unauthenticated callbacks interleaved with real ones (${FAULT_EXECUTIONS} waiting executions)`, async () => {
		counter.reset();
		const fig = figures.begin(
			`faults: bad callbacks interleaved with ${FAULT_EXECUTIONS} real ones`,
		);
		fig.note({ target: t.describe() });
		const shape = modelsLabCallbackWorkflow(t.credential, {
			counterUrl: counter.url,
			name: 'load faults',
		});
		const workflowId = await deploy(shape);
		watch(fig, workflowId);
		await explain(workflowId, async () => {
			const { jobs } = await parkExecutions(shape, workflowId, FAULT_EXECUTIONS, 'faults', fig);
			// Each job finishes at ModelsLab just before its real callback: until then nothing but a
			// callback could end a wait (a finished job may be found by the node's own look).
			const random = seededRandom(8);
			const pidsBefore = t.pids();

			type Kind = 'real' | 'malformed' | 'oversized' | 'foreign' | 'unauthenticated' | 'wrongNode';
			interface Shot {
				kind: Kind;
				what: string;
				job: SimJob;
				url: string;
				body: string | Buffer | object;
				contentType?: string;
			}
			const withQuery = (url: string, edit: (q: URLSearchParams) => void): string => {
				const u = new URL(url);
				edit(u.searchParams);
				return u.toString();
			};
			/**
			 * The callback URL without its secret. A signed resume URL (n8n 2.14+) is authenticated by
			 * n8n's token (and the node's MAC), an unsigned one (1.x) by the node's MAC.
			 */
			const unauthenticated = (
				url: string,
				otherUrl: string,
			): Array<{ what: string; url: string }> => {
				const secret = new URL(url).searchParams.has('signature') ? 'signature' : 'mlmac';
				const length = secret === 'signature' ? 64 : 22;
				return [
					{ what: `no ${secret}`, url: withQuery(url, (q) => q.delete(secret)) },
					{
						what: `wrong ${secret}`,
						url: withQuery(url, (q) => q.set(secret, 'f'.repeat(length))),
					},
					{
						what: `${secret} of another execution`,
						url: withQuery(url, (q) =>
							q.set(secret, new URL(otherUrl).searchParams.get(secret) ?? ''),
						),
					},
				];
			};
			// 17 MiB: over n8n's default 16 MiB body limit (N8N_PAYLOAD_SIZE_MAX).
			const oversized = (job: SimJob) =>
				JSON.stringify({ ...successBody(job), meta: { padding: 'x'.repeat(17 * 1024 * 1024) } });
			const shots: Shot[] = [];
			jobs.forEach((job, i) => {
				const url = job.webhook ?? '';
				const other = jobs[(i + 1) % jobs.length];
				const otherUrl = other.webhook ?? '';
				const u = new URL(url);
				const bad: Array<Omit<Shot, 'job'>> = [
					{
						kind: 'malformed',
						what: 'truncated JSON',
						url,
						body: '{"status":"success","id":',
						contentType: 'application/json',
					},
					{
						kind: 'malformed',
						what: 'JSON array',
						url,
						body: '[1,2,3]',
						contentType: 'application/json',
					},
					{
						kind: 'malformed',
						what: 'plain text',
						url,
						body: 'status=success&id=1',
						contentType: 'text/plain',
					},
					{ kind: 'malformed', what: 'no id', url, body: { status: 'success', output: [] } },
					{
						kind: 'malformed',
						what: 'id is an object',
						url,
						body: { status: 'success', id: { $gt: 0 } },
					},
					{ kind: 'foreign', what: 'another execution’s job', url, body: successBody(other) },
					{
						kind: 'foreign',
						what: 'unknown job id',
						url,
						body: { ...successBody(job), id: 99_000_000 + i },
					},
					...unauthenticated(url, otherUrl).map((shot) => ({
						...shot,
						kind: 'unauthenticated' as const,
						body: successBody(job),
					})),
					{
						kind: 'wrongNode',
						what: 'another node id',
						url: `${u.origin}${u.pathname.replace(/\/[^/]+$/, '/00000000-0000-4000-8000-000000000000')}${u.search}`,
						body: successBody(job),
					},
				];
				// On executions of the late half, so they meet a waiting execution.
				if (i >= FAULT_EXECUTIONS / 2 && i < FAULT_EXECUTIONS / 2 + 3)
					bad.push({ kind: 'oversized', what: '17 MiB body', url, body: oversized(job) });
				for (const b of bad) shots.push({ ...b, job });
			});
			// Half the executions get their real callback mixed in with the bad ones; the other
			// half only afterwards, so every bad callback meets them while they wait.
			const early = new Set(jobs.slice(0, FAULT_EXECUTIONS / 2).map((j) => j.id));
			const real = (job: SimJob): Shot => ({
				kind: 'real',
				what: 'real',
				job,
				url: job.webhook ?? '',
				body: successBody(job),
			});
			const round1 = shuffle([...shots, ...jobs.filter((j) => early.has(j.id)).map(real)], random);
			const round2 = jobs.filter((j) => !early.has(j.id)).map(real);
			fig.rename(
				`faults: ${shots.length} bad callbacks interleaved with ${FAULT_EXECUTIONS} real ones`,
			);
			/**
			 * What a bad callback must get while its execution waits. n8n itself answers a body over
			 * its limit with 500 "There was a problem executing the workflow" (PayloadTooLargeError
			 * while parsing, before any node code), not 413.
			 */
			const expected: Record<Exclude<Kind, 'real'>, number[]> = {
				malformed: [200, 422],
				foreign: [200],
				unauthenticated: [401],
				wrongNode: [404],
				oversized: [413, 500],
			};
			const answered: Array<{ shot: Shot; res: PostResult }> = [];
			const fire = async (s: Shot) => {
				if (s.kind === 'real') await finishQuietly(t.sim, s.job);
				const res = await client.post(s.url, s.body, {
					contentType: s.contentType,
					timeoutMs: 120_000,
				});
				answered.push({ shot: s, res });
				return { shot: s, res };
			};
			const histogramByKind = (list: Array<{ shot: Shot; res: PostResult }>) => {
				const out: Record<string, Record<string, number>> = {};
				for (const { shot, res } of list) {
					const key = `${shot.kind}: ${shot.what}`;
					out[key] ??= {};
					out[key][String(res.status)] = (out[key][String(res.status)] ?? 0) + 1;
				}
				return out;
			};
			fig.probe(() => ({
				sentSoFar: answered.length,
				statusesByKindSoFar: histogramByKind(answered),
			}));

			const t0 = Date.now();
			const r1 = await runPool(round1, CONCURRENCY, fire);
			// The late half is still parked: nothing bad resumed it.
			const lateStates = await Promise.all(
				jobs
					.filter((j) => !early.has(j.id))
					.map((j) => t.api.getExecution(executionIdOf(j.webhook ?? ''), false)),
			);
			const stillWaiting = lateStates.filter((e) => e.status === 'waiting').length;
			fig.note({ lateHalfStillWaitingAfterBadOnes: `${stillWaiting}/${lateStates.length}` });
			const r2 = await runPool(round2, CONCURRENCY, fire);
			const all = [...r1, ...r2];
			const byKind = histogramByKind(all);
			const serverErrors = all
				.filter((a) => a.res.status >= 500 || a.res.status === 0)
				.map(
					(a) =>
						`${a.shot.kind}: ${a.shot.what} → ${a.res.status} ${a.res.error ?? a.res.body.slice(0, 300)} (${a.shot.url.replace(/\?.*$/, '')})`,
				);
			fig.note({
				statusesByKind: byKind,
				realAnswers: histogramByKind(
					all
						.filter((a) => a.shot.kind === 'real')
						.map((a) => ({
							...a,
							shot: { ...a.shot, what: a.res.body.replace(/\d+/g, '#').slice(0, 120) },
						})),
				),
				n8nRaceErrorsAroundResume: all.filter(
					(a) => a.res.status === 500 && a.res.body.includes('Cannot read properties of undefined'),
				).length,
				serverErrors,
			});
			await counter.waitForUnique(FAULT_EXECUTIONS, 120_000);
			await waitAllFinished(workflowId, FAULT_EXECUTIONS, 'faults');
			await sleep(3000);
			const wrong: string[] = [];
			for (const job of jobs) {
				const exec = await t.api.getExecution(executionIdOf(job.webhook ?? ''), true);
				const out = nodeOutput(exec, ACTION);
				if (exec.status !== 'success' || out.length !== 1 || out[0].json.id !== job.id)
					wrong.push(
						`${exec.id}: ${exec.status} ${JSON.stringify(out.map((o) => o.json.id))} (job ${job.id})`,
					);
			}
			const alive = pidsBefore.filter((pid) => {
				try {
					process.kill(pid, 0);
					return true;
				} catch {
					return false;
				}
			}).length;
			fig.record({
				executionsSuccessWithOwnResult: FAULT_EXECUTIONS - wrong.length,
				wrongResumes: wrong,
				counterTotal: counter.total(),
				doubled: counter.doubled().length,
				n8nProcessesAlive: `${alive}/${pidsBefore.length}`,
				seconds: secs(Date.now() - t0),
			});
			expect(stillWaiting).toBe(lateStates.length);
			expect(wrong).toEqual([]);
			expect(counter.total()).toBe(FAULT_EXECUTIONS);
			expect(alive).toBe(pidsBefore.length);
			// Every real callback was taken (200: it resumed its execution, or the node's own look at
			// the job, prompted by a malformed callback, had just done so); no bad one resumed anything.
			expect(all.filter((a) => a.shot.kind === 'real').every((a) => a.res.status === 200)).toBe(
				true,
			);
			expect(
				all
					.filter((a) => a.shot.kind !== 'real')
					.some((a) => a.res.body.includes('"resumed":true')),
			).toBe(false);
			// Bad callbacks that met a waiting execution got exactly the expected answer (2xx ones say "accepted": false).
			const unexpected = r1
				.filter((a) => a.shot.kind !== 'real' && !early.has(a.shot.job.id))
				.filter(
					(a) =>
						!expected[a.shot.kind as Exclude<Kind, 'real'>].includes(a.res.status) ||
						(a.res.status === 200 && !a.res.body.includes('"accepted":false')),
				)
				.map((a) => `${a.shot.kind}: ${a.shot.what} → ${a.res.status} ${a.res.body.slice(0, 200)}`);
			expect(unexpected).toEqual([]);
			// Around a resume n8n may answer 409 (running/finished) or, in a race of its own, 500; never a network error.
			expect(all.every((a) => a.res.status !== 0)).toBe(true);
		});
	});

	test(`${KILL_WAITING} executions waiting, every n8n process SIGKILLed and restarted, then the callbacks: all resume`, async () => {
		counter.reset();
		const fig = figures.begin(
			`SIGKILL: ${KILL_WAITING} waiting executions, every n8n process killed and restarted`,
		);
		fig.note({ target: t.describe(), waitingBeforeKill: KILL_WAITING });
		const shape = modelsLabCallbackWorkflow(t.credential, {
			counterUrl: counter.url,
			name: 'load kill',
		});
		const workflowId = await deploy(shape);
		watch(fig, workflowId);
		await explain(workflowId, async () => {
			const { jobs } = await parkExecutions(shape, workflowId, KILL_WAITING, 'kill', fig);
			const submittedBefore = t.sim.jobs.size;
			const k0 = Date.now();
			await t.killAll('SIGKILL');
			const killMs = Date.now() - k0;
			fig.note({ killSeconds: secs(killMs) });
			const r0 = Date.now();
			await t.restartAll();
			const restartMs = Date.now() - r0;
			const waitingAfter = countByStatus(await allExecutions(t.api, workflowId)).waiting ?? 0;
			fig.note({ restartSeconds: secs(restartMs), waitingAfterRestart: waitingAfter });

			const c0 = Date.now();
			const results = await runPool(jobs, CONCURRENCY, async (job) => {
				await finishQuietly(t.sim, job);
				return client.post(job.webhook ?? '', successBody(job));
			});
			fig.note({ callbackStatuses: statusHistogram(results) });
			await counter.waitForUnique(KILL_WAITING, PHASE_MS);
			const final = await waitAllFinished(workflowId, KILL_WAITING, 'kill');
			const resumeMs = Date.now() - c0;
			await sleep(3000);
			fig.record({
				resumed: countByStatus(final).success ?? 0,
				byStatus: countByStatus(final),
				callbacksToAllFinishedSeconds: secs(resumeMs),
				counterTotal: counter.total(),
				doubled: counter.doubled().length,
				resubmittedJobs: t.sim.jobs.size - submittedBefore,
			});
			expect(waitingAfter).toBe(KILL_WAITING);
			expect(statusHistogram(results)).toEqual({ 200: KILL_WAITING });
			expect(countByStatus(final)).toEqual({ success: KILL_WAITING });
			expect(counter.total()).toBe(KILL_WAITING);
			expect(t.sim.jobs.size).toBe(submittedBefore);
		});
	});
});
