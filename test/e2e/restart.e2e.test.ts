// n8n restarts while executions wait for ModelsLab: after the restart the callbacks resume them all.
// In queue mode every n8n process (main, webhook processor, workers) is stopped or killed at once;
// Redis and PostgreSQL keep running.
import type { N8nLine } from '../../scripts/n8n';
import type { SimJob } from '../simulator';
import { callbackStatuses, operationParameters } from './support/actionRun';
import { deploy, postWebhook } from './support/deploy';
import { executionIdOfJob, FINISHED, newJobs, nodeOutput } from './support/executions';
import { e2eDeployment, e2eRuns } from './support/lines';
import { withReport, type ScenarioTrace } from './support/report';
import { startStack, type E2eStack } from './support/stack';
import { ACTION_NODE, actionWorkflow } from './support/workflows';

/** The crash case runs on one line only: a killed n8n starts about 10 s slower ("last session crashed"). */
const KILL_LINE: N8nLine = '2';
const PARKED = 3;
/** Queue mode acts on every process; the titles say so. */
const WHO = e2eDeployment() === 'queue' ? 'every n8n process ' : '';

describe.each(e2eRuns())('n8n %s: restart while executions wait', (_label, line) => {
	let stack: E2eStack;

	beforeAll(async () => {
		stack = await startStack(line);
	});
	afterAll(async () => {
		await stack?.stop();
	});

	/** Three executions of one workflow, each parked on a job the simulator holds. */
	async function parkThree(
		trace: ScenarioTrace,
		name: string,
	): Promise<Array<{ job: SimJob; executionId: string }>> {
		const wf = actionWorkflow({
			name,
			node: 'modelsLabImage',
			parameters: operationParameters('image', 'text2img', {
				prompt: '={{ $json.body.prompt }}',
				completion: 'callback',
			}),
			credential: stack.credential,
		});
		await deploy(stack, wf, trace);
		stack.sim.plan({ eta: 60, hold: true }, PARKED);
		const before = new Set(stack.sim.jobs.keys());
		for (let i = 0; i < PARKED; i++) {
			const res = await postWebhook(stack, wf.path, { prompt: `restart ${i}` });
			if (res.status !== 200)
				throw new Error(`POST /webhook/${wf.path} -> ${res.status}: ${res.text}`);
		}
		const jobs = await newJobs(stack.sim, before, PARKED);
		const parked = jobs.map((job) => ({ job, executionId: executionIdOfJob(job) }));
		trace.executionIds = parked.map((p) => p.executionId);
		for (const p of parked)
			await stack.n8n.api.waitForExecution(p.executionId, 'waiting', { timeoutMs: 30_000 });
		return parked;
	}

	async function completeAll(parked: Array<{ job: SimJob; executionId: string }>): Promise<void> {
		for (const { job, executionId } of parked) {
			await stack.sim.completeJob(job.id);
			expect({ job: job.id, callbacks: callbackStatuses(stack, job.id) }).toEqual({
				job: job.id,
				callbacks: [200],
			});
			const done = await stack.n8n.api.waitForExecution(executionId, FINISHED, {
				timeoutMs: 30_000,
			});
			expect({ executionId, status: done.status }).toEqual({ executionId, status: 'success' });
			expect(nodeOutput(done, ACTION_NODE)[0]?.json).toMatchObject({
				status: 'success',
				id: job.id,
			});
		}
	}

	test(`${WHO}stopped and started again: ${PARKED} parked executions resume on their callbacks`, async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			const parked = await parkThree(trace, 'restart');
			await stack.n8n.restart();
			for (const p of parked)
				expect((await stack.n8n.api.getExecution(p.executionId, false)).status).toBe('waiting');
			await completeAll(parked);
		});
	}, 180_000);

	(line === KILL_LINE ? test : test.skip)(
		`${WHO}killed with SIGKILL and started again: ${PARKED} parked executions resume`,
		async () => {
			const trace: ScenarioTrace = {};
			await withReport(stack.n8n, trace, async () => {
				const parked = await parkThree(trace, 'kill');
				const exit = await stack.n8n.kill('SIGKILL');
				expect(exit.signal).toBe('SIGKILL');
				await stack.n8n.restart();
				for (const p of parked)
					expect((await stack.n8n.api.getExecution(p.executionId, false)).status).toBe('waiting');
				await completeAll(parked);
			});
		},
		180_000,
	);
});
