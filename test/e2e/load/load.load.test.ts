// Load and fault runs against real n8n 2.x, loopback only, bounded in count and time; each prints
// its figures. `npm run test:load` (queue mode by default; MODELSLAB_LOAD_TARGET=single for one
// n8n process). MODELSLAB_LOAD_JOBS scales the 1,000-job runs down for a quick try.
import type { Execution } from '../../../scripts/n8n';
import type { SimJob } from '../../simulator';
import {
	executionIdOf,
	finishQuietly,
	HELD_QUIET,
	successBody,
	triggerBody,
} from '../scale/callbacks';
import { startCounter, type Counter } from '../scale/counter';
import { allExecutions, countByStatus, waitForExecutions } from '../scale/executions';
import { Figures, perSec, secs } from '../scale/figures';
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
import { startTarget, targetModeFromEnv, type Target } from '../scale/target';
import { ACTION, modelsLabCallbackWorkflow, triggerWorkflow, type Shape } from '../scale/workflows';
import { FINISHED, nodeOutput } from '../support/executions';

const JOBS = Number(process.env.MODELSLAB_LOAD_JOBS ?? 1000);
const DUPLICATE_SHARE = 0.3;
const CONCURRENCY = 20;
const KILL_WAITING = Number(process.env.MODELSLAB_LOAD_KILL ?? 100);
const FAULT_EXECUTIONS = 20;
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

	async function deploy(shape: Shape): Promise<string> {
		const wf = await t.api.createWorkflow(shape.input);
		await t.activate(wf.id, [shape.path]);
		return wf.id;
	}

	/** Starts `count` executions of a callback workflow and waits until every one is parked. */
	async function parkExecutions(
		shape: Shape,
		workflowId: string,
		count: number,
		label: string,
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
		expect(statusHistogram(started)).toEqual({ 200: count });
		await waitForExecutions(t.api, workflowId, (c) => (c.waiting ?? 0) >= count, {
			timeoutMs: PHASE_MS,
			intervalMs: 2000,
			status: 'waiting',
			onPoll: (c) => process.stderr.write(`load ${label}: waiting ${c.waiting ?? 0}/${count}\n`),
		});
		const jobs = [...t.sim.jobs.values()].filter((j) => !before.has(j.id));
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
		const shape = modelsLabCallbackWorkflow(t.credential, {
			counterUrl: counter.url,
			name: 'load callback',
		});
		const workflowId = await deploy(shape);
		await explain(workflowId, async () => {
			const parked = await parkExecutions(shape, workflowId, JOBS, 'callback');
			const random = seededRandom(6);
			const dups = shuffle(parked.jobs, random).slice(0, Math.round(JOBS * DUPLICATE_SHARE));
			const racing = new Set(dups.slice(0, Math.ceil(dups.length / 2)).map((j) => j.id));
			const late = dups.filter((j) => !racing.has(j.id));
			const originals: PostResult[] = [];
			const duplicates: PostResult[] = [];
			const sentAt = new Map<string, number>();

			const t1 = Date.now();
			await runPool(shuffle(parked.jobs, random), CONCURRENCY, async (job) => {
				await finishQuietly(t.sim, job);
				const url = job.webhook ?? '';
				sentAt.set(job.id, Date.now());
				if (racing.has(job.id)) {
					const [a, b] = await Promise.all([
						client.post(url, successBody(job)),
						client.post(url, successBody(job)),
					]);
					originals.push(a);
					duplicates.push(b);
				} else originals.push(await client.post(url, successBody(job)));
			});
			duplicates.push(
				...(await runPool(late, CONCURRENCY, (job) =>
					client.post(job.webhook ?? '', successBody(job)),
				)),
			);
			const sentMs = Date.now() - t1;

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
			figures.record(
				`callback mode: ${JOBS} jobs, ${dups.length} duplicated (${racing.size} racing, ${late.length} late), concurrency ${CONCURRENCY}`,
				{
					target: t.describe(),
					executions: final.length,
					byStatus: counts,
					finished: counts.success ?? 0,
					lost,
					doubled,
					counterTotal: counter.total(),
					startAndParkSeconds: secs(parked.ms),
					startRequestsPerSecond: perSec(JOBS, parked.startMs),
					callbacksSent: originals.length + duplicates.length,
					callbackSendSeconds: secs(sentMs),
					callbacksPerSecond: perSec(originals.length + duplicates.length, sentMs),
					firstCallbackToAllFinishedSeconds: secs(drainedMs),
					originalStatuses: statusHistogram(originals),
					duplicateStatuses: statusHistogram(duplicates),
					callbackToWorkflowEndMs: {
						median: fmt(endToEnd.median),
						p95: fmt(endToEnd.p95),
						max: fmt(endToEnd.max),
					},
					originalResponseMs: {
						median: fmt(summarize(originals.map((r) => r.ms)).median),
						p95: fmt(summarize(originals.map((r) => r.ms)).p95),
					},
				},
			);
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
		const shape = triggerWorkflow({
			trackId: 'load-*',
			counterUrl: counter.url,
			name: 'load trigger',
		});
		const workflowId = await deploy(shape);
		await explain(workflowId, async () => {
			const url = `${t.webhookBase}/webhook/${shape.path}`;
			const ids = Array.from({ length: JOBS }, (_, i) => 900_000 + i);
			const random = seededRandom(7);
			const dups = shuffle(ids, random).slice(0, Math.round(JOBS * DUPLICATE_SHARE));
			const racing = new Set(dups.slice(0, Math.ceil(dups.length / 2)));
			const late = dups.filter((id) => !racing.has(id));
			const results: Array<{ id: number; res: PostResult; duplicate: boolean }> = [];
			const body = (id: number) => triggerBody(id, `load-${id}`);

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

			await counter.waitForUnique(JOBS, PHASE_MS);
			const all = await waitAllFinished(workflowId, JOBS, 'trigger');
			const drainedMs = Date.now() - t0;
			await sleep(5000);
			const final = await allExecutions(t.api, workflowId);
			const started = results.filter((r) => r.res.body.includes('"started":true')).length;
			const ignoredAsDuplicate = results.filter((r) => r.res.body.includes('duplicate')).length;
			figures.record(
				`trigger: ${JOBS} unique callbacks + ${dups.length} duplicates (${racing.size} racing, ${late.length} late), concurrency ${CONCURRENCY}`,
				{
					target: t.describe(),
					posts: results.length,
					uniqueJobs: JOBS,
					executions: final.length,
					byStatus: countByStatus(final),
					counterUnique: counter.unique(),
					counterTotal: counter.total(),
					doubled: counter.doubled().length,
					answeredStarted: started,
					answeredDuplicate: ignoredAsDuplicate,
					statuses: statusHistogram(results.map((r) => r.res)),
					sendSeconds: secs(sentMs),
					postsPerSecond: perSec(results.length, sentMs),
					allFinishedSeconds: secs(drainedMs),
					responseMs: {
						median: fmt(summarize(results.map((r) => r.res.ms)).median),
						p95: fmt(summarize(results.map((r) => r.res.ms)).p95),
					},
				},
			);
			expect(all.length).toBe(JOBS);
			expect(countByStatus(final)).toEqual({ success: JOBS });
			expect(counter.total()).toBe(JOBS);
			expect(counter.doubled()).toEqual([]);
			expect(started).toBe(JOBS);
			expect(statusHistogram(results.map((r) => r.res))).toEqual({ 200: results.length });
		});
	});

	test(`faults: malformed, oversized, foreign and unauthenticated callbacks interleaved with real ones (${FAULT_EXECUTIONS} waiting executions)`, async () => {
		counter.reset();
		const shape = modelsLabCallbackWorkflow(t.credential, {
			counterUrl: counter.url,
			name: 'load faults',
		});
		const workflowId = await deploy(shape);
		await explain(workflowId, async () => {
			const { jobs } = await parkExecutions(shape, workflowId, FAULT_EXECUTIONS, 'faults');
			for (const job of jobs) await finishQuietly(t.sim, job);
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
			const fire = (s: Shot) =>
				client
					.post(s.url, s.body, { contentType: s.contentType, timeoutMs: 120_000 })
					.then((res) => ({ shot: s, res }));

			const t0 = Date.now();
			const r1 = await runPool(round1, CONCURRENCY, fire);
			// The late half is still parked: nothing bad resumed it.
			const lateStates = await Promise.all(
				jobs
					.filter((j) => !early.has(j.id))
					.map((j) => t.api.getExecution(executionIdOf(j.webhook ?? ''), false)),
			);
			const stillWaiting = lateStates.filter((e) => e.status === 'waiting').length;
			const r2 = await runPool(round2, CONCURRENCY, fire);
			const all = [...r1, ...r2];
			await counter.waitForUnique(FAULT_EXECUTIONS, 120_000);
			await waitAllFinished(workflowId, FAULT_EXECUTIONS, 'faults');
			await sleep(3000);

			const byKind: Record<string, Record<string, number>> = {};
			for (const { shot, res } of all) {
				const key = `${shot.kind}: ${shot.what}`;
				byKind[key] ??= {};
				byKind[key][String(res.status)] = (byKind[key][String(res.status)] ?? 0) + 1;
			}
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
			figures.record(
				`faults: ${all.length - FAULT_EXECUTIONS} bad callbacks interleaved with ${FAULT_EXECUTIONS} real ones`,
				{
					target: t.describe(),
					statusesByKind: byKind,
					lateHalfStillWaitingAfterBadOnes: `${stillWaiting}/${lateStates.length}`,
					executionsSuccessWithOwnResult: FAULT_EXECUTIONS - wrong.length,
					wrongResumes: wrong,
					n8nRaceErrorsAroundResume: all.filter(
						(a) =>
							a.res.status === 500 && a.res.body.includes('Cannot read properties of undefined'),
					).length,
					serverErrors: all
						.filter((a) => a.res.status >= 500 || a.res.status === 0)
						.map(
							(a) =>
								`${a.shot.kind}: ${a.shot.what} → ${a.res.status} ${a.res.error ?? a.res.body.slice(0, 300)} (${a.shot.url.replace(/\?.*$/, '')})`,
						),
					counterTotal: counter.total(),
					doubled: counter.doubled().length,
					n8nProcessesAlive: `${alive}/${pidsBefore.length}`,
					seconds: secs(Date.now() - t0),
				},
			);
			expect(stillWaiting).toBe(lateStates.length);
			expect(wrong).toEqual([]);
			expect(counter.total()).toBe(FAULT_EXECUTIONS);
			expect(alive).toBe(pidsBefore.length);
			// Every real callback was taken; no bad one was answered 2xx with a resume.
			expect(
				all
					.filter((a) => a.shot.kind === 'real')
					.every((a) => a.res.status === 200 && a.res.body.includes('"resumed":true')),
			).toBe(true);
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
		const shape = modelsLabCallbackWorkflow(t.credential, {
			counterUrl: counter.url,
			name: 'load kill',
		});
		const workflowId = await deploy(shape);
		await explain(workflowId, async () => {
			const { jobs } = await parkExecutions(shape, workflowId, KILL_WAITING, 'kill');
			const submittedBefore = t.sim.jobs.size;
			const k0 = Date.now();
			await t.killAll('SIGKILL');
			const killMs = Date.now() - k0;
			const r0 = Date.now();
			await t.restartAll();
			const restartMs = Date.now() - r0;
			const waitingAfter = countByStatus(await allExecutions(t.api, workflowId)).waiting ?? 0;

			const c0 = Date.now();
			const results = await runPool(jobs, CONCURRENCY, async (job) => {
				await finishQuietly(t.sim, job);
				return client.post(job.webhook ?? '', successBody(job));
			});
			await counter.waitForUnique(KILL_WAITING, PHASE_MS);
			const final = await waitAllFinished(workflowId, KILL_WAITING, 'kill');
			const resumeMs = Date.now() - c0;
			await sleep(3000);
			figures.record(
				`SIGKILL: ${KILL_WAITING} waiting executions, every n8n process killed and restarted`,
				{
					target: t.describe(),
					waitingBeforeKill: KILL_WAITING,
					waitingAfterRestart: waitingAfter,
					killSeconds: secs(killMs),
					restartSeconds: secs(restartMs),
					callbackStatuses: statusHistogram(results),
					resumed: countByStatus(final).success ?? 0,
					byStatus: countByStatus(final),
					callbacksToAllFinishedSeconds: secs(resumeMs),
					counterTotal: counter.total(),
					doubled: counter.doubled().length,
					resubmittedJobs: t.sim.jobs.size - submittedBefore,
				},
			);
			expect(waitingAfter).toBe(KILL_WAITING);
			expect(statusHistogram(results)).toEqual({ 200: KILL_WAITING });
			expect(countByStatus(final)).toEqual({ success: KILL_WAITING });
			expect(counter.total()).toBe(KILL_WAITING);
			expect(t.sim.jobs.size).toBe(submittedBefore);
		});
	});
});
