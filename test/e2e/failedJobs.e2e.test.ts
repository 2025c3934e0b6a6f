// Failures in a real n8n: a failed job (callback and poll), Continue On Fail, and a dropped
// callback: the node reads the job itself when its wait limit passes and resumes with the result.
import type { Execution } from '../../scripts/n8n';
import { callbackStatuses, operationParameters, startAction } from './support/actionRun';
import {
	customDataOf,
	executionIdOfJob,
	FINISHED,
	nodeOutput,
	onlyFinishedExecution,
	runCount,
} from './support/executions';
import { e2eRuns } from './support/lines';
import { withReport, type ScenarioTrace } from './support/report';
import { startStack, type E2eStack } from './support/stack';
import { ACTION_NODE, AFTER_NODE } from './support/workflows';

const REASON = 'NSFW content detected';

/** The node's line for people in the execution's custom data: `modelslab_<node id without dashes>`. */
function summaryKey(nodeId: string): string {
	return `modelslab_${nodeId.replace(/[^A-Za-z0-9]/g, '').slice(0, 32)}`;
}

describe.each(e2eRuns())('n8n %s: failed jobs and the wait limit', (_label, line) => {
	let stack: E2eStack;
	/** The dropped-callback run: started first, checked last, so its wait limit overlaps the other tests. */
	const dropped: { trace: ScenarioTrace; jobId?: string; nodeId?: string; parkedAt?: number } = {
		trace: {},
	};

	beforeAll(async () => {
		stack = await startStack(line);
	});
	afterAll(async () => {
		await stack?.stop();
	});

	async function failedCallbackRun(
		trace: ScenarioTrace,
		onError?: 'continueRegularOutput',
	): Promise<{ done: Execution; jobId: string }> {
		stack.sim.plan({ eta: 60, hold: true, errorMessage: REASON });
		const { jobs } = await startAction(stack, trace, {
			name: `failed job${onError ? ' continue on fail' : ''}`,
			category: 'image',
			parameters: operationParameters('image', 'text2img', { completion: 'callback' }),
			onError,
		});
		const [job] = jobs;
		trace.executionId = executionIdOfJob(job);
		await stack.n8n.api.waitForExecution(trace.executionId, 'waiting', { timeoutMs: 30_000 });
		await stack.sim.completeJob(job.id, 'failed');
		// ModelsLab must get its 2xx even for a failed job, or it may retry.
		expect(callbackStatuses(stack, job.id)).toEqual([200]);
		const done = await stack.n8n.api.waitForExecution(trace.executionId, FINISHED, {
			timeoutMs: 30_000,
		});
		return { done, jobId: job.id };
	}

	test('dropped callback: the execution parks and its custom data names the request id', async () => {
		await withReport(stack.n8n, dropped.trace, async () => {
			stack.sim.plan({ eta: 60, delayMs: 300, dropCallback: true });
			const { jobs, wf } = await startAction(stack, dropped.trace, {
				name: 'dropped callback',
				category: 'image',
				parameters: operationParameters('image', 'text2img', {
					prompt: 'a lost result',
					completion: 'callback',
					options: { waitLimit: 1 },
				}),
				body: { note: 'passes through' },
			});
			const [job] = jobs;
			dropped.jobId = job.id;
			dropped.nodeId = wf.actionNodeId;
			dropped.trace.executionId = executionIdOfJob(job);
			const parked = await stack.n8n.api.waitForExecution(dropped.trace.executionId, 'waiting', {
				timeoutMs: 30_000,
			});
			dropped.parkedAt = Date.now();
			expect(customDataOf(parked, summaryKey(wf.actionNodeId))).toMatch(
				new RegExp(`^text2img: 1 items, 1 submitted, run [0-9a-f]{16}; ids ${job.id}$`),
			);
		});
	}, 60_000);

	test("a failed job (callback mode) fails the node with ModelsLab's message; nothing downstream runs", async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			const { done, jobId } = await failedCallbackRun(trace);
			const error = done.data?.resultData.error;
			process.stderr.write(
				`e2e measure: n8n ${stack.n8n.version} failed job in callback mode -> status ${done.status}, finished ${done.finished}, ` +
					`error ${JSON.stringify(error?.message ?? null)}, node ${error?.node?.name ?? 'n/a'}, After ran ${runCount(done, AFTER_NODE)}x, ` +
					`ModelsLab output ${JSON.stringify(nodeOutput(done, ACTION_NODE).map((i) => i.json))}\n`,
			);
			expect(runCount(done, AFTER_NODE)).toBe(0);
			expect(done.status).toBe('error');
			expect(error?.message).toContain(REASON);
			expect(error?.message).toContain(jobId);
			// 2.x names the node in the error; 1.123 (no resumeError hook) only as the last node run.
			expect(error?.node?.name ?? done.data?.resultData.lastNodeExecuted).toBe(ACTION_NODE);
		});
	}, 90_000);

	test("a failed job (poll mode) fails the node with ModelsLab's message", async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			stack.sim.plan({ eta: 1, delayMs: 300, outcome: 'failed', errorMessage: REASON });
			const { workflow } = await startAction(stack, trace, {
				name: 'failed job poll',
				category: 'image',
				parameters: operationParameters('image', 'text2img', {
					completion: 'poll',
					options: { pollInterval: 1 },
				}),
			});
			const done = await onlyFinishedExecution(stack.n8n, workflow.id);
			trace.executionId = done.id;
			expect(done.status).toBe('error');
			expect(done.data?.resultData.error?.message).toContain(REASON);
			expect(runCount(done, AFTER_NODE)).toBe(0);
		});
	}, 90_000);

	test('Continue On Fail: the failed job becomes an error item that flows on', async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			const { done, jobId } = await failedCallbackRun(trace, 'continueRegularOutput');
			expect(done.status).toBe('success');
			expect(runCount(done, AFTER_NODE)).toBe(1);
			const [item] = nodeOutput(done, AFTER_NODE);
			expect(item?.json).toMatchObject({
				status: 'failed',
				id: jobId,
				error: expect.stringContaining(REASON),
			});
		});
	}, 90_000);

	test('dropped callback: when the wait limit passes the node reads the job itself and resumes with its result', async () => {
		const trace = dropped.trace;
		await withReport(stack.n8n, trace, async () => {
			if (!trace.executionId || !dropped.jobId || !dropped.nodeId)
				throw new Error('the dropped-callback run did not start (see the first test)');
			// The node's own wake-up comes at the wait limit (park + 1 min); n8n's is 2 min later.
			const done = await stack.n8n.api.waitForExecution(trace.executionId, FINISHED, {
				timeoutMs: 150_000,
				intervalMs: 1000,
			});
			const seconds = Math.round((Date.now() - (dropped.parkedAt ?? 0)) / 1000);
			process.stderr.write(
				`e2e measure: n8n ${stack.n8n.version} resumed ${seconds} s after the park (wait limit 60 s)\n`,
			);
			expect(seconds).toBeLessThan(115);
			expect(done.status).toBe('success');
			const [item] = nodeOutput(done, ACTION_NODE);
			expect(item?.json).toMatchObject({
				status: 'success',
				id: dropped.jobId,
				output: stack.sim.jobs.get(dropped.jobId)?.output,
			});
			expect(runCount(done, AFTER_NODE)).toBe(1);
			expect(stack.sim.callbacks.filter((callback) => callback.jobId === dropped.jobId)).toEqual(
				[],
			);

			// Get Result reads the same job by its id, in another workflow.
			const recoverTrace: ScenarioTrace = {};
			await withReport(stack.n8n, recoverTrace, async () => {
				const { workflow } = await startAction(stack, recoverTrace, {
					name: 'recover with getResult',
					category: 'image',
					parameters: {
						operation: 'getResult',
						requestId: '={{ $json.body.requestId }}',
						options: {},
					},
					body: { requestId: dropped.jobId },
					jobCount: 0,
				});
				const read = await onlyFinishedExecution(stack.n8n, workflow.id);
				recoverTrace.executionId = read.id;
				expect(read.status).toBe('success');
				expect(nodeOutput(read, ACTION_NODE)[0]?.json).toMatchObject({
					status: 'success',
					id: dropped.jobId,
					output: stack.sim.jobs.get(dropped.jobId ?? '')?.output,
				});
			});
		});
	}, 200_000);
});
