// Files as binary data in a real n8n: Webhook → HTTP Request download(s) from the simulator's
// sample files → ModelsLab node with "<field> Input Type: Binary File" → No-Op. The bytes the
// simulator received through base64_to_url must be the bytes n8n downloaded, in callback and poll
// mode, whatever n8n's binary data mode (2.x: filesystem; queue mode: database).
import { getEndpoint } from '../../nodes/shared/catalog';
import type { Category } from '../../nodes/shared/catalog/types';
import type { Execution } from '../../scripts/n8n';
import { sampleFile, type SimJob } from '../simulator';
import { binaryParameters } from '../support/uiParameters';
import { startAction, type CompletionMode } from './support/actionRun';
import { storedBinary } from './support/binaryData';
import { deploy, postWebhook } from './support/deploy';
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
import {
	actionWorkflow,
	ACTION_NODE,
	AFTER_NODE,
	DOWNLOAD_NODE,
	type Download,
} from './support/workflows';
import { CONTRACT_OPERATIONS } from '../support/contractOperations';

interface Case {
	category: Category;
	operation: string;
	/** API field → binary property name(s), comma-separated for a list. */
	fields: Record<string, string>;
	/** Binary property → sample file (`GET /samples/<file>` of the simulator). */
	files: Record<string, string>;
}

/** One operation per file-taking category, plus audio, video and a list of training images. */
const CASES: Case[] = [
	{
		category: 'image',
		operation: 'img2img',
		fields: { init_image: 'data' },
		files: { data: 'image.png' },
	},
	{
		category: 'video',
		operation: 'img2video',
		fields: { init_image: 'data' },
		files: { data: 'image.png' },
	},
	{
		category: 'audio',
		operation: 'voice_to_voice',
		fields: { init_audio: 'source', target_audio: 'voice' },
		files: { source: 'speech.wav', voice: 'speech.mp3' },
	},
	{
		category: 'threeD',
		operation: 'image_to_3d',
		fields: { init_image: 'data' },
		files: { data: 'image.png' },
	},
	{
		category: 'imageEditing',
		operation: 'single_video_swap',
		fields: { init_image: 'face', init_video: 'clip' },
		files: { face: 'image.png', clip: 'clip.mp4' },
	},
	{
		category: 'training',
		operation: 'lora_fine_tune',
		fields: { images: 'image_1, image_2, image_3' },
		files: { image_1: 'image.png', image_2: 'image-2.png', image_3: 'image-3.png' },
	},
];
const MODES: CompletionMode[] = ['callback', 'poll'];

describe.each(e2eRuns())('n8n %s: file inputs from binary data', (_label, line) => {
	let stack: E2eStack;

	beforeAll(async () => {
		stack = await startStack(line, {
			simulator: { callbackDelayMs: 300, trainingStepDelayMs: 100 },
		});
		stack.sim.setDefaultBehaviour({ eta: 60 });
	});
	afterAll(async () => {
		await stack?.stop();
	});

	const downloadsOf = (files: Record<string, string>): Download[] =>
		Object.entries(files).map(([property, file]) => ({
			url: `${stack.sim.origin}/samples/${file}`,
			property,
		}));

	test.each(
		CASES.flatMap((entry) =>
			MODES.map((mode) => [`${entry.category} ${entry.operation}`, mode, entry] as const),
		),
	)(
		'%s in %s mode: the simulator receives the downloaded bytes',
		async (_name, mode, entry) => {
			const trace: ScenarioTrace = {};
			await withReport(stack.n8n, trace, async () => {
				const uploadsBefore = stack.sim.uploads().length;
				if (mode === 'callback') stack.sim.plan({ eta: 60, hold: true });
				const { workflow, jobs } = await startAction(stack, trace, {
					name: `${entry.category} ${entry.operation} binary ${mode}`,
					category: entry.category,
					downloads: downloadsOf(entry.files),
					parameters: binaryParameters(getEndpoint(entry.category, entry.operation), entry.fields, {
						completion: mode,
						options: { pollInterval: 1 },
					}),
				});
				const [job] = jobs;
				let done: Execution;
				if (mode === 'callback') {
					trace.executionId = executionIdOfJob(job);
					await stack.n8n.api.waitForExecution(trace.executionId, 'waiting', { timeoutMs: 30_000 });
					await stack.sim.completeJob(job.id);
					done = await stack.n8n.api.waitForExecution(trace.executionId, FINISHED, {
						timeoutMs: 60_000,
					});
				} else {
					done = await onlyFinishedExecution(stack.n8n, workflow.id, 60_000);
					trace.executionId = done.id;
				}
				expect(done.status).toBe('success');
				expect(nodeOutput(done, ACTION_NODE)[0]?.json).toMatchObject({
					status: 'success',
					id: job.id,
				});
				expect(runCount(done, AFTER_NODE)).toBe(1);

				const uploads = stack.sim.uploads().slice(uploadsBefore);
				expect(uploads).toHaveLength(Object.keys(entry.files).length);
				const sent = stack.sim.jobs.get(job.id) as SimJob;
				// The binary data n8n held after the last download, as it stored it.
				const downloaded = nodeOutput(
					done,
					`${DOWNLOAD_NODE} ${Object.keys(entry.files).length}`,
				)[0];
				for (const [field, properties] of Object.entries(entry.fields)) {
					const names = properties.split(',').map((name) => name.trim());
					const value = sent.request[field];
					const urls = Array.isArray(value) ? value : [value];
					expect(urls).toHaveLength(names.length);
					for (const [index, property] of names.entries()) {
						const upload = uploads.find((candidate) => candidate.url === urls[index]);
						expect(upload).toBeDefined();
						const source = sampleFile(entry.files[property])?.bytes as Buffer;
						expect(upload?.bytes.equals(source)).toBe(true);
						const ref = downloaded?.binary?.[property];
						expect(ref).toBeDefined();
						if (ref) expect((await storedBinary(stack, ref)).equals(source)).toBe(true);
					}
				}
			});
		},
		120_000,
	);

	/** Runs Webhook → download → ModelsLab (poll) and returns the failed execution. */
	async function refused(
		trace: ScenarioTrace,
		name: string,
		file: string,
		binaryPropertyName: string,
	): Promise<Execution> {
		const stats = stack.sim.stats();
		const wf = actionWorkflow({
			name,
			node: CONTRACT_OPERATIONS.image.nodeType,
			credential: stack.credential,
			downloads: [{ url: `${stack.sim.origin}/samples/${file}`, property: 'data' }],
			parameters: binaryParameters(
				getEndpoint('image', 'img2img'),
				{ init_image: binaryPropertyName },
				{ completion: 'poll' },
			),
		});
		const workflow = await deploy(stack, wf, trace);
		const res = await postWebhook(stack, wf.path, {});
		expect(res.status).toBe(200);
		const done = await onlyFinishedExecution(stack.n8n, workflow.id, 60_000);
		trace.executionId = done.id;
		expect(done.status).toBe('error');
		// Stopped before ModelsLab saw anything: no upload, no submit.
		expect(stack.sim.stats().uploads).toBe(stats.uploads);
		expect(stack.sim.stats().submits).toBe(stats.submits);
		expect(runCount(done, AFTER_NODE)).toBe(0);
		return done;
	}

	test('a file over 5 MB stops the run before anything is sent, naming item, field, property and limit', async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			const done = await refused(trace, 'binary oversize', 'oversize.png', 'data');
			const message = done.data?.resultData.error?.message ?? '';
			expect(message).toContain('Invalid parameter "Init Image" (init_image)');
			expect(message).toContain('binary property "data" of input item 0 is 5.0 MB (5242881 bytes)');
			expect(message).toContain('at most 5.0 MB (5242880 bytes)');
		});
	}, 120_000);

	test('a missing binary property stops the run before anything is sent and says what the item has', async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			const done = await refused(trace, 'binary missing property', 'image.png', 'photo');
			const message = done.data?.resultData.error?.message ?? '';
			expect(message).toContain('Invalid parameter "Init Image" (init_image)');
			expect(message).toContain('input item 0 has no binary property "photo" (it has: data)');
		});
	}, 120_000);
});
