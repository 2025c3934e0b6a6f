import type { IDataObject } from 'n8n-workflow';

import { getEndpoint } from '../../nodes/shared/catalog';
import type { SubmitEndpointSpec } from '../../nodes/shared/catalog/types';
import { parseCallback } from '../../nodes/shared/transport/callbackPayload';
import { fetchJob, submitJob, type ReadOptions } from '../../nodes/shared/transport/jobs';
import type { JobState } from '../../nodes/shared/transport/jobState';
import { recordJson, resultJson, successItem } from '../../nodes/shared/transport/results';
import { inNodeContext } from '../support/probe';
import { startSimulator, type Simulator } from '../simulator';
import { startStubServer, type StubServer } from './support/stubServer';

/**
 * Every answer form ModelsLab's own clients and docs show (docs/modelslab-api.md §4, §5), through
 * the transport against the simulator over real HTTP, inside a real n8n ExecuteContext.
 */
let sim: Simulator;
let credentials: { apiKey: string; baseUrl: string };

beforeAll(async () => {
	sim = await startSimulator({ callbackDelayMs: 100 });
	credentials = { apiKey: sim.apiKey, baseUrl: sim.baseUrl };
});
afterAll(async () => await sim.stop());
beforeEach(() => sim.reset());

function submitEndpoint(category: Parameters<typeof getEndpoint>[0], operation: string) {
	const endpoint = getEndpoint(category, operation);
	if (endpoint.type !== 'submit') throw new Error(`${operation} must be a submit endpoint`);
	return endpoint;
}

const text2img = submitEndpoint('image', 'text2img');
const tts = submitEndpoint('audio', 'text_to_speech');
const text3d = submitEndpoint('threeD', 'text_to_3d');
const faceSwap = submitEndpoint('imageEditing', 'single_face_swap');

const imageBody = {
	model_id: 'flux',
	prompt: 'a red apple',
	width: 512,
	height: 512,
	track_id: 'answers-1',
};
const ttsBody = {
	prompt: 'Hello there',
	language: 'american english',
	voice_id: 'madison',
	track_id: 22,
};
const faceSwapBody = {
	init_image: 'https://example.com/group.jpg',
	target_image: 'https://example.com/face.jpg',
	reference_image: 'https://example.com/reference.jpg',
	track_id: 7,
};

async function run<T>(fn: Parameters<typeof inNodeContext<T>>[1]): Promise<T> {
	const { result, error } = await inNodeContext<T>(credentials, fn);
	if (error) throw error;
	return result as T;
}

async function submit(endpoint: SubmitEndpointSpec, body: IDataObject): Promise<JobState> {
	return await run(async function () {
		return await submitJob.call(this, endpoint, body, {}, 0);
	});
}

async function read(
	endpoint: SubmitEndpointSpec,
	id: string,
	options: ReadOptions = {},
): Promise<JobState> {
	return await run(async function () {
		return await fetchJob.call(this, endpoint.jobKind, endpoint.fetchPath, { id }, 0, options);
	});
}

function requestedPaths(): string[] {
	return sim.requests.map((request) => request.path);
}

describe('fetch_result: the place the answer names', () => {
	it('a job whose fetch_result names another path family is read there, not at the catalog path', async () => {
		sim.plan({ fetchResultPath: '/v6/whisper/fetch', hold: true });
		const submitted = await submit(tts, ttsBody);
		expect(submitted.fetchResult).toBe(`${sim.origin}/api/v6/whisper/fetch/${submitted.id}`);
		await sim.completeJob(submitted.id);

		const state = await read(tts, submitted.id, { submitted });
		expect(state).toMatchObject({ phase: 'success', id: submitted.id });
		expect(state.output).toEqual(sim.jobs.get(submitted.id)?.output);
		expect(requestedPaths()).toContain(`/api/v6/whisper/fetch/${submitted.id}`);
		expect(requestedPaths()).not.toContain(`/api/v6/voice/fetch/${submitted.id}`);
	});

	it("a fetch_result on ModelsLab's own host is read under the Base URL (a proxy stays in front)", async () => {
		sim.plan({ fetchResultPath: '/v6/whisper/fetch', hold: true });
		const submitted = await submit(tts, ttsBody);
		await sim.completeJob(submitted.id);
		const state = await read(tts, submitted.id, {
			fetchResult: `https://modelslab.com/api/v6/whisper/fetch/${submitted.id}`,
		});
		expect(state.phase).toBe('success');
		expect(requestedPaths()).toContain(`/api/v6/whisper/fetch/${submitted.id}`);
	});

	describe('on another host', () => {
		let stranger: StubServer;
		beforeAll(async () => {
			stranger = await startStubServer((_request, response) => response.end('{}'));
		});
		afterAll(async () => await stranger.stop());

		it('is not used: the job is read at the catalog path and the key never goes there', async () => {
			sim.plan({ hold: true });
			const submitted = await submit(text2img, imageBody);
			await sim.completeJob(submitted.id);
			const state = await read(text2img, submitted.id, {
				fetchResult: `${stranger.origin}/api/v6/images/fetch/${submitted.id}`,
			});
			expect(state.phase).toBe('success');
			expect(requestedPaths()).toContain(`/api/v6/images/fetch/${submitted.id}`);
			expect(stranger.requests).toEqual([]);
		});
	});
});

it('a submit answered with id: null takes the id from fetch_result, and the job reads back', async () => {
	sim.plan({ submitIdNull: true, hold: true });
	const submitted = await submit(text2img, imageBody);
	const [job] = [...sim.jobs.values()];
	expect(submitted).toMatchObject({ phase: 'pending', id: job.id });
	await sim.completeJob(job.id);
	const state = await read(text2img, submitted.id, { submitted });
	expect(state).toMatchObject({ phase: 'success', id: job.id, output: job.output });
});

describe('a success with an empty output', () => {
	it('takes its files from future_links (a fetch, and the submit state carries over)', async () => {
		sim.plan({ emptyOutput: 'futureLinks', hold: true });
		const submitted = await submit(text2img, imageBody);
		await sim.completeJob(submitted.id);
		const files = sim.jobs.get(submitted.id)?.output;
		expect(files?.length).toBeGreaterThan(0);
		expect((await read(text2img, submitted.id)).output).toEqual(files);
		expect((await read(text2img, submitted.id, { submitted })).output).toEqual(files);
	});

	it('an instant answer takes them from future_links too', async () => {
		sim.plan({ emptyOutput: 'futureLinks', instant: true });
		const state = await submit(text2img, imageBody);
		expect(state.phase).toBe('success');
		expect(state.output).toEqual(sim.jobs.get(state.id)?.output);
	});

	it('without future_links, from proxy_links', async () => {
		sim.plan({ emptyOutput: 'proxyLinks', hold: true });
		const submitted = await submit(text2img, imageBody);
		await sim.completeJob(submitted.id);
		expect((await read(text2img, submitted.id)).output).toEqual(sim.jobs.get(submitted.id)?.output);
	});

	it('a callback with an empty output and future_links has them as its output', () => {
		const parsed = parseCallback({
			status: 'success',
			id: 5,
			output: [],
			future_links: ['https://pub-1.r2.dev/a.png'],
			track_id: 't',
		});
		expect(parsed).toMatchObject({
			ok: true,
			callback: { output: ['https://pub-1.r2.dev/a.png'] },
		});
	});
});

describe("ModelsLab's words from `error`", () => {
	it('an HTTP 200 error whose text is in `error`', async () => {
		sim.plan({ http200Error: 'Model not found: nope', errorField: 'error' });
		await expect(submit(text2img, imageBody)).rejects.toThrow('ModelsLab: Model not found: nope');
	});

	it('an HTTP 400 whose text is in `error`', async () => {
		sim.plan({ httpStatus: 400, errorMessage: 'width must be at most 1024', errorField: 'error' });
		await expect(submit(text2img, imageBody)).rejects.toThrow(
			'ModelsLab: width must be at most 1024',
		);
	});

	it('a failed callback whose text is in `error`', () => {
		const parsed = parseCallback({ status: 'failed', id: 5, error: 'GPU out of memory' });
		expect(parsed).toMatchObject({
			ok: true,
			callback: { phase: 'failed', message: 'GPU out of memory' },
		});
	});
});

describe("a 3D job's extra_assets", () => {
	const body = { prompt: 'a chair', render: true, track_id: '31' };

	it('are kept from the submit answer through the read into the output item', async () => {
		sim.plan({ hold: true });
		const submitted = await submit(text3d, body);
		const job = sim.jobs.get(submitted.id);
		expect(job?.extraAssets).toHaveLength(1);
		expect(submitted.extraAssets).toEqual(job?.extraAssets);
		await sim.completeJob(submitted.id);
		const state = await read(text3d, submitted.id, { submitted });
		expect(resultJson(state, '31')).toMatchObject({
			status: 'success',
			output: job?.output,
			extra_assets: job?.extraAssets,
		});
	});

	it('are downloaded with the outputs when Download Outputs is on', async () => {
		sim.plan({ instant: true });
		const state = await submit(text3d, body);
		const item = await run(async function () {
			return await successItem(this, state, '31', 0, {
				enabled: true,
				binaryPropertyName: 'data',
				maxBytes: 10_000_000,
			});
		});
		expect(Object.keys(item.binary ?? {})).toEqual(['data', 'data_1']);
		expect(item.binary?.data_1?.mimeType).toBe('video/mp4');
		expect(item.json.extra_assets).toEqual(sim.jobs.get(state.id)?.extraAssets);
	});

	it('a job of another family has no extra_assets field (its items keep their shape)', async () => {
		sim.plan({ instant: true });
		expect(resultJson(await submit(text2img, imageBody), 'x')).not.toHaveProperty('extra_assets');
	});
});

describe('Workflows callbacks: the documented shapes', () => {
	const files = ['https://cdn.modelslab.com/generated/image1.png'];
	it.each([
		[
			'webhooks.mdx: execution.output_data.images',
			{
				event: 'workflow.completed',
				workflow: { id: 'wf_abc123', name: 'My Image Pipeline', user_id: 12345 },
				execution: { id: 'exec_xyz789', status: 'completed', output_data: { images: files } },
			},
		],
		[
			'workflows-api/overview.mdx: output.output',
			{
				event: 'workflow.completed',
				execution_id: 12345,
				status: 'completed',
				output: { output: files },
			},
		],
		[
			'execution.output_data.output',
			{
				event: 'workflow.completed',
				execution: { id: 7, status: 'completed', output_data: { output: files } },
			},
		],
		[
			'execution.output_data with a list of another name',
			{
				event: 'workflow.completed',
				execution: { id: 7, status: 'completed', output_data: { videos: files } },
			},
		],
	])('%s', (_shape, body) => {
		expect(parseCallback(body)).toMatchObject({
			ok: true,
			callback: { kind: 'workflowRun', phase: 'success', output: files },
		});
	});
});

it("a Workflows run read back keeps ModelsLab's record beside the common fields", async () => {
	const runEndpoint = submitEndpoint('workflow', 'run');
	const submitted = await run(async function () {
		return await submitJob.call(
			this,
			runEndpoint,
			{ prompt: 'A sunset' },
			{ workflow_id: 'wf-1' },
			0,
		);
	});
	let state: JobState | undefined;
	for (let attempt = 0; attempt < 50 && state?.phase !== 'success'; attempt++) {
		await new Promise((resolve) => setTimeout(resolve, 50));
		state = await run(async function () {
			return await fetchJob.call(this, 'workflowRun', runEndpoint.fetchPath, {
				workflow_id: 'wf-1',
				id: submitted.id,
			});
		});
	}
	const json = recordJson(state as JobState, '');
	expect(json).toMatchObject({
		status: 'success',
		id: submitted.id,
		output: sim.jobs.get(submitted.id)?.output,
		execution: { status: 'completed', workflow_id: 'wf-1' },
		steps: [],
	});
	expect((json.execution as IDataObject).completed_at).toEqual(expect.any(String));
});

describe('face swap under /v6/faceswap or /v6/deepfake', () => {
	it('where only /v6/deepfake answers, the submit and the read fall back to it', async () => {
		sim.setFaceSwapPaths(['deepfake']);
		sim.plan({ hold: true });
		const submitted = await submit(faceSwap, faceSwapBody);
		expect(submitted.fetchResult).toBe(`${sim.origin}/api/v6/deepfake/fetch/${submitted.id}`);
		await sim.completeJob(submitted.id);
		// A read that knows nothing of the submit (the trigger's verification, Get Result).
		const state = await read(faceSwap, submitted.id);
		expect(state.phase).toBe('success');
		expect(sim.requests.map((request) => `${request.status} ${request.path}`)).toEqual([
			'404 /api/v6/faceswap/single_face_swap',
			'200 /api/v6/deepfake/single_face_swap',
			`404 /api/v6/faceswap/fetch/${submitted.id}`,
			`200 /api/v6/deepfake/fetch/${submitted.id}`,
		]);
	});

	it('where /v6/faceswap answers, nothing is sent to /v6/deepfake', async () => {
		sim.setFaceSwapPaths(['faceswap']);
		sim.plan({ instant: true });
		const state = await submit(faceSwap, faceSwapBody);
		expect(state.phase).toBe('success');
		expect(requestedPaths()).toEqual(['/api/v6/faceswap/single_face_swap']);
	});
});
