// One operation of each family added 2026-12-07 in a real n8n: Webhook → ModelsLab node → No-Op,
// parked in callback mode and resumed by the simulator's callback, ending with the job's result.
// Realtime and Interior bring new fetch families, speech to text a text output and a field sent
// under two names, Flux Kontext the images endpoint from the Image Editing node, the watermark
// remover a video input. One n8n stack for the whole file.
import { getEndpoint } from '../../nodes/shared/catalog';
import type { Category, SubmitEndpointSpec } from '../../nodes/shared/catalog/types';
import { parametersFromExample } from '../support/uiParameters';
import { callbackStatuses, startAction } from './support/actionRun';
import { executionIdOfJob, FINISHED, nodeOutput, runCount } from './support/executions';
import { describeUnlessQueueRun, e2eRuns } from './support/lines';
import { withReport, type ScenarioTrace } from './support/report';
import { startStack, type E2eStack } from './support/stack';
import { ACTION_NODE, AFTER_NODE } from './support/workflows';

/** [category, operation, what the submitted body must also hold besides the example]. */
const CASES: Array<[Category, string, Record<string, unknown>]> = [
	['image', 'realtime_text2img', {}],
	['interior', 'make', {}],
	[
		'audio',
		'speech_to_text',
		{ audio_url: 'https://example.com/speech.wav', input_language: 'en' },
	],
	['imageEditing', 'flux_kontext', {}],
	['video', 'watermark_remover', {}],
];

// Skipped in a queue run: these families differ from the others in their request bodies and
// fetch paths, not in how a job waits and resumes, which the other queue-run files cover.
describeUnlessQueueRun().each(e2eRuns())(
	'n8n %s: the families added 2026-12-07',
	(_label, line) => {
		let stack: E2eStack;

		beforeAll(async () => {
			stack = await startStack(line, { simulator: { callbackDelayMs: 300 } });
			// A long ETA makes callback mode park rather than finish in its check before parking.
			stack.sim.setDefaultBehaviour({ eta: 60 });
		});
		afterAll(async () => {
			await stack?.stop();
		});

		test.each(CASES)(
			'%s %s: parks, resumes on the callback and ends with the result',
			async (category, operation, alsoSent) => {
				const endpoint = getEndpoint(category, operation) as SubmitEndpointSpec;
				const trace: ScenarioTrace = {};
				await withReport(stack.n8n, trace, async () => {
					stack.sim.plan({ eta: 60, hold: true });
					const { jobs } = await startAction(stack, trace, {
						name: `${category} ${operation} callback`,
						category,
						parameters: parametersFromExample(endpoint, { completion: 'callback' }),
					});
					const [job] = jobs;
					expect(job.endpoint).toBe(endpoint.path);
					expect(job.request).toMatchObject({ ...endpoint.example, ...alsoSent });
					expect(typeof job.request.track_id).toBe(
						endpoint.trackId === 'integer' ? 'number' : 'string',
					);
					expect(job.request.webhook).toEqual(expect.stringContaining('/webhook-waiting/'));
					trace.executionId = executionIdOfJob(job);
					await stack.n8n.api.waitForExecution(trace.executionId, 'waiting', { timeoutMs: 30_000 });
					await stack.sim.completeJob(job.id);
					expect(callbackStatuses(stack, job.id).every((status) => status === 200)).toBe(true);
					const done = await stack.n8n.api.waitForExecution(trace.executionId, FINISHED, {
						timeoutMs: 30_000,
					});
					expect(done.status).toBe('success');
					expect(nodeOutput(done, ACTION_NODE)[0]?.json).toMatchObject({
						status: 'success',
						id: job.id,
						output: stack.sim.jobs.get(job.id)?.output,
					});
					expect(runCount(done, AFTER_NODE)).toBe(1);
				});
			},
			90_000,
		);
	},
);
