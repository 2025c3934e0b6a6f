// One v7 provider-model operation per family in a real n8n: Webhook → ModelsLab node → No-Op,
// parked in callback mode and resumed by the simulator's callback, the body checked for the
// chosen model's id and fields; then Get Result of the same node reads the v7 job back.
import { getEndpoint } from '../../nodes/shared/catalog';
import type { Category, SubmitEndpointSpec } from '../../nodes/shared/catalog/types';
import { CONTRACT_OPERATIONS } from '../support/contractOperations';
import { parametersFromExample } from '../support/uiParameters';
import { callbackStatuses, startAction } from './support/actionRun';
import { deploy, postWebhook } from './support/deploy';
import {
	executionIdOfJob,
	FINISHED,
	nodeOutput,
	onlyFinishedExecution,
	runCount,
} from './support/executions';
import { describeUnlessQueueRun, e2eRuns } from './support/lines';
import { withReport, type ScenarioTrace } from './support/report';
import { startStack, type E2eStack } from './support/stack';
import { ACTION_NODE, actionWorkflow, AFTER_NODE } from './support/workflows';

/** [category, operation, model]: one per v7 family (images, video-fusion, voice). */
const CASES: Array<[Category, string, string]> = [
	['image', 'v7_image_to_image', 'nano-banana-pro'],
	['video', 'v7_text_to_video', 'kling-v2-5-turbo-t2v'],
	['audio', 'v7_text_to_speech', 'eleven_multilingual_v2'],
];

// Skipped in a queue run: the v7 models differ from v6 in their request bodies and answers, not in
// how a job waits and resumes, which the other queue-run files cover with the same completion code.
describeUnlessQueueRun().each(e2eRuns())(
	'n8n %s: v7 provider models end to end',
	(_label, line) => {
		let stack: E2eStack;

		beforeAll(async () => {
			stack = await startStack(line, {
				simulator: { callbackDelayMs: 300, trainingStepDelayMs: 100 },
			});
			// A long ETA makes callback mode park rather than finish in its check before parking.
			stack.sim.setDefaultBehaviour({ eta: 60 });
		});
		afterAll(async () => {
			await stack?.stop();
		});

		test.each(CASES)(
			'%s %s with %s: parks, resumes on the callback, and Get Result reads the v7 job',
			async (category, operation, model) => {
				const endpoint = getEndpoint(category, operation) as SubmitEndpointSpec;
				const example = endpoint.models?.find((entry) => entry.id === model)?.example ?? {};
				const trace: ScenarioTrace = {};
				await withReport(stack.n8n, trace, async () => {
					stack.sim.plan({ eta: 60, hold: true });
					const { jobs } = await startAction(stack, trace, {
						name: `${operation} ${model} callback`,
						category,
						parameters: parametersFromExample(endpoint, { completion: 'callback' }, model),
					});
					const [job] = jobs;
					expect(job.endpoint).toBe(endpoint.path);
					expect(job.request).toMatchObject({ model_id: model, ...example });
					trace.executionId = executionIdOfJob(job);
					await stack.n8n.api.waitForExecution(trace.executionId, 'waiting', { timeoutMs: 30_000 });
					await stack.sim.completeJob(job.id);
					expect(callbackStatuses(stack, job.id).every((status) => status === 200)).toBe(true);
					const done = await stack.n8n.api.waitForExecution(trace.executionId, FINISHED, {
						timeoutMs: 30_000,
					});
					expect(done.status).toBe('success');
					const result = stack.sim.jobs.get(job.id);
					expect(nodeOutput(done, ACTION_NODE)[0]?.json).toMatchObject({
						status: 'success',
						id: job.id,
						output: result?.output,
					});
					expect(runCount(done, AFTER_NODE)).toBe(1);

					// Get Result of the same node: not a v6 job, so it is found at the family's v7 path.
					const reader = actionWorkflow({
						name: `${category} getResult of a v7 job`,
						node: CONTRACT_OPERATIONS[category].nodeType,
						parameters: { operation: 'getResult', requestId: job.id, options: {} },
						credential: stack.credential,
					});
					const workflow = await deploy(stack, reader, trace);
					expect((await postWebhook(stack, reader.path, {})).status).toBe(200);
					const read = await onlyFinishedExecution(stack.n8n, workflow.id, 60_000);
					trace.executionId = read.id;
					expect(read.status).toBe('success');
					expect(nodeOutput(read, ACTION_NODE)[0]?.json).toMatchObject({
						status: 'success',
						id: job.id,
						output: result?.output,
					});
				});
			},
			120_000,
		);
	},
);
