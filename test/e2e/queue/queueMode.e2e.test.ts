// The package in n8n 2.x queue mode (main + webhook processor + 2 workers, Redis, PostgreSQL,
// binary data in the database): callbacks reach the webhook processor, resumes run on workers.
// Opt-in (it installs Redis/PostgreSQL with apt-get when missing): `npm run test:e2e:queue`, which
// also runs the rest of the e2e suite in queue mode (support/lines.ts e2eDeployment).
import type { Execution } from '../../../scripts/n8n';
import type { SimJob } from '../../simulator';
import { executionIdOf, HELD_QUIET, successBody, triggerBody } from '../scale/callbacks';
import { startCounter, type Counter } from '../scale/counter';
import { allExecutions, countByStatus, waitForExecutions } from '../scale/executions';
import { loadClient, runPool, type LoadClient } from '../scale/loadgen';
import { startTarget, type Target, deploy as deployShape } from '../scale/target';
import {
	ACTION,
	LAST,
	modelsLabCallbackWorkflow,
	triggerWorkflow,
	type Shape,
} from '../scale/workflows';
import { FINISHED, newJobs, nodeOutput, runCount } from '../support/executions';
import { e2eDeployment } from '../support/lines';

const suite = e2eDeployment() === 'queue' ? describe : describe.skip;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

suite('n8n 2.x queue mode', () => {
	let t: Target;
	let counter: Counter;
	let client: LoadClient;

	beforeAll(async () => {
		counter = await startCounter();
		client = loadClient(20);
		t = await startTarget('queue');
		process.stderr.write(
			`queue e2e: ${t.describe()}; main ${t.baseUrl}, webhook processor ${t.webhookBase}\n`,
		);
	});

	afterAll(async () => {
		await client?.close();
		await counter?.close();
		await t?.stop();
	});

	/** On failure: the executions involved and every process's log tail. */
	async function explain<T>(ids: string[], fn: () => Promise<T>): Promise<T> {
		try {
			return await fn();
		} catch (e) {
			const states = await Promise.all(
				ids.map((id) =>
					t.api.getExecution(id, true).then(
						(x) => `${id}: ${x.status}`,
						(err: Error) => `${id}: ${err.message}`,
					),
				),
			);
			throw new Error(`${(e as Error).message}\nexecutions: ${states.join(', ')}\n${t.logs(15)}`);
		}
	}

	const deploy = (shape: Shape): Promise<string> => deployShape(t, shape);

	async function start(shape: Shape, body: object): Promise<void> {
		const res = await client.post(`${t.webhookBase}/webhook/${shape.path}`, body);
		expect(res.status).toBe(200);
	}

	function finished(id: string, timeoutMs = 60_000): Promise<Execution> {
		return t.api.waitForExecution(id, FINISHED, { timeoutMs });
	}

	test('park → callback through the webhook processor → resume on a worker', async () => {
		const shape = modelsLabCallbackWorkflow(t.credential, { counterUrl: counter.url });
		await deploy(shape);
		const before = new Set(t.sim.jobs.keys());
		t.sim.plan({ hold: true, eta: 60 });
		await start(shape, { prompt: 'a lighthouse' });
		const [job] = await newJobs(t.sim, before, 1, 60_000);
		const executionId = executionIdOf(job.webhook ?? '');
		await explain([executionId], async () => {
			// Resume URLs are built from WEBHOOK_URL: the webhook processor, signed, with the run's MAC.
			expect(job.webhook).toMatch(
				new RegExp(
					`^${t.webhookBase}/webhook-waiting/${executionId}/${shape.waitNodeId}\\?signature=[0-9a-f]{64}&mlrun=[0-9a-f]{16}&mlitem=0&mlmac=[A-Za-z0-9_-]{22}$`,
				),
			);
			await t.api.waitForExecution(executionId, 'waiting', { timeoutMs: 60_000 });

			await t.sim.completeJob(job.id);
			const delivered = t.sim.callbacks.filter((c) => c.jobId === job.id);
			expect(delivered.map((c) => c.status)).toEqual([200]);

			const done = await finished(executionId);
			expect(done.status).toBe('success');
			expect(nodeOutput(done, ACTION)[0].json).toMatchObject({ status: 'success', id: job.id });
			expect(runCount(done, LAST)).toBe(1);
			expect(counter.hits.get(job.id)?.length).toBe(1);
			// The webhook processor queued the start and the resume; workers ran both.
			const logs = t.processLogs();
			expect(
				logs.webhook.match(new RegExp(`Enqueued execution ${executionId} \\(`, 'g'))?.length,
			).toBe(2);
			const onWorkers = Object.entries(logs)
				.filter(([name]) => name.startsWith('worker-'))
				.reduce(
					(n, [, text]) =>
						n +
						(text.match(new RegExp(`Worker started execution ${executionId} \\(`, 'g'))?.length ??
							0),
					0,
				);
			expect(onWorkers).toBe(2);
		});
	});

	test('download outputs: the binary lands in the database binary store and the resume still succeeds', async () => {
		const shape = modelsLabCallbackWorkflow(t.credential, { options: { downloadOutputs: true } });
		await deploy(shape);
		const before = new Set(t.sim.jobs.keys());
		t.sim.plan({ hold: true, eta: 60 });
		await start(shape, { prompt: 'a binary lighthouse' });
		const [job] = await newJobs(t.sim, before, 1, 60_000);
		const executionId = executionIdOf(job.webhook ?? '');
		await explain([executionId], async () => {
			await t.api.waitForExecution(executionId, 'waiting', { timeoutMs: 60_000 });
			await t.sim.completeJob(job.id);
			const done = await finished(executionId);
			expect(done.status).toBe('success');
			const item = nodeOutput(done, ACTION)[0];
			expect(item.json).toMatchObject({ id: job.id });
			const data = item.binary?.data;
			expect(data?.mimeType).toBe('image/png');
			// Database mode: a reference, not base64 in the execution data.
			expect(data?.id).toMatch(/^database:/);
		});
	});

	test('3 items, callbacks out of order: one resume, results in input order', async () => {
		const shape = modelsLabCallbackWorkflow(t.credential, {
			splitItems: true,
			counterUrl: counter.url,
		});
		await deploy(shape);
		const before = new Set(t.sim.jobs.keys());
		t.sim.plan({ hold: true, eta: 60 }, 3);
		await start(shape, { items: [{ prompt: 'first' }, { prompt: 'second' }, { prompt: 'third' }] });
		const jobs = await newJobs(t.sim, before, 3, 60_000);
		const executionId = executionIdOf(jobs[0].webhook ?? '');
		await explain([executionId], async () => {
			await t.api.waitForExecution(executionId, 'waiting', { timeoutMs: 60_000 });
			const byPrompt = (p: string) => jobs.find((j) => j.request.prompt === p) as SimJob;
			for (const p of ['third', 'first']) {
				await t.sim.completeJob(byPrompt(p).id);
				expect((await t.api.getExecution(executionId, false)).status).toBe('waiting');
			}
			await t.sim.completeJob(byPrompt('second').id);
			const done = await finished(executionId);
			expect(done.status).toBe('success');
			const out = nodeOutput(done, ACTION);
			expect(out.map((i) => i.json.id)).toEqual(
				['first', 'second', 'third'].map((p) => byPrompt(p).id),
			);
			expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(runCount(done, ACTION)).toBe(1);
			expect(runCount(done, LAST)).toBe(1);
			expect(
				t.sim.callbacks.filter((c) => jobs.some((j) => j.id === c.jobId)).map((c) => c.status),
			).toEqual([200, 200, 200]);
		});
	});

	test('trigger: Track ID filter and duplicates (concurrent and late) through the webhook processor', async () => {
		const shape = triggerWorkflow({ trackId: 'keep-*', counterUrl: counter.url });
		const workflowId = await deploy(shape);
		const url = `${t.webhookBase}/webhook/${shape.path}`;
		const ids = [810001, 810002, 810003];
		// Matching: three jobs, the first one delivered six times at once and once more later.
		const racing = await Promise.all(
			[ids[0], ids[0], ids[0], ids[0], ids[0], ids[0], ids[1], ids[2]].map((id) =>
				client.post(url, triggerBody(id, `keep-${id}`)),
			),
		);
		const ignored = await Promise.all(
			[820001, 820002, 820003].map((id) => client.post(url, triggerBody(id, `drop-${id}`))),
		);
		await sleep(1000);
		const late = await client.post(url, triggerBody(ids[0], `keep-${ids[0]}`));
		expect([...racing, ...ignored, late].map((r) => r.status).every((s) => s === 200)).toBe(true);
		expect(ignored.every((r) => r.body.includes('"reason":"track_id_filtered"'))).toBe(true);
		expect(late.body).toContain('duplicate');

		const list = await waitForExecutions(
			t.api,
			workflowId,
			(_counts, all) => all.length >= 3 && all.every((e) => FINISHED.includes(e.status)),
			{ timeoutMs: 60_000, intervalMs: 500 },
		);
		await sleep(2000); // a doubled start would show up by now
		const again = await allExecutions(t.api, workflowId);
		expect(countByStatus(again)).toEqual({ success: 3 });
		expect(list.length).toBe(3);
		for (const id of ids) expect(counter.hits.get(String(id))?.length).toBe(1);
		for (const id of [820001, 820002, 820003]) expect(counter.hits.has(String(id))).toBe(false);
	});

	test('every n8n process SIGKILLed while executions wait; after the restart the callbacks resume them all', async () => {
		const shape = modelsLabCallbackWorkflow(t.credential, { counterUrl: counter.url });
		const workflowId = await deploy(shape);
		const before = new Set(t.sim.jobs.keys());
		const n = 5;
		t.sim.plan(HELD_QUIET, n);
		await runPool(
			Array.from({ length: n }, (_, i) => i),
			5,
			(i) => start(shape, { prompt: `restart ${i}` }),
		);
		const jobs = await newJobs(t.sim, before, n, 60_000);
		const executionIds = jobs.map((j) => executionIdOf(j.webhook ?? ''));
		await explain(executionIds, async () => {
			for (const id of executionIds)
				await t.api.waitForExecution(id, 'waiting', { timeoutMs: 60_000 });

			await t.killAll('SIGKILL');
			await t.restartAll();
			process.stderr.write(`queue e2e: all n8n processes SIGKILLed and restarted\n`);
			for (const id of executionIds)
				expect((await t.api.getExecution(id, false)).status).toBe('waiting');

			const results = await runPool(jobs, 5, async (job) => {
				await t.sim.completeJob(job.id);
				return client.post(job.webhook ?? '', successBody(job));
			});
			expect(results.map((r) => r.status)).toEqual(jobs.map(() => 200));
			for (const [i, id] of executionIds.entries()) {
				const done = await finished(id);
				expect(done.status).toBe('success');
				expect(nodeOutput(done, ACTION)[0].json.id).toBe(jobs[i].id);
			}
			// Nothing was submitted twice: the restart resumed, it did not re-run the ModelsLab node.
			expect([...t.sim.jobs.keys()].filter((k) => !before.has(k)).length).toBe(n);
			expect(countByStatus(await allExecutions(t.api, workflowId))).toEqual({ success: n });
			for (const job of jobs) expect(counter.hits.get(job.id)?.length).toBe(1);
		});
	});
});
