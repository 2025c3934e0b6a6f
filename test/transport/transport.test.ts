import { NodeApiError, type IDataObject } from 'n8n-workflow';

import { getEndpoint } from '../../nodes/shared/catalog';
import { downloadOutput } from '../../nodes/shared/transport/download';
import { fetchJob, submitJob } from '../../nodes/shared/transport/jobs';
import type { JobState } from '../../nodes/shared/transport/jobState';
import { modelsLabRequest } from '../../nodes/shared/transport/request';
import { inNodeContext } from '../support/probe';
import { startSimulator, type Simulator } from '../simulator';

/** The transport against the simulator over real HTTP, inside a real n8n ExecuteContext. */
let sim: Simulator;
let credentials: { apiKey: string; baseUrl: string };

beforeAll(async () => {
	sim = await startSimulator({ callbackDelayMs: 200 });
	credentials = { apiKey: sim.apiKey, baseUrl: sim.baseUrl };
});
afterAll(async () => await sim.stop());
beforeEach(() => sim.reset());

const text2img = getEndpoint('image', 'text2img');
if (text2img.type !== 'submit') throw new Error('text2img must be a submit endpoint');
const body = {
	model_id: 'flux',
	prompt: 'a red apple',
	width: 512,
	height: 512,
	samples: 1,
	track_id: 'abc',
};

async function run<T>(fn: Parameters<typeof inNodeContext<T>>[1], withCredentials = credentials) {
	return await inNodeContext<T>(withCredentials, fn);
}

describe('submit and fetch', () => {
	it('submits with the key in the body, answers processing with a string id, fetch goes "" → success', async () => {
		const submitted = await run(async function () {
			return await submitJob.call(this, text2img, body, {}, 0);
		});
		expect(submitted.error).toBeUndefined();
		const state = submitted.result as JobState;
		expect(state).toMatchObject({ kind: 'generation', phase: 'pending', output: [] });
		expect(state.id).toMatch(/^\d{9,}$/);
		expect(typeof state.eta).toBe('number');
		expect(state.fetchResult).toContain(`/api/v6/images/fetch/${state.id}`);
		expect(JSON.stringify(state)).not.toContain(sim.apiKey);

		const request = sim.requests.find((entry) => entry.path === '/api/v6/images/text2img');
		expect(request?.status).toBe(200);
		expect(request?.body).toMatchObject({ key: '***', model_id: 'flux', track_id: 'abc' });

		const running = await run(async function () {
			return await fetchJob.call(this, 'generation', text2img.fetchPath, { id: state.id });
		});
		expect(running.result).toMatchObject({ phase: 'pending', output: [], id: state.id });

		await sim.completeJob(state.id);
		const done = await run(async function () {
			return await fetchJob.call(this, 'generation', text2img.fetchPath, { id: state.id });
		});
		expect(done.result?.phase).toBe('success');
		expect(done.result?.output[0]).toMatch(new RegExp(`/files/${state.id}-0\\.png$`));
	});

	it('an instant success comes back finished', async () => {
		sim.plan({ instant: true });
		const { result } = await run(async function () {
			return await submitJob.call(this, text2img, body, {}, 0);
		});
		expect(result?.phase).toBe('success');
		expect(result?.output).toHaveLength(1);
		expect(JSON.stringify(result?.raw)).not.toContain(sim.apiKey);
	});

	it("a failed job reads back as failed with ModelsLab's message", async () => {
		sim.plan({ outcome: 'failed', errorMessage: 'out of GPU memory', hold: true });
		const { result } = await run(async function () {
			return await submitJob.call(this, text2img, body, {}, 0);
		});
		await sim.completeJob(String(result?.id), 'failed');
		const read = await run(async function () {
			return await fetchJob.call(this, 'generation', text2img.fetchPath, { id: result?.id });
		});
		expect(read.result).toMatchObject({ phase: 'failed' });
		expect(read.result?.message).toContain('out of GPU memory');
	});
});

describe('errors', () => {
	it('HTTP 200 with status "error" and the legacy "messege" spelling becomes a NodeApiError', async () => {
		sim.plan({ http200Error: 'Model not found: nope' });
		const { error } = await run(async function () {
			return await submitJob.call(this, text2img, body, {}, 0);
		});
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error?.message).toBe('ModelsLab: Model not found: nope');
	});

	it("a missing required field answers the API's own message", async () => {
		const { error } = await run(async function () {
			return await modelsLabRequest.call(this, {
				method: 'POST',
				path: '/v6/images/text2img',
				body: { model_id: 'flux' },
			});
		});
		expect(error?.message).toBe('ModelsLab: prompt is required');
	});

	it('a wrong key gives 401 with the fix, and the key appears nowhere in the error', async () => {
		const wrongKey = 'sk-wrong-0123456789';
		const { error } = await run(
			async function () {
				return await submitJob.call(this, text2img, body, {}, 0);
			},
			{ ...credentials, apiKey: wrongKey },
		);
		const apiError = error as NodeApiError;
		expect(apiError.httpCode).toBe('401');
		expect(apiError.description).toMatch(/check the API key in the ModelsLab credential/);
		const everything = JSON.stringify({
			...apiError,
			message: apiError.message,
			description: apiError.description,
			stack: apiError.stack,
		});
		expect(everything).not.toContain(wrongKey);
	});

	it.each([
		[402, /credits/],
		[403, /plan/],
		[404, /request id and the Base URL/],
	])('HTTP %s carries a hint', async (status, hint) => {
		sim.plan({ httpStatus: status, errorMessage: `status ${status}` });
		const { error } = await run(async function () {
			return await submitJob.call(this, text2img, body, {}, 0);
		});
		expect(error?.message).toBe(`ModelsLab: status ${status}`);
		expect((error as NodeApiError).description).toMatch(hint);
	});

	it('429 is retried after retry_after, then succeeds', async () => {
		sim.plan({ rateLimit: { retryAfter: 1, times: 2 } });
		const started = Date.now();
		const { result, error } = await run(async function () {
			return await submitJob.call(this, text2img, body, {}, 0);
		});
		expect(error).toBeUndefined();
		expect(result?.phase).toBe('pending');
		expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
		expect(
			sim.requests
				.filter((entry) => entry.path === '/api/v6/images/text2img')
				.map((entry) => entry.status),
		).toEqual([429, 429, 200]);
	});

	it('429 beyond the bounded retries fails with the queue-limit hint', async () => {
		sim.plan({ rateLimit: { retryAfter: 0.1, times: 10 } });
		const { error } = await run(async function () {
			return await submitJob.call(this, text2img, body, {}, 0);
		});
		expect(error?.message).toContain('Rate limit exceeded');
		expect((error as NodeApiError).description).toMatch(/queue limit/);
		expect(sim.requests.filter((entry) => entry.path === '/api/v6/images/text2img')).toHaveLength(
			4,
		);
	});

	it('an unreachable base URL names the URL, not the key', async () => {
		const { error } = await run(
			async function () {
				return await submitJob.call(this, text2img, body, {}, 0);
			},
			{ ...credentials, baseUrl: 'http://127.0.0.1:9/api' },
		);
		expect(error?.message).toMatch(
			/could not reach http:\/\/127\.0\.0\.1:9\/api\/v6\/images\/text2img/,
		);
		expect(JSON.stringify(error)).not.toContain(sim.apiKey);
	});
});

describe('training and workflows', () => {
	it('reads training states until model_ready', async () => {
		const lora = getEndpoint('training', 'lora_fine_tune');
		if (lora.type !== 'submit') throw new Error('submit expected');
		const { result } = await run(async function () {
			return await submitJob.call(
				this,
				lora,
				{
					instance_prompt: 'photo of ambika0 man',
					class_prompt: 'photo of a man',
					images: ['https://example.com/1.png'],
					training_type: 'men',
					max_train_steps: '2',
				},
				{},
				0,
			);
		});
		expect(result).toMatchObject({
			kind: 'training',
			phase: 'pending',
			trainingStatus: 'deploying_gpu',
		});
		expect(result?.id).toMatch(/^[A-Za-z0-9]{10}$/);
		const seen: string[] = [];
		let state: JobState | undefined;
		for (let attempt = 0; attempt < 100 && state?.phase !== 'success'; attempt++) {
			await new Promise((resolve) => setTimeout(resolve, 50));
			state = (
				await run(async function () {
					return await fetchJob.call(this, 'training', lora.fetchPath, { id: result?.id });
				})
			).result;
			if (state?.trainingStatus && seen[seen.length - 1] !== state.trainingStatus)
				seen.push(state.trainingStatus);
		}
		expect(state).toMatchObject({
			phase: 'success',
			trainingStatus: 'model_ready',
			id: result?.id,
		});
		// Every intermediate state read back is pending, not terminal.
		expect(seen[seen.length - 1]).toBe('model_ready');
		expect(seen.length).toBeGreaterThan(1);
	});

	it('runs a workflow with the key in a header and reads the run', async () => {
		const runEndpoint = getEndpoint('workflow', 'run');
		if (runEndpoint.type !== 'submit') throw new Error('submit expected');
		const { result, error } = await run(async function () {
			return await submitJob.call(
				this,
				runEndpoint,
				{ prompt: 'A sunset' },
				{ workflow_id: 'wf-1' },
				0,
			);
		});
		expect(error).toBeUndefined();
		expect(result).toMatchObject({ kind: 'workflowRun', phase: 'pending' });
		const request = sim.requests.find((entry) => entry.path === '/api/v1/workflows/wf-1/run');
		expect(request?.headers.key).toBe('***');
		let state: JobState | undefined;
		for (let attempt = 0; attempt < 40 && state?.phase !== 'success'; attempt++) {
			await new Promise((resolve) => setTimeout(resolve, 100));
			state = (
				await run(async function () {
					return await fetchJob.call(this, 'workflowRun', runEndpoint.fetchPath, {
						workflow_id: 'wf-1',
						id: result?.id,
					});
				})
			).result;
		}
		expect(state).toMatchObject({ phase: 'success', id: result?.id });
		expect(state?.output.length).toBeGreaterThan(0);
	});
});

describe('downloads', () => {
	it('downloads a real output into n8n binary data, with name and MIME type, without the key', async () => {
		sim.plan({ instant: true });
		const submitted = await run(async function () {
			return await submitJob.call(this, text2img, body, {}, 0);
		});
		const url = String(submitted.result?.output[0]);
		const { result, error } = await run(async function () {
			return await downloadOutput.call(this, url, 'fallback', {
				maxBytes: 1_000_000,
				timeoutMs: 10_000,
			});
		});
		expect(error).toBeUndefined();
		expect(result).toMatchObject({ mimeType: 'image/png', fileName: url.split('/').pop() });
		const fileRequest = sim.requests.find((entry) => entry.path.startsWith('/files/'));
		expect(JSON.stringify(fileRequest?.headers ?? {})).not.toMatch(/\bkey\b/);
		expect(JSON.stringify(fileRequest?.body ?? {})).not.toContain('key');
	});

	it('refuses an output over the size cap', async () => {
		sim.plan({ instant: true });
		const submitted = await run(async function () {
			return await submitJob.call(this, text2img, body, {}, 0);
		});
		const { error } = await run(async function () {
			return await downloadOutput.call(this, String(submitted.result?.output[0]), 'f', {
				maxBytes: 10,
				timeoutMs: 10_000,
			});
		});
		expect(error?.message).toMatch(/is larger than the download limit/);
	});
});

it('never sends the key anywhere but ModelsLab requests', () => {
	const leaked = sim.callbacks.filter((callback) =>
		JSON.stringify(callback.body as IDataObject).includes(sim.apiKey),
	);
	expect(leaked).toEqual([]);
});
