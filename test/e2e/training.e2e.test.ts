// Training in callback mode: ModelsLab posts every training state to the resume URL; only
// model_ready resumes the execution.
import { callbackStatuses, operationParameters, startAction } from './support/actionRun';
import { eventually, executionIdOfJob, FINISHED, nodeOutput, runCount } from './support/executions';
import { e2eRuns } from './support/lines';
import { withReport, type ScenarioTrace } from './support/report';
import { startStack, type E2eStack } from './support/stack';
import { ACTION_NODE, AFTER_NODE } from './support/workflows';

/** Seconds between two training states: the window in which "still waiting" is checked. */
const STEP_MS = 1200;
const STATES_BEFORE_READY = 7;

describe.each(e2eRuns())('n8n %s: training', (_label, line) => {
	let stack: E2eStack;

	beforeAll(async () => {
		stack = await startStack(line);
	});
	afterAll(async () => {
		await stack?.stop();
	});

	test('state callbacks keep the execution waiting; model_ready resumes it', async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			stack.sim.plan({ delayMs: STEP_MS });
			const { jobs } = await startAction(stack, trace, {
				name: 'training callback',
				category: 'training',
				parameters: operationParameters('training', 'lora_fine_tune', { completion: 'callback' }),
			});
			const [job] = jobs;
			trace.executionId = executionIdOfJob(job);
			await stack.n8n.api.waitForExecution(trace.executionId, 'waiting', { timeoutMs: 30_000 });

			// deploying_gpu … deploying_model: each answered 2xx, none resumes.
			await eventually(
				'7 training state callbacks',
				() => callbackStatuses(stack, job.id).length >= STATES_BEFORE_READY,
				30_000,
				50,
			);
			const states = stack.sim.callbacks
				.filter((c) => c.jobId === job.id)
				.map((c) => c.body.training_status);
			expect(states).toEqual([
				'deploying_gpu',
				'training_started',
				'training_success',
				'trained_model_compressing',
				'trained_model_uploading',
				'trained_model_uploaded',
				'deploying_model',
			]);
			expect(callbackStatuses(stack, job.id)).toEqual(Array(STATES_BEFORE_READY).fill(200));
			expect((await stack.n8n.api.getExecution(trace.executionId, false)).status).toBe('waiting');

			const done = await stack.n8n.api.waitForExecution(trace.executionId, FINISHED, {
				timeoutMs: 30_000,
			});
			expect(callbackStatuses(stack, job.id)).toEqual(Array(STATES_BEFORE_READY + 1).fill(200));
			expect(done.status).toBe('success');
			expect(nodeOutput(done, ACTION_NODE)[0]?.json).toMatchObject({
				status: 'success',
				id: job.id,
				training_status: 'model_ready',
			});
			expect(runCount(done, AFTER_NODE)).toBe(1);
		});
	}, 90_000);
});
