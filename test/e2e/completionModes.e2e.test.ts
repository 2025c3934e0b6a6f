// One operation of every category in each completion mode, and binary download, in a real n8n:
// Webhook → ModelsLab node → No-Op, started over HTTP, results read back through the public API.
import type { Category } from '../../nodes/shared/catalog/types';
import type { Execution } from '../../scripts/n8n';
import {
	callbackStatuses,
	operationParameters,
	startAction,
	type CompletionMode,
} from './support/actionRun';
import { getBytes, storedBinary } from './support/binaryData';
import {
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

const OPERATIONS: Array<[Category, string]> = [
	['image', 'text2img'],
	['video', 'text2video'],
	['audio', 'text_to_speech'],
	['threeD', 'text_to_3d'],
	['imageEditing', 'super_resolution'],
	['training', 'lora_fine_tune'],
	['workflow', 'run'],
];
const MODES: CompletionMode[] = ['callback', 'poll', 'submit'];
/** The Workflows API takes no per-run callback URL: its callback mode polls (documented). */
const WITHOUT_CALLBACK = new Set(['workflow run']);

const CASES = OPERATIONS.flatMap(([category, operation]) =>
	MODES.map((mode) => [category, operation, mode] as const),
);

describe.each(e2eRuns())('n8n %s: every category in every completion mode', (_label, line) => {
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

	/** callback: parked, completed by the simulator's callback to the resume URL. */
	async function viaCallback(
		trace: ScenarioTrace,
		category: Category,
		operation: string,
		options: Record<string, unknown> = {},
	): Promise<Execution> {
		stack.sim.plan({ eta: 60, hold: true });
		const { jobs } = await startAction(stack, trace, {
			name: `${category} ${operation} callback`,
			category,
			parameters: operationParameters(category, operation, { completion: 'callback', options }),
		});
		const [job] = jobs;
		trace.executionId = executionIdOfJob(job);
		await stack.n8n.api.waitForExecution(trace.executionId, 'waiting', { timeoutMs: 30_000 });
		await stack.sim.completeJob(job.id);
		expect(callbackStatuses(stack, job.id).every((s) => s === 200)).toBe(true);
		const done = await stack.n8n.api.waitForExecution(trace.executionId, FINISHED, {
			timeoutMs: 30_000,
		});
		expect(done.status).toBe('success');
		return done;
	}

	async function withoutPark(
		trace: ScenarioTrace,
		category: Category,
		operation: string,
		mode: CompletionMode,
		options: Record<string, unknown> = {},
	): Promise<Execution> {
		const { workflow } = await startAction(stack, trace, {
			name: `${category} ${operation} ${mode}`,
			category,
			parameters: operationParameters(category, operation, {
				completion: mode,
				options: { pollInterval: 1, ...options },
			}),
		});
		const done = await onlyFinishedExecution(stack.n8n, workflow.id, 60_000);
		trace.executionId = done.id;
		expect(done.status).toBe('success');
		return done;
	}

	test.each(CASES)(
		'%s %s in %s mode',
		async (category, operation, mode) => {
			const trace: ScenarioTrace = {};
			await withReport(stack.n8n, trace, async () => {
				const before = new Set(stack.sim.jobs.keys());
				const parks = mode === 'callback' && !WITHOUT_CALLBACK.has(`${category} ${operation}`);
				const done = parks
					? await viaCallback(trace, category, operation)
					: await withoutPark(trace, category, operation, mode);
				const [job] = [...stack.sim.jobs.values()].filter((j) => !before.has(j.id));
				const out = nodeOutput(done, ACTION_NODE);
				expect(out).toHaveLength(1);
				const item = out[0].json;
				expect(item.id).toBe(job.id);
				if (mode === 'submit') {
					expect(item).toMatchObject({ status: 'processing' });
					expect(item).toHaveProperty('eta');
					expect(item).toHaveProperty('fetch_result');
				} else if (category === 'training') {
					expect(item).toMatchObject({ status: 'success', training_status: 'model_ready' });
				} else {
					expect(item).toMatchObject({
						status: 'success',
						output: stack.sim.jobs.get(job.id)?.output,
					});
				}
				if (parks) expect(job.webhook).toContain(`/webhook-waiting/${done.id}/`);
				else expect(job.webhook).toBeUndefined();
				// The result flows on, once.
				expect(runCount(done, AFTER_NODE)).toBe(1);
				expect(nodeOutput(done, AFTER_NODE)[0]?.json).toEqual(item);
			});
		},
		120_000,
	);

	test.each([
		['callback', 'image', 'text2img'],
		['poll', 'audio', 'text_to_speech'],
	] as const)(
		'%s mode downloads the output into binary data (%s %s)',
		async (mode, category, operation) => {
			const trace: ScenarioTrace = {};
			await withReport(stack.n8n, trace, async () => {
				const before = new Set(stack.sim.jobs.keys());
				const options = { downloadOutputs: true, binaryPropertyName: 'file' };
				const done =
					mode === 'callback'
						? await viaCallback(trace, category, operation, options)
						: await withoutPark(trace, category, operation, mode, options);
				const [job] = [...stack.sim.jobs.values()].filter((j) => !before.has(j.id));
				const [item] = nodeOutput(done, ACTION_NODE);
				const ref = item?.binary?.file;
				if (!ref)
					throw new Error(
						`no binary property "file" on the ModelsLab node's output: ${JSON.stringify(item)}`,
					);
				// The file as the simulator serves it is what n8n must have stored.
				const served = await getBytes(job.output[0]);
				expect(ref.mimeType).toBe(served.contentType);
				expect(ref.fileName).toBe(job.output[0].split('/').pop());
				// Queue mode keeps binaries in PostgreSQL: a reference, read back through the main's /rest/binary-data.
				if (stack.deployment === 'queue') expect(ref.id).toMatch(/^database:/);
				expect((await storedBinary(stack, ref)).equals(served.body)).toBe(true);
			});
		},
		120_000,
	);
});
