// Issue 14's attacks against real n8n 2.x (queue mode by default; MODELSLAB_LOAD_TARGET=single for
// one process), each bounded, each printing its figures: forged callbacks to a waiting execution's
// own URL, a resume URL leaked from an earlier node run, output files over the download cap, a
// forged trigger callback naming an internal URL (SSRF), and Track ID patterns built to backtrack
// (ReDoS). `npx jest -c jest.load.config.js test/e2e/load/hardening.load.test.ts`; figures in
// bench/results-hardening.md.
import type { Credential, Execution } from '../../../scripts/n8n';
import type { JsonObject, SimJob } from '../../simulator';
import { startFileHost } from '../../simulator/fileHosts';
import { CREDENTIAL_TYPE } from '../support/stack';
import { executionIdOf, finishQuietly, HELD_QUIET, successBody } from '../scale/callbacks';
import { allExecutions, countByStatus, waitForExecutions } from '../scale/executions';
import { cleanBeforeEachTest } from '../scale/cleanState';
import { startFileServer, type FileServer } from '../scale/fileServer';
import { Figures, secs } from '../scale/figures';
import {
	fmt,
	loadClient,
	runPool,
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
	LAST,
	modelsLabCallbackWorkflow,
	modelsLabLoopWorkflow,
	triggerWorkflow,
	type Shape,
} from '../scale/workflows';
import { FINISHED, nodeOutput, runCount } from '../support/executions';

const EXECUTIONS = Number(process.env.MODELSLAB_HARDENING_EXECUTIONS ?? 20);
const CONCURRENCY = 20;
const PHASE_MS = 10 * 60_000;
/** The download cap the download runs set (Max Download Size (MB)). */
const CAP_MB = 1;
/** What no bad callback's effect may contain: its output URL. */
const EVIL_OUTPUT = 'http://127.0.0.1:9/forged.png';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`hardening on n8n 2.x (${targetModeFromEnv()})`, () => {
	let t: Target;
	let client: LoadClient;
	let files: FileServer;
	/** The Base URL's origin is the simulator's own port; this one trusts 127.0.0.1 (Output Hosts). */
	let localHosts: Credential;
	/** Reads jobs back where ModelsLab's answers echo the request in `meta` (test/simulator/metaEcho.ts). */
	let withMeta: Credential;
	const figures = new Figures('hardening');

	beforeAll(async () => {
		client = loadClient(CONCURRENCY * 2);
		files = await startFileServer();
		t = await startTarget(targetModeFromEnv());
		const data = { apiKey: t.sim.apiKey, baseUrl: t.sim.baseUrl };
		localHosts = await t.api.createCredential({
			name: 'ModelsLab (simulator, output hosts 127.0.0.1)',
			type: CREDENTIAL_TYPE,
			data: { ...data, outputHosts: '127.0.0.1' },
		});
		withMeta = await t.api.createCredential({
			name: 'ModelsLab (simulator, fetch with meta)',
			type: CREDENTIAL_TYPE,
			data: { ...data, baseUrl: `${t.sim.origin}/api-meta` },
		});
		process.stderr.write(`hardening: ${t.describe()}\n`);
	});

	afterAll(async () => {
		figures.save({ target: t?.describe() });
		await client?.close();
		await files?.close();
		await t?.stop();
	});

	// No executions or active workflows of an earlier test (or file) are counted in this one.
	// Each test records its figures before its expectations, so a failed one still prints them.
	cleanBeforeEachTest('hardening', () => t);

	async function explain<T>(workflowId: string | undefined, fn: () => Promise<T>): Promise<T> {
		try {
			return await fn();
		} catch (e) {
			const counts = workflowId
				? await allExecutions(t.api, workflowId).then(countByStatus, (err: Error) => err.message)
				: 'n/a';
			throw new Error(
				`${(e as Error).message}\nexecutions: ${JSON.stringify(counts)}\n${t.logs(20)}`,
			);
		}
	}

	const deploy = (shape: Shape): Promise<string> => deployShape(t, shape);

	/** Starts one execution per body and waits until `jobs` new jobs exist and every execution waits. */
	async function park(
		shape: Shape,
		workflowId: string,
		bodies: object[],
		jobs = bodies.length,
	): Promise<SimJob[]> {
		const before = new Set(t.sim.jobs.keys());
		t.sim.plan(HELD_QUIET, jobs);
		const started = await runPool(bodies, CONCURRENCY, (body) =>
			client.post(`${t.webhookBase}/webhook/${shape.path}`, body),
		);
		expect(statusHistogram(started)).toEqual({ 200: bodies.length });
		await waitForExecutions(t.api, workflowId, (c) => (c.waiting ?? 0) >= bodies.length, {
			timeoutMs: PHASE_MS,
			intervalMs: 1000,
			status: 'waiting',
		});
		const created = [...t.sim.jobs.values()].filter((job) => !before.has(job.id));
		expect(created).toHaveLength(bodies.length);
		return created;
	}

	async function finished(workflowId: string, count: number): Promise<Execution[]> {
		const list = await waitForExecutions(
			t.api,
			workflowId,
			(_c, all) => all.length >= count && all.every((e) => FINISHED.includes(e.status)),
			{ timeoutMs: PHASE_MS, intervalMs: 1000 },
		);
		return Promise.all(list.map((entry) => t.api.getExecution(entry.id, true)));
	}

	async function statusesOf(jobs: SimJob[]): Promise<string[]> {
		const states = await Promise.all(
			jobs.map((job) => t.api.getExecution(executionIdOf(job.webhook ?? ''), false)),
		);
		return states.map((state) => state.status);
	}

	const post = (url: string, body: object) => client.post(url, body, { timeoutMs: 120_000 });

	/** Every output item of every node, as text: what a user forwards to Slack, sheets or a database. */
	const outputsOf = (execution: Execution): string =>
		JSON.stringify(execution.data?.resultData.runData ?? {});

	/**
	 * A URL secret parameter with its value still in place; redacted ones read `signature=***` and
	 * are what users should see (the URL stays recognisable, its secrets do not).
	 */
	const UNREDACTED_SECRET = /[?&](?:signature|mlmac|token)=(?!\*\*\*)/;

	/** Whether a text holds any of the given secret values or an unredacted secret parameter. */
	const holdsSecret = (text: string, values: string[]): boolean =>
		UNREDACTED_SECRET.test(text) || values.some((value) => text.includes(value));

	/** The n8n signature and the package's own secrets of a callback URL: none may show up in an output. */
	function secretsOf(url: string): string[] {
		const query = new URL(url).searchParams;
		return ['signature', 'mlmac'].flatMap((name) => query.get(name) ?? []);
	}

	/** Each kind's distinct answers (digits folded), with counts, for the figures. */
	const answerExamples = (results: Array<{ kind: string; res: PostResult }>) => {
		const out: Record<string, Record<string, number>> = {};
		for (const { kind, res } of results) {
			const shape = `${res.status} ${res.body.slice(0, 200).replace(/\d+/g, '#')}`;
			out[kind] ??= {};
			out[kind][shape] = (out[kind][shape] ?? 0) + 1;
		}
		return out;
	};

	/** Where in an execution's output each needle shows up (JSON paths), for the figures. */
	function pathsHolding(value: unknown, needles: string[], at = '$'): string[] {
		if (typeof value === 'string')
			return needles.some((needle) => value.includes(needle)) ? [at] : [];
		if (Array.isArray(value))
			return value.flatMap((entry, i) => pathsHolding(entry, needles, `${at}[${i}]`));
		if (value && typeof value === 'object')
			return Object.entries(value).flatMap(([key, entry]) =>
				pathsHolding(entry, needles, `${at}.${key}`),
			);
		return [];
	}

	const histogram = (results: Array<{ kind: string; res: PostResult }>) => {
		const out: Record<string, Record<string, number>> = {};
		for (const { kind, res } of results) {
			out[kind] ??= {};
			out[kind][String(res.status)] = (out[kind][String(res.status)] ?? 0) + 1;
		}
		return out;
	};

	test(`forged callbacks to ${EXECUTIONS} waiting executions' own URLs: none resumes, each execution ends with its own result`, async () => {
		const shape = modelsLabCallbackWorkflow(t.credential, { name: 'hardening forged' });
		const workflowId = await deploy(shape);
		await explain(workflowId, async () => {
			const prompts = Array.from({ length: EXECUTIONS }, (_, i) => ({ prompt: `forged ${i}` }));
			const jobs = await park(shape, workflowId, prompts);
			// The jobs still run at ModelsLab while the forgeries arrive: nothing else may end the wait.
			// The URL is the execution's own (authenticated); the body lies about the job. (A body
			// without track_id is not among them: some endpoints never echo it, and on its own
			// authenticated URL with its own job id it is the job's callback.)
			const forgeries = jobs.flatMap((job, i) => {
				const other = jobs[(i + 1) % jobs.length];
				const own = successBody(job);
				const url = job.webhook ?? '';
				const shots: Array<{ kind: string; url: string; body: JsonObject }> = [
					{
						kind: 'its job id, another track_id',
						url,
						body: { ...own, track_id: `forged-${i}`, output: [EVIL_OUTPUT] },
					},
					{
						kind: "another execution's job id, its track_id",
						url,
						body: { ...successBody(other), track_id: job.trackId ?? null, output: [EVIL_OUTPUT] },
					},
					{
						kind: 'its job id, another track_id, status failed',
						url,
						body: { status: 'failed', id: own.id, track_id: `forged-${i}`, message: 'forged' },
					},
				];
				return shots;
			});
			const t0 = Date.now();
			const shot = await runPool(forgeries, CONCURRENCY, async (f) => ({
				kind: f.kind,
				res: await post(f.url, f.body),
			}));
			const statusesAfterForgeries = await statusesOf(jobs);
			const real = await runPool(jobs, CONCURRENCY, async (job) => {
				await finishQuietly(t.sim, job);
				return await post(job.webhook ?? '', successBody(job));
			});
			const executions = await finished(workflowId, EXECUTIONS);
			const wrong = executions.flatMap((execution) => {
				const [item] = nodeOutput(execution, ACTION);
				const job = jobs.find((entry) => entry.id === String(item?.json.id));
				return execution.status === 'success' &&
					job &&
					JSON.stringify(item.json.output) === JSON.stringify(job.output)
					? []
					: [`${execution.id}: ${execution.status} ${JSON.stringify(item?.json ?? null)}`];
			});
			const evilInOutputs = executions.filter((e) => outputsOf(e).includes(EVIL_OUTPUT)).length;
			figures.record(`forged callbacks: ${forgeries.length} to ${EXECUTIONS} waiting executions`, {
				answersByKind: histogram(shot),
				answerExamples: answerExamples(shot),
				acceptedAsResult: shot.filter((s) => s.res.body.includes('"resumed":true')).length,
				stillWaitingAfterForgeries: `${statusesAfterForgeries.filter((s) => s === 'waiting').length}/${EXECUTIONS}`,
				realCallbacks: statusHistogram(real),
				realAnswers: answerExamples(real.map((res) => ({ kind: 'real', res }))),
				successWithOwnResult: EXECUTIONS - wrong.length,
				forgedOutputInAnyExecution: evilInOutputs,
				seconds: secs(Date.now() - t0),
			});
			expect(statusesAfterForgeries.every((s) => s === 'waiting')).toBe(true);
			// Foreign bodies get a 2xx (so ModelsLab does not retry) that says they were not taken.
			expect(
				shot.every((s) => s.res.status === 200 && s.res.body.includes('"accepted":false')),
			).toBe(true);
			// Each real callback resumes its execution (or finds it resumed by the node's own look at
			// the job it just saw finish: n8n then answers 409).
			expect(real.every((r) => r.status === 200 || r.status === 409)).toBe(true);
			expect(wrong).toEqual([]);
			expect(evilInOutputs).toBe(0);
		});
	});

	test(`a resume URL leaked from a node run's output or log is worth nothing for the next run (${EXECUTIONS} executions, loop of 2)`, async () => {
		const shape = modelsLabLoopWorkflow(t.credential, { name: 'hardening leaked url' });
		const workflowId = await deploy(shape);
		await explain(workflowId, async () => {
			const bodies = Array.from({ length: EXECUTIONS }, (_, i) => ({
				items: [{ prompt: `leak ${i} a` }, { prompt: `leak ${i} b` }],
			}));
			// Round 1: one job per execution; its real callback moves the loop to round 2.
			const firstRound = await park(shape, workflowId, bodies, EXECUTIONS * 2);
			const before = new Set(t.sim.jobs.keys());
			for (const job of firstRound) await finishQuietly(t.sim, job);
			const resumed = await runPool(firstRound, CONCURRENCY, (job) =>
				post(job.webhook ?? '', successBody(job)),
			);
			expect(resumed.every((r) => r.status === 200)).toBe(true);
			const secondRound = await eventuallyJobs(before, EXECUTIONS);
			await waitForExecutions(t.api, workflowId, (c) => (c.waiting ?? 0) >= EXECUTIONS, {
				timeoutMs: PHASE_MS,
				intervalMs: 1000,
				status: 'waiting',
			});
			const nextOf = new Map(
				secondRound.map((job) => [executionIdOf(job.webhook ?? ''), job] as const),
			);
			// What round 1 left in the execution (its output is what users forward): no secret of either URL.
			const parked = await Promise.all(
				firstRound.map((job) => t.api.getExecution(executionIdOf(job.webhook ?? ''), true)),
			);
			const leaksInRoundOneOutput = parked.filter((execution, i) => {
				const text = outputsOf(execution);
				return holdsSecret(text, secretsOf(firstRound[i].webhook ?? ''));
			}).length;
			const sameSignatureBothRounds = firstRound.filter((job) => {
				const next = nextOf.get(executionIdOf(job.webhook ?? ''));
				const signature = new URL(job.webhook ?? '').searchParams.get('signature');
				return (
					signature !== null &&
					signature === new URL(next?.webhook ?? '').searchParams.get('signature')
				);
			}).length;

			const withQuery = (url: string, edit: (query: URLSearchParams) => void): string => {
				const parsed = new URL(url);
				edit(parsed.searchParams);
				return parsed.toString();
			};
			// The attacker holds round 1's URL and sends round 2's job with a result of their own.
			const leaked = firstRound.flatMap((job) => {
				const next = nextOf.get(executionIdOf(job.webhook ?? '')) as SimJob;
				const nextUrl = new URL(next.webhook ?? '');
				const body = { ...successBody(next), output: [EVIL_OUTPUT] };
				const old = job.webhook ?? '';
				return [
					{ kind: "round 1's URL as it was", url: old, body },
					{
						kind: "round 1's URL with round 2's run and item, round 1's MAC",
						url: withQuery(old, (q) => {
							q.set('mlrun', nextUrl.searchParams.get('mlrun') ?? '');
							q.set('mlitem', nextUrl.searchParams.get('mlitem') ?? '');
						}),
						body,
					},
					{
						kind: "n8n's signature alone (the package's parameters removed)",
						url: withQuery(old, (q) => ['mlrun', 'mlitem', 'mlmac'].forEach((p) => q.delete(p))),
						body,
					},
					{ kind: "round 1's URL, round 1's own body again", url: old, body: successBody(job) },
				];
			});
			const t0 = Date.now();
			const shot = await runPool(leaked, CONCURRENCY, async (f) => ({
				kind: f.kind,
				res: await post(f.url, f.body),
			}));
			const statusesAfterLeaks = await statusesOf(secondRound);
			for (const job of secondRound) await finishQuietly(t.sim, job);
			const real = await runPool(secondRound, CONCURRENCY, (job) =>
				post(job.webhook ?? '', successBody(job)),
			);
			const executions = await finished(workflowId, EXECUTIONS);
			const wrong = executions.flatMap((execution) => {
				const results = nodeOutput(execution, LAST).map((item) => String(item.json.id));
				const expected = [...firstRound, ...secondRound]
					.filter((job) => executionIdOf(job.webhook ?? '') === execution.id)
					.map((job) => job.id)
					.sort();
				return execution.status === 'success' &&
					runCount(execution, ACTION) === 2 &&
					JSON.stringify([...results].sort()) === JSON.stringify(expected)
					? []
					: [
							`${execution.id}: ${execution.status} ${JSON.stringify(results)} (expected ${expected})`,
						];
			});
			const secretsInFinalOutputs = executions.filter((execution) => {
				const own = [...firstRound, ...secondRound]
					.filter((job) => executionIdOf(job.webhook ?? '') === execution.id)
					.flatMap((job) => secretsOf(job.webhook ?? ''));
				return holdsSecret(outputsOf(execution), [...own, EVIL_OUTPUT]);
			}).length;
			figures.record(
				`leaked resume URLs: ${leaked.length} callbacks with round 1's URL at round 2's park`,
				{
					roundOneOutputsHoldingASecret: leaksInRoundOneOutput,
					whereInRoundOneOutput: pathsHolding(parked[0]?.data?.resultData.runData, [
						...secretsOf(firstRound[0]?.webhook ?? ''),
					]),
					n8nSignatureIdenticalForBothRounds: `${sameSignatureBothRounds}/${EXECUTIONS}`,
					answersByKind: histogram(shot),
					acceptedAsResult: shot.filter((s) => s.res.body.includes('"resumed":true')).length,
					stillWaitingAfterLeakedUrls: `${statusesAfterLeaks.filter((s) => s === 'waiting').length}/${EXECUTIONS}`,
					realCallbacks: statusHistogram(real),
					successWithBothOwnResults: EXECUTIONS - wrong.length,
					finalOutputsWithASecretOrTheForgedUrl: secretsInFinalOutputs,
					seconds: secs(Date.now() - t0),
				},
			);
			expect(leaksInRoundOneOutput).toBe(0);
			expect(statusesAfterLeaks.every((s) => s === 'waiting')).toBe(true);
			expect(shot.some((s) => s.res.body.includes('"resumed":true'))).toBe(false);
			expect(shot.every((s) => s.res.status === 401 || s.res.status === 200)).toBe(true);
			expect(real.every((r) => r.status === 200 && r.body.includes('"resumed":true'))).toBe(true);
			expect(wrong).toEqual([]);
			expect(secretsInFinalOutputs).toBe(0);
		});
	});

	test(`output files of 64 MiB against a ${CAP_MB} MB cap: action node and trigger stop reading at the cap`, async () => {
		const options = { downloadOutputs: true, maxDownloadSizeMb: CAP_MB };
		const action = modelsLabCallbackWorkflow(t.credential, { name: 'hardening download', options });
		const actionId = await deploy(action);
		const trigger = triggerWorkflow({
			trackId: '',
			name: 'hardening trigger download',
			options,
			credential: localHosts,
		});
		const triggerId = await deploy(trigger);
		await explain(actionId, async () => {
			const count = Math.max(2, Math.floor(EXECUTIONS / 2));
			const prompts = Array.from({ length: count }, (_, i) => ({ prompt: `big ${i}` }));
			const jobs = await park(action, actionId, prompts);
			for (const job of jobs) await finishQuietly(t.sim, job);
			const kindOf = (i: number) => (i % 2 === 0 ? 'endless' : 'declared');
			const servedBefore = files.requests().length;
			const t0 = Date.now();
			// Authenticated callbacks (each job's own URL) whose output is far over the cap.
			const real = await runPool(jobs, CONCURRENCY, (job, i) =>
				post(job.webhook ?? '', {
					...successBody(job),
					output: [files.url(kindOf(i), `${job.id}.png`)],
				}),
			);
			const executions = await finished(actionId, count);
			// The trigger, trusting 127.0.0.1 through the credential's Output Hosts: same files.
			const triggerShots = await runPool(
				Array.from({ length: count }, (_, i) => i),
				CONCURRENCY,
				(i) =>
					post(`${t.webhookBase}/webhook/${trigger.path}`, {
						status: 'success',
						id: 88_000_000 + i,
						track_id: `big-${i}`,
						output: [files.url(kindOf(i), `trigger-${i}.png`)],
					}),
			);
			const started = await finished(triggerId, count);
			await sleep(1000);
			const served = files.requests().slice(servedBefore);
			const mib = (bytes: number) => fmt(bytes / 1_048_576, 2);
			const actionErrors = executions.map((e) => e.data?.resultData.error?.message ?? '');
			const triggerErrors = started.map((e) =>
				String(nodeOutput(e, 'ModelsLab Trigger')[0]?.json.download_error ?? ''),
			);
			const capMessage = 'larger than the download limit of 1.0 MB';
			figures.record(
				`downloads over the cap: ${served.length} files of ${mib(files.fileBytes)} MiB, cap ${CAP_MB} MB`,
				{
					realCallbacks: statusHistogram(real),
					actionExecutions: countByStatus(executions),
					actionErrorsNamingTheCap: actionErrors.filter((m) => m.includes(capMessage)).length,
					actionErrorExample: actionErrors[0],
					triggerCallbacks: statusHistogram(triggerShots),
					triggerExecutions: countByStatus(started),
					triggerItemsWithDownloadErrorNamingTheCap: triggerErrors.filter((m) =>
						m.includes(capMessage),
					).length,
					requestsServed: served.length,
					abortedByN8n: served.filter((r) => r.abortedByClient).length,
					connectionsStillOpenAfter1s: await files.openConnections(),
					mibWrittenPerRequest: {
						endless: summarizeMib(served.filter((r) => r.kind === 'endless')),
						declared: summarizeMib(served.filter((r) => r.kind === 'declared')),
					},
					mibOffered: mib(files.fileBytes * served.length),
					mibWritten: mib(served.reduce((sum, r) => sum + r.bytesWritten, 0)),
					seconds: secs(Date.now() - t0),
				},
			);
			expect(real.every((r) => r.status === 200)).toBe(true);
			expect(executions.every((e) => e.status === 'error')).toBe(true);
			expect(
				actionErrors.every((m) => m.includes(capMessage) && m.includes('Max Download Size (MB)')),
			).toBe(true);
			expect(triggerErrors.every((m) => m.includes(capMessage))).toBe(true);
			expect(served).toHaveLength(count * 2);
			expect(served.every((r) => r.abortedByClient)).toBe(true);
			// Socket buffers let a few MiB through after the cap; never the 64 MiB file.
			expect(Math.max(...served.map((r) => r.bytesWritten))).toBeLessThan(16 * 1_048_576);
		});
	});

	test('a forged trigger callback naming an internal URL: nothing fetched from it (with a control that would fetch)', async () => {
		const guarded = triggerWorkflow({
			trackId: '',
			name: 'hardening ssrf',
			options: { downloadOutputs: true },
		});
		const guardedId = await deploy(guarded);
		// Control: a credential whose Output Hosts include 127.0.0.1.
		const control = triggerWorkflow({
			trackId: '',
			name: 'hardening ssrf control',
			options: { downloadOutputs: true },
			credential: localHosts,
		});
		const controlId = await deploy(control);
		await explain(guardedId, async () => {
			const forged = Array.from({ length: EXECUTIONS * 2 }, (_, i) => i);
			const servedBefore = files.requests().length;
			const t0 = Date.now();
			const answers = await runPool(forged, CONCURRENCY, (i) =>
				post(`${t.webhookBase}/webhook/${guarded.path}`, {
					status: 'success',
					id: 77_000_000 + i,
					track_id: `ssrf-${i}`,
					output: [files.url('internal', `admin-${i}.png`)],
				}),
			);
			const executions = await finished(guardedId, forged.length);
			const internalHits = files
				.requests()
				.slice(servedBefore)
				.filter((r) => r.kind === 'internal').length;
			const controlAnswer = await post(`${t.webhookBase}/webhook/${control.path}`, {
				status: 'success',
				id: 77_999_999,
				track_id: 'ssrf-control',
				output: [files.url('internal', 'control.png')],
			});
			const [controlExecution] = await finished(controlId, 1);
			const controlHits =
				files
					.requests()
					.slice(servedBefore)
					.filter((r) => r.kind === 'internal').length - internalHits;
			const errors = executions.map((e) =>
				String(nodeOutput(e, 'ModelsLab Trigger')[0]?.json.download_error ?? ''),
			);
			const refusal = "is not on one of ModelsLab's output hosts";
			figures.record(`SSRF: ${forged.length} forged trigger callbacks naming an internal URL`, {
				callbacks: statusHistogram(answers),
				executions: countByStatus(executions),
				itemsWithDownloadErrorNamingTheHosts: errors.filter((m) => m.includes(refusal)).length,
				errorExample: errors[0],
				requestsToTheInternalUrl: internalHits,
				controlWith127001Allowed: {
					answer: controlAnswer.status,
					requestsToTheInternalUrl: controlHits,
					binary: Object.keys(nodeOutput(controlExecution, 'ModelsLab Trigger')[0]?.binary ?? {}),
				},
				seconds: secs(Date.now() - t0),
			});
			expect(internalHits).toBe(0);
			expect(errors.every((m) => m.includes(refusal) && m.includes('Output Hosts'))).toBe(true);
			expect(controlHits).toBe(1);
		});
	});

	test(`issue 23: ${EXECUTIONS * 2} open redirects to another host, ${EXECUTIONS} verified forgeries naming other jobs, ${EXECUTIONS} successes ahead of the fetch endpoint`, async () => {
		const [allowedHost, internalHost] = await Promise.all([
			startFileHost('127.0.0.1'),
			startFileHost('127.0.0.2'),
		]);
		const redirecting = triggerWorkflow({
			trackId: '',
			name: 'hardening open redirect',
			options: { downloadOutputs: true },
			credential: localHosts,
		});
		const verified = (name: string, trackId: string) =>
			triggerWorkflow({
				trackId,
				name,
				options: { verifyWithModelsLab: true },
				credential: withMeta,
			});
		const ours = verified('hardening verified customer 42', 'customer-42');
		const theirs = verified('hardening verified customer 7', 'customer-7');
		const late = verified('hardening early success', 'late-*');
		const [redirectingId, oursId, theirsId, lateId] = [
			await deploy(redirecting),
			await deploy(ours),
			await deploy(theirs),
			await deploy(late),
		];
		const triggerUrl = (shape: Shape) => `${t.webhookBase}/webhook/${shape.path}`;
		/** Another system of the user submits the job; the simulator calls the trigger back. */
		const submit = async (trackId: string, webhook: string): Promise<string> => {
			const answer = await client.post(`${t.sim.baseUrl}/v6/images/text2img`, {
				key: t.sim.apiKey,
				model_id: 'flux',
				prompt: `hardening ${trackId}`,
				width: 512,
				height: 512,
				samples: 1,
				track_id: trackId,
				webhook,
			});
			return String((JSON.parse(answer.body) as JsonObject).id);
		};
		const answered = (ids: string[]) => async () => {
			const until = Date.now() + PHASE_MS;
			while (
				!ids.every((id) => t.sim.callbacks.some((c) => c.jobId === id && c.status !== undefined))
			) {
				if (Date.now() > until) throw new Error(`callbacks of ${ids.length} jobs not all answered`);
				await sleep(250);
			}
		};
		await explain(oursId, async () => {
			try {
				const t0 = Date.now();
				// 1. Open redirects on a host the Output Hosts allow, to one they do not.
				const redirects = await runPool(
					Array.from({ length: EXECUTIONS * 2 }, (_, i) => i),
					CONCURRENCY,
					(i) =>
						post(triggerUrl(redirecting), {
							status: 'success',
							id: 23_000_000 + i,
							track_id: `redirect-${i}`,
							output: [allowedHost.redirectTo(internalHost.url(`/file/internal-${i}.png`))],
						}),
				);
				const redirectExecutions = await finished(redirectingId, EXECUTIONS * 2);
				const redirectErrors = redirectExecutions.map((e) =>
					String(nodeOutput(e, 'ModelsLab Trigger')[0]?.json.download_error ?? ''),
				);
				const redirectSeconds = secs(Date.now() - t0);

				// 2. Genuine jobs of two customers, then forgeries: customer 7's job ids under customer 42's track id.
				const t1 = Date.now();
				const theirJobs = await runPool(
					Array.from({ length: EXECUTIONS }, (_, i) => i),
					CONCURRENCY,
					() => submit('customer-7', triggerUrl(theirs)),
				);
				const ourJobs = await runPool(
					Array.from({ length: EXECUTIONS }, (_, i) => i),
					CONCURRENCY,
					() => submit('customer-42', triggerUrl(ours)),
				);
				await answered([...theirJobs, ...ourJobs])();
				const forgeries = await runPool(theirJobs, CONCURRENCY, (id) =>
					post(triggerUrl(ours), {
						status: 'success',
						id: Number(id),
						track_id: 'customer-42',
						output: [EVIL_OUTPUT],
					}),
				);
				const ourExecutions = await finished(oursId, EXECUTIONS);
				const theirExecutions = await finished(theirsId, EXECUTIONS);
				await sleep(2000);
				const ourIds = (await allExecutions(t.api, oursId)).length;
				const startedFor = (executions: Execution[]) =>
					executions.map((e) => String(nodeOutput(e, 'ModelsLab Trigger')[0]?.json.id)).sort();
				const forgerySeconds = secs(Date.now() - t1);

				// 3. Success callbacks 4 s ahead of what the fetch endpoint shows.
				const t2 = Date.now();
				t.sim.plan({ fetchLagMs: 4_000 }, EXECUTIONS);
				const lateJobs = await runPool(
					Array.from({ length: EXECUTIONS }, (_, i) => i),
					CONCURRENCY,
					(i) => submit(`late-${i}`, triggerUrl(late)),
				);
				await answered(lateJobs)();
				const lateCallbacks = t.sim.callbacks.filter((c) => lateJobs.includes(c.jobId));
				const lateExecutions = await finished(lateId, EXECUTIONS);
				const lateSeconds = secs(Date.now() - t2);

				figures.record('issue 23: open redirects, verified forgeries, early successes', {
					openRedirects: {
						callbacks: statusHistogram(redirects),
						executions: countByStatus(redirectExecutions),
						itemsNamingTheRefusedHop: redirectErrors.filter((m) =>
							m.includes("which is not one of ModelsLab's output hosts"),
						).length,
						errorExample: redirectErrors[0],
						requestsToTheOtherHost: internalHost.requests.length,
						seconds: redirectSeconds,
					},
					verifiedForgeries: {
						forgeries: statusHistogram(forgeries),
						answers: answerExamples(forgeries.map((res) => ({ kind: 'forged', res }))),
						executionsOfTheAttackedTrigger: ourIds,
						startedForItsOwnJobs:
							startedFor(ourExecutions).join(',') === [...ourJobs].sort().join(','),
						executionsOfTheOtherTrigger: theirExecutions.length,
						forgedOutputInAnyExecution: [...ourExecutions, ...theirExecutions].filter((e) =>
							outputsOf(e).includes(EVIL_OUTPUT),
						).length,
						seconds: forgerySeconds,
					},
					earlySuccesses: {
						callbacks: statusHistogram(
							lateCallbacks.map((c) => ({ status: c.status ?? 0 }) as PostResult),
						),
						executions: countByStatus(lateExecutions),
						withSuccess: lateExecutions.filter(
							(e) => nodeOutput(e, 'ModelsLab Trigger')[0]?.json.status === 'success',
						).length,
						seconds: lateSeconds,
					},
				});
				expect(internalHost.requests).toEqual([]);
				expect(redirectErrors.every((m) => m.includes('redirects to 127.0.0.2'))).toBe(true);
				expect(statusHistogram(forgeries)).toEqual({ 200: EXECUTIONS });
				expect(forgeries.every((f) => f.body.includes('"reason":"foreign"'))).toBe(true);
				expect(ourIds).toBe(EXECUTIONS);
				expect(startedFor(ourExecutions)).toEqual([...ourJobs].sort());
				expect(startedFor(theirExecutions)).toEqual([...theirJobs].sort());
				expect(lateCallbacks.every((c) => c.status === 200)).toBe(true);
				expect(lateExecutions).toHaveLength(EXECUTIONS);
				expect(startedFor(lateExecutions)).toEqual([...lateJobs].sort());
			} finally {
				await Promise.all([allowedHost.close(), internalHost.close()]);
			}
		});
	});

	test('Track ID patterns built to backtrack: refused at activation; safe patterns stay fast on hostile track ids', async () => {
		const catastrophic = ['/^(a+)+$/', '/^(a|aa)*b$/', '/^(\\d+)*x$/', '/^(x)\\1$/'];
		const refusals: Array<{
			pattern: string;
			activationError: string;
			ms: number;
			callbackAnswer: number;
			executions: number;
		}> = [];
		for (const pattern of catastrophic) {
			const shape = triggerWorkflow({ trackId: pattern, name: 'hardening redos refused' });
			const workflow = await t.api.createWorkflow(shape.input);
			const t0 = Date.now();
			// The refusal is the publish request's error or, where n8n publishes first and activates
			// after, the activation error the editor shows; either way the path takes no callbacks.
			let activationError = await t.activate(workflow.id, []).then(
				() => '',
				(error: Error) => error.message,
			);
			for (
				const until = Date.now() + 10_000;
				!activationError && Date.now() < until;
				await sleep(250)
			)
				activationError = (await t.api.activationError(workflow.id)) ?? '';
			const ms = Date.now() - t0;
			const answer = await post(`${t.webhookBase}/webhook/${shape.path}`, {
				status: 'success',
				id: 55_000_000 + refusals.length,
				track_id: 'a'.repeat(29),
				output: [],
			});
			await sleep(1000);
			const executions = (await allExecutions(t.api, workflow.id)).length;
			refusals.push({ pattern, activationError, ms, callbackAnswer: answer.status, executions });
		}
		// Safe patterns: a regular expression and a wildcard that a naive matcher takes exponential time on.
		const safe = triggerWorkflow({
			trackId: '/^order-\\d+$/, *a*a*a*a*a*a*b',
			name: 'hardening redos safe',
		});
		const safeId = await deploy(safe);
		await explain(safeId, async () => {
			const url = `${t.webhookBase}/webhook/${safe.path}`;
			const callback = (i: number, trackId: string) => ({
				status: 'success',
				id: 66_000_000 + i,
				track_id: trackId,
				output: [],
			});
			const rounds = 100;
			const ordinary = await runPool(
				Array.from({ length: rounds }, (_, i) => i),
				CONCURRENCY,
				(i) => post(url, callback(i, `job-${i}`)),
			);
			const hostileIds = [
				'a'.repeat(29) + '!',
				`order-${'1'.repeat(50_000)}x`,
				'a'.repeat(50_000),
				`${'a'.repeat(25_000)}${'b'.repeat(25_000)}c`,
			];
			const hostile = await runPool(
				Array.from({ length: rounds }, (_, i) => i),
				CONCURRENCY,
				(i) => post(url, callback(rounds + i, hostileIds[i % hostileIds.length])),
			);
			const matching = await post(url, callback(rounds * 2, 'order-42'));
			const executions = await finished(safeId, 1);
			await sleep(2000);
			const after = await allExecutions(t.api, safeId);
			const ordinaryMs = summarize(ordinary.map((r) => r.ms));
			const hostileMs = summarize(hostile.map((r) => r.ms));
			figures.record('ReDoS: refused patterns and hostile track ids', {
				refusedAtActivation: refusals.map((r) => ({
					...r,
					activationError: r.activationError.slice(0, 300),
				})),
				safeFilter: '/^order-\\d+$/, *a*a*a*a*a*a*b',
				ordinaryTrackIds: {
					answers: statusHistogram(ordinary),
					medianMs: fmt(ordinaryMs.median),
					p95Ms: fmt(ordinaryMs.p95),
				},
				hostileTrackIds: {
					shapes: hostileIds.map((id) => `${id.slice(0, 12)}… (${id.length} chars)`),
					answers: statusHistogram(hostile),
					medianMs: fmt(hostileMs.median),
					p95Ms: fmt(hostileMs.p95),
				},
				hostileToOrdinaryMedianRatio: fmt(hostileMs.median / ordinaryMs.median, 2),
				matchingCallback: matching.status,
				executionsStarted: after.length,
			});
			for (const refusal of refusals) {
				// Where n8n keeps the activation error (2.41 in queue mode may report none), it names the
				// field; either way the path never took the callback.
				if (refusal.activationError) {
					expect(refusal.activationError).toContain('could take very long');
					expect(refusal.activationError).toContain('Track ID');
				}
				expect(refusal.callbackAnswer).toBe(404);
				expect(refusal.executions).toBe(0);
			}
			expect(statusHistogram(ordinary)).toEqual({ 200: rounds });
			expect(statusHistogram(hostile)).toEqual({ 200: rounds });
			// Only the matching callback started an execution.
			expect(executions).toHaveLength(1);
			expect(after).toHaveLength(1);
		});
	});

	/** The jobs created since `before`, once there are `count` of them. */
	async function eventuallyJobs(before: ReadonlySet<string>, count: number): Promise<SimJob[]> {
		const until = Date.now() + PHASE_MS;
		for (;;) {
			const created = [...t.sim.jobs.values()].filter((job) => !before.has(job.id));
			if (created.length >= count) return created;
			if (Date.now() > until)
				throw new Error(`only ${created.length} of ${count} round-2 jobs were submitted`);
			await sleep(500);
		}
	}
});

function summarizeMib(requests: Array<{ bytesWritten: number }>) {
	const s = summarize(requests.map((r) => r.bytesWritten / 1_048_576));
	return { n: s.n, median: fmt(s.median, 2), max: fmt(s.max, 2) };
}
