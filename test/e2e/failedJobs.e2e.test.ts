// Failures in a real n8n: a failed job (callback and poll), Continue On Fail, and a dropped
// callback that only the wait limit ends, with the request id recovered from custom data.
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

/** The node's record of its request ids: `modelslab_<node id without dashes>` = `<chunks>|v2;<flags>;<operation>;<id>,<id>`; flag `s`: n8n signed the resume URL (2.x). */
function ledgerKey(nodeId: string): string {
	return `modelslab_${nodeId.replace(/[^A-Za-z0-9]/g, '').slice(0, 32)}`;
}

function ledgerIds(value: string): { operation: string; ids: string[] } {
	const [, body = ''] = value.split('|');
	const [, , operation = '', list = ''] = body.split(';'); // v2;<flags>;<operation>;<ids>
	return {
		operation: decodeURIComponent(operation),
		ids: list.split(',').filter(Boolean).map(decodeURIComponent),
	};
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

	test('dropped callback: the execution parks and its custom data holds the request id', async () => {
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
			expect(customDataOf(parked, ledgerKey(wf.actionNodeId))).toBe(
				`1|v2;${line === '2' ? 's' : ''};text2img;${job.id}`,
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

	test('dropped callback: the wait limit ends the execution, the input passes through, getResult recovers the result', async () => {
		const trace = dropped.trace;
		await withReport(stack.n8n, trace, async () => {
			if (!trace.executionId || !dropped.jobId || !dropped.nodeId)
				throw new Error('the dropped-callback run did not start (see the first test)');
			// waitTill = park + 1 min; the WaitTracker polls every 60 s (1.123 can be a minute late).
			const done = await stack.n8n.api.waitForExecution(trace.executionId, FINISHED, {
				timeoutMs: 150_000,
				intervalMs: 1000,
			});
			process.stderr.write(
				`e2e measure: n8n ${stack.n8n.version} timed resume ${Math.round((Date.now() - (dropped.parkedAt ?? 0)) / 1000)} s after the park\n`,
			);
			expect(done.status).toBe('success');
			// No result, no error: the input item as it came (the webhook's), once downstream.
			const [passed] = nodeOutput(done, ACTION_NODE);
			expect(passed?.json).toMatchObject({ body: { note: 'passes through' } });
			expect(passed?.json).not.toHaveProperty('status');
			expect(runCount(done, AFTER_NODE)).toBe(1);

			const ledger = customDataOf(done, ledgerKey(dropped.nodeId));
			expect(ledger).toBeDefined();
			const { operation, ids } = ledgerIds(ledger ?? '');
			expect({ operation, ids }).toEqual({ operation: 'text2img', ids: [dropped.jobId] });

			// A second workflow reads the job by that id.
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
					body: { requestId: ids[0] },
					jobCount: 0,
				});
				const read = await onlyFinishedExecution(stack.n8n, workflow.id);
				recoverTrace.executionId = read.id;
				expect(read.status).toBe('success');
				expect(nodeOutput(read, ACTION_NODE)[0]?.json).toMatchObject({
					status: 'success',
					id: ids[0],
					output: stack.sim.jobs.get(ids[0])?.output,
				});
			});
		});
	}, 200_000);
});
