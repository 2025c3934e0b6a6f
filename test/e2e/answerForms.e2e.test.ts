// Issue 22: one callback-mode job in a real n8n for each answer form ModelsLab's own clients and
// docs show (docs/modelslab-api.md §4), each ending with its result: `fetch_result` naming another
// path, `id: null` with the id inside `fetch_result`, files only in `future_links` or `proxy_links`,
// a failure whose text is in `error`, rate limits only in `Retry-After` or in an HTTP 200 body, and
// face swap where only the SDKs' `/v6/deepfake` family answers. Then two forms beyond generation
// `output`: a 3D job asked to render, whose video comes in `extra_assets` (README, "Output of a
// finished job"), and a Workflows run whose callback comes in the webhooks page's shape, its files
// in `execution.output_data.images` (docs/modelslab-api.md §5), reaching a ModelsLab Trigger. One
// n8n stack for the whole file.
import { randomUUID } from 'node:crypto';
import type { JobBehaviour } from '../simulator';
import { callbackStatuses, operationParameters, startAction } from './support/actionRun';
import { getBytes, storedBinary } from './support/binaryData';
import { deploy } from './support/deploy';
import {
	eventually,
	executionIdOfJob,
	FINISHED,
	nodeOutput,
	onlyFinishedExecution,
} from './support/executions';
import { describeUnlessQueueRun, e2eRuns } from './support/lines';
import { withReport, type ScenarioTrace } from './support/report';
import { startStack, type E2eStack } from './support/stack';
import { ACTION_NODE, TRIGGER_NODE, triggerWorkflow } from './support/workflows';

interface AnswerForm {
	title: string;
	behaviour: JobBehaviour;
	/** What the item's result must hold, from the job the simulator ran. */
	expected: (job: { id: string; output: readonly string[] }) => Record<string, unknown>;
	/** Submits the job takes (rate limits refuse the first ones). */
	submits?: number;
}

const success = (job: { id: string; output: readonly string[] }) => ({
	status: 'success',
	id: job.id,
	output: [...job.output],
});

const FORMS: AnswerForm[] = [
	{
		title: 'no callback; fetch_result names another path, the only one that knows the job',
		behaviour: { eta: 1, delayMs: 300, dropCallback: true, fetchResultPath: '/v6/whisper/fetch' },
		expected: success,
	},
	{
		title: 'the submit answers id: null, the id only inside fetch_result',
		behaviour: { eta: 60, delayMs: 800, submitIdNull: true },
		expected: success,
	},
	{
		title: 'success with an empty output, the files in future_links',
		behaviour: { eta: 60, delayMs: 800, emptyOutput: 'futureLinks' },
		expected: success,
	},
	{
		title: 'success with an empty output, the files in proxy_links',
		behaviour: { eta: 60, delayMs: 800, emptyOutput: 'proxyLinks' },
		expected: success,
	},
	{
		title: 'a failed job whose text is in `error`',
		behaviour: {
			eta: 60,
			delayMs: 800,
			outcome: 'failed',
			errorMessage: 'Prompt flagged by the safety checker',
			errorField: 'error',
		},
		expected: (job) => ({
			status: 'failed',
			id: job.id,
			error: expect.stringContaining('Prompt flagged by the safety checker'),
		}),
	},
	{
		title: 'HTTP 429 twice with its wait only in Retry-After: 1',
		behaviour: {
			eta: 60,
			delayMs: 800,
			rateLimit: { retryAfter: 1, times: 2, form: 'retryAfterHeader' },
		},
		expected: success,
		submits: 3,
	},
	{
		title: 'a rate limit in an HTTP 200 body {status: "error", retry_after: 1}',
		behaviour: { eta: 60, delayMs: 800, rateLimit: { retryAfter: 1, times: 1, form: 'http200' } },
		expected: success,
		submits: 2,
	},
];

const SUBMIT_PATH = '/api/v6/images/text2img';

// Skipped in a queue run: answer forms are read by the transport, whichever process reads them.
describeUnlessQueueRun().each(e2eRuns())('n8n %s: ModelsLab answer forms', (_label, line) => {
	let stack: E2eStack;

	beforeAll(async () => {
		stack = await startStack(line, { simulator: { callbackDelayMs: 300 } });
	});
	afterAll(async () => {
		await stack?.stop();
	});

	test.each(FORMS.map((form) => [form.title, form] as const))(
		'%s: ends with its result',
		async (_title, form) => {
			const trace: ScenarioTrace = {};
			await withReport(stack.n8n, trace, async () => {
				const submitsBefore = stack.sim.requests.filter((r) => r.path === SUBMIT_PATH).length;
				stack.sim.plan(form.behaviour);
				const { jobs } = await startAction(stack, trace, {
					name: `answer form: ${form.title}`,
					category: 'image',
					parameters: operationParameters('image', 'text2img', {
						prompt: 'an answer form',
						completion: 'callback',
					}),
					onError: 'continueRegularOutput',
				});
				const [job] = jobs;
				trace.executionId = executionIdOfJob(job);
				const done = await stack.n8n.api.waitForExecution(trace.executionId, FINISHED, {
					timeoutMs: 90_000,
				});
				expect(done.status).toBe('success');
				const [item] = nodeOutput(done, ACTION_NODE);
				expect(item?.json).toMatchObject(form.expected(job));
				const submits = stack.sim.requests
					.filter((r) => r.path === SUBMIT_PATH)
					.slice(submitsBefore);
				expect(submits).toHaveLength(form.submits ?? 1);
				// Each refused submit waited as long as ModelsLab asked (1 s), not the package's default.
				for (let n = 1; n < submits.length; n++) {
					const gap = submits[n].receivedAt - submits[n - 1].receivedAt;
					expect(gap).toBeGreaterThanOrEqual(1000);
					expect(gap).toBeLessThan(8000);
				}
			});
		},
		120_000,
	);

	test("face swap where only /v6/deepfake answers (the SDKs' family): the submit and the result", async () => {
		const trace: ScenarioTrace = {};
		stack.sim.setFaceSwapPaths(['deepfake']);
		try {
			await withReport(stack.n8n, trace, async () => {
				stack.sim.plan({ eta: 60, delayMs: 800 });
				const { jobs } = await startAction(stack, trace, {
					name: 'answer form: face swap under /v6/deepfake',
					category: 'imageEditing',
					parameters: operationParameters('imageEditing', 'single_face_swap', {
						completion: 'callback',
					}),
				});
				const [job] = jobs;
				expect(job.endpoint).toBe('/v6/deepfake/single_face_swap');
				trace.executionId = executionIdOfJob(job);
				const done = await stack.n8n.api.waitForExecution(trace.executionId, FINISHED, {
					timeoutMs: 60_000,
				});
				expect(done.status).toBe('success');
				expect(nodeOutput(done, ACTION_NODE)[0]?.json).toMatchObject(success(job));
			});
		} finally {
			stack.sim.setFaceSwapPaths(['faceswap', 'deepfake']);
		}
	}, 120_000);

	test.each([
		['only the submit answer names it (as the 2025 examples)', true],
		['the callback repeats it', false],
	])(
		'a 3D job asked to render, %s: its video in extra_assets beside output, downloaded after it',
		async (_title, extraAssetsOnlyWhileProcessing) => {
			const trace: ScenarioTrace = {};
			await withReport(stack.n8n, trace, async () => {
				stack.sim.plan({ eta: 60, delayMs: 800, extraAssetsOnlyWhileProcessing });
				const { jobs } = await startAction(stack, trace, {
					name: 'answer form: 3D render in extra_assets',
					category: 'threeD',
					parameters: operationParameters('threeD', 'text_to_3d', {
						completion: 'callback',
						additionalFields: { outputFormat: 'glb', render: true },
						options: { downloadOutputs: true, binaryPropertyName: 'file' },
					}),
				});
				const [job] = jobs;
				expect(job.request.render).toBe(true);
				const video = job.extraAssets?.[0];
				expect(video).toMatch(/\.mp4$/);
				trace.executionId = executionIdOfJob(job);
				const done = await stack.n8n.api.waitForExecution(trace.executionId, FINISHED, {
					timeoutMs: 60_000,
				});
				expect(done.status).toBe('success');
				expect(callbackStatuses(stack, job.id)).toEqual([200]);
				const [callback] = stack.sim.callbacks.filter((c) => c.jobId === job.id);
				expect(Object.keys(callback.body).includes('extra_assets')).toBe(
					!extraAssetsOnlyWhileProcessing,
				);
				const [item] = nodeOutput(done, ACTION_NODE);
				expect(item?.json).toMatchObject({
					status: 'success',
					id: job.id,
					output: [...job.output],
					extra_assets: [video],
				});
				// The model first, then its render video (README: "downloaded after its outputs").
				const files = [job.output[0], video as string];
				const refs = [item?.binary?.file, item?.binary?.file_1];
				expect(Object.keys(item?.binary ?? {}).sort()).toEqual(['file', 'file_1']);
				for (const [index, url] of files.entries()) {
					const ref = refs[index];
					if (!ref) throw new Error(`no binary for ${url}: ${JSON.stringify(item?.binary)}`);
					const served = await getBytes(url);
					expect(ref.mimeType).toBe(served.contentType);
					expect((await storedBinary(stack, ref)).equals(served.body)).toBe(true);
				}
				expect(refs[1]?.mimeType).toBe('video/mp4');
			});
		},
		120_000,
	);

	test("a Workflows run's callback in the webhooks page's shape starts the Trigger with its images", async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			const trigger = triggerWorkflow({ name: 'answer form: Workflows webhooks page' });
			const triggered = await deploy(stack, trigger, trace);
			// The Workflows API takes its callback URL from the workflow's settings, not the run
			// (catalog/workflow.ts): the user puts the trigger's URL there, then runs it Submit Only.
			const workflowId = randomUUID();
			stack.sim.setWorkflowWebhook(workflowId, `${stack.webhookBase}/webhook/${trigger.path}`);
			stack.sim.plan({ delayMs: 800, workflowCallbackShape: 'webhooksPage' });
			const runTrace: ScenarioTrace = {};
			const { jobs, workflow } = await withReport(stack.n8n, runTrace, () =>
				startAction(stack, runTrace, {
					name: 'answer form: Workflows run, submit only',
					category: 'workflow',
					parameters: operationParameters('workflow', 'run', {
						workflowId,
						completion: 'submit',
					}),
				}),
			);
			const [run] = jobs;
			expect(run.kind).toBe('workflowRun');
			const submitted = await onlyFinishedExecution(stack.n8n, workflow.id, 30_000);
			expect(submitted.status).toBe('success');
			expect(nodeOutput(submitted, ACTION_NODE)[0]?.json).toMatchObject({
				status: 'processing',
				id: run.id,
			});

			const [delivered] = await eventually(
				`the workflow callback of run ${run.id}`,
				() => {
					const sent = stack.sim.callbacks.filter((c) => c.jobId === run.id);
					return sent.length > 0 && sent;
				},
				30_000,
			);
			expect(delivered).toMatchObject({
				status: 200,
				body: {
					event: 'workflow.completed',
					execution: { id: Number(run.id), output_data: { images: [...run.output] } },
				},
			});
			expect(delivered.body).not.toHaveProperty('output');
			const execution = await onlyFinishedExecution(stack.n8n, triggered.id, 30_000);
			trace.executionId = execution.id;
			expect(execution.status).toBe('success');
			expect(nodeOutput(execution, TRIGGER_NODE)[0]?.json).toMatchObject({
				kind: 'workflowRun',
				status: 'success',
				id: run.id,
				output: [...run.output],
				event: 'workflow.completed',
				workflow: { id: workflowId },
			});
		});
	}, 120_000);
});
