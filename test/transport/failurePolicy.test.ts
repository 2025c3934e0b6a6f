import { NodeApiError, type IDataObject } from 'n8n-workflow';

import { getEndpoint } from '../../nodes/shared/catalog';
import type { SubmitEndpointSpec } from '../../nodes/shared/catalog/types';
import {
	JobNotFoundError,
	QueueFullError,
	ReadFailedError,
	SubmitOutcomeUnknownError,
} from '../../nodes/shared/transport/errors';
import { fetchJob, submitJob, type CallOptions } from '../../nodes/shared/transport/jobs';
import type { JobState } from '../../nodes/shared/transport/jobState';
import { executeContext, fakeApi, testNode } from '../support/mockContexts';
import { inNodeContext } from '../support/probe';
import { startSimulator, type Simulator } from '../simulator';

/**
 * The transport's failure policy (transport/errors.ts, submitPolicy.ts, readPolicy.ts): what a
 * submit retries and what it never repeats, what a read reports, against the simulator over real
 * HTTP inside a real n8n ExecuteContext.
 */
let sim: Simulator;
let credentials: { apiKey: string; baseUrl: string };

beforeAll(async () => {
	sim = await startSimulator({ callbackDelayMs: 100 });
	credentials = { apiKey: sim.apiKey, baseUrl: sim.baseUrl };
});
afterAll(async () => await sim.stop());
beforeEach(() => sim.reset());

const text2img = getEndpoint('image', 'text2img') as SubmitEndpointSpec;
const body = { model_id: 'flux', prompt: 'a red apple', width: 512, height: 512, track_id: 'tr-9' };

async function outcome<T>(fn: Parameters<typeof inNodeContext<T>>[1]) {
	const { result, error } = await inNodeContext<T>(credentials, fn);
	return { result, error };
}

async function submit(options: CallOptions = {}) {
	return await outcome(async function () {
		return await submitJob.call(this, text2img, body, {}, 0, options);
	});
}

async function read(id: string, fetchPath = text2img.fetchPath) {
	return await outcome(async function () {
		return await fetchJob.call(this, 'generation', fetchPath, { id }, 0);
	});
}

function submitStatuses(): number[] {
	return sim.requests
		.filter((request) => request.path === '/api/v6/images/text2img')
		.map((request) => request.status);
}

function fetchCount(): number {
	return sim.requests.filter((request) => request.path.includes('/fetch/')).length;
}

describe('submits: what created no job is tried again', () => {
	it('HTTP 503 twice, then the job is accepted', async () => {
		sim.plan({ httpStatus: 503 }, 2);
		const { result, error } = await submit();
		expect(error).toBeUndefined();
		expect(result?.phase).toBe('pending');
		expect(submitStatuses()).toEqual([503, 503, 200]);
		expect(sim.stats().accepted).toBe(1);
	});

	it("HTTP 500 with ModelsLab's JSON error, then the job is accepted", async () => {
		sim.plan({ httpStatus: 500 });
		const { result } = await submit();
		expect(result?.phase).toBe('pending');
		expect(submitStatuses()).toEqual([500, 200]);
	});

	it('an HTTP 200 rate limit {status: "error", retry_after} is waited out, then accepted', async () => {
		sim.plan({ rateLimit: { retryAfter: 1, form: 'http200' } });
		const { result } = await submit();
		expect(result?.phase).toBe('pending');
		expect(submitStatuses()).toEqual([200, 200]);
		expect(sim.stats()).toMatchObject({ accepted: 1, rateLimited: 1 });
	});

	it('a 429 whose wait is only in Retry-After: 1 is tried again after about 1 s each time', async () => {
		sim.plan({ rateLimit: { retryAfter: 1, times: 2, form: 'retryAfterHeader' } });
		const { result } = await submit();
		expect(result?.phase).toBe('pending');
		const submits = sim.requests.filter((request) => request.path === '/api/v6/images/text2img');
		expect(submits.map((request) => request.status)).toEqual([429, 429, 200]);
		// ModelsLab asked for 1 s; the transport's own default (5 s) is not what it waits.
		for (const [index, request] of submits.slice(1).entries()) {
			const waited = request.receivedAt - submits[index].receivedAt;
			expect(waited).toBeGreaterThanOrEqual(900);
			expect(waited).toBeLessThan(3000);
		}
	});

	it.each([
		['body', 2],
		['http200', 2],
		['retryAfterHeader', 2],
		['retryAfterDate', 2],
		['rateLimitReset', 2],
	] as const)(
		'a pacing caller gets the wait of a %s rate limit in QueueFullError, at once',
		async (form, seconds) => {
			sim.plan({ rateLimit: { retryAfter: seconds, form } });
			const { error } = await submit({ onQueueFull: 'report' });
			expect(error).toBeInstanceOf(QueueFullError);
			const wait = (error as QueueFullError).retryAfterSeconds;
			// An HTTP date and epoch seconds are whole seconds: within one of what was asked.
			expect(wait).toBeGreaterThanOrEqual(seconds - 1);
			expect(wait).toBeLessThanOrEqual(seconds + 1);
			expect((error as QueueFullError).error.message).toContain('Rate limit exceeded');
			expect(submitStatuses()).toHaveLength(1);
		},
	);
});

describe('submits: an outcome that is unknown is never repeated', () => {
	it.each([
		['a 502 HTML page, the job created', { gatewayError: { status: 502, jobCreated: true } }, 1],
		['a 502 HTML page, no job created', { gatewayError: { status: 502, jobCreated: false } }, 0],
		['a 504 HTML page', { gatewayError: { status: 504, jobCreated: true } }, 1],
		['a connection reset after the job was created', { resetConnection: true }, 1],
	] as const)('%s: SubmitOutcomeUnknownError naming the track id', async (_case, fault, jobs) => {
		sim.plan(fault);
		const { error } = await submit();
		expect(error).toBeInstanceOf(SubmitOutcomeUnknownError);
		const unknown = error as SubmitOutcomeUnknownError;
		expect(unknown.trackId).toBe('tr-9');
		expect(unknown.error).toBeInstanceOf(NodeApiError);
		expect(unknown.message).toMatch(/may exist and be paid for, so it was not submitted again/);
		expect(unknown.message).toContain('track id "tr-9"');
		expect(
			sim.requests.filter((request) => request.path === '/api/v6/images/text2img'),
		).toHaveLength(1);
		expect(sim.jobs.size).toBe(jobs);
	});

	it('a submit that hangs past the timeout (the job created) is not sent again', async () => {
		sim.plan({ hangMs: 5000 });
		const { error } = await submit({ timeoutMs: 1000 });
		expect(error).toBeInstanceOf(SubmitOutcomeUnknownError);
		expect(error?.message).toContain('no answer came within 1 s after it was sent');
		expect(sim.jobs.size).toBe(1);
		expect(submitStatuses()).toHaveLength(1);
	});

	it("a refused submit (HTTP 400) fails at once with ModelsLab's message, as before", async () => {
		sim.plan({ httpStatus: 400, errorMessage: 'width must be at most 1024' });
		const { error } = await submit();
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error?.message).toBe('ModelsLab: width must be at most 1024');
		expect(submitStatuses()).toEqual([400]);
	});
});

describe('reads: one request, and what it says', () => {
	async function runningJob(): Promise<JobState> {
		sim.plan({ hold: true });
		const { result } = await submit();
		sim.requests.length = 0;
		return result as JobState;
	}

	it('an HTTP 200 {status: "error"} is the job\'s failure with ModelsLab\'s message, not a failed read', async () => {
		const job = await runningJob();
		sim.planFetch({ http200Error: 'NSFW content detected' });
		const { result, error } = await read(job.id);
		expect(error).toBeUndefined();
		expect(result).toMatchObject({ phase: 'failed', id: job.id, message: 'NSFW content detected' });
	});

	it('an answer that says the request is unknown is JobNotFoundError', async () => {
		const { error } = await read('999999999');
		expect(error).toBeInstanceOf(JobNotFoundError);
		expect(error?.message).toContain('Request not found: 999999999');
		expect(fetchCount()).toBe(1);
	});

	it('HTTP 404 is JobNotFoundError', async () => {
		const job = await runningJob();
		sim.planFetch({ httpStatus: 404 });
		const { error } = await read(job.id);
		expect(error).toBeInstanceOf(JobNotFoundError);
		expect((error as JobNotFoundError).error.httpCode).toBe('404');
	});

	it.each([
		['HTTP 500', { httpStatus: 500 }, undefined],
		['a 502 HTML page', { httpStatus: 502, htmlPage: true }, undefined],
		['HTTP 503', { httpStatus: 503 }, undefined],
		['an HTML page with HTTP 200', { httpStatus: 200, htmlPage: true }, undefined],
		['a connection reset', { resetConnection: true }, undefined],
		['a 429 with Retry-After: 3', { rateLimit: { retryAfter: 3, form: 'retryAfterHeader' } }, 3],
		['an HTTP 200 rate limit', { rateLimit: { retryAfter: 2, form: 'http200' } }, 2],
	] as const)('%s is ReadFailedError, not retried by the transport', async (_case, fault, wait) => {
		const job = await runningJob();
		sim.planFetch(fault);
		const { error } = await read(job.id);
		expect(error).toBeInstanceOf(ReadFailedError);
		expect((error as ReadFailedError).retryAfterSeconds).toBe(wait);
		expect((error as ReadFailedError).error).toBeInstanceOf(NodeApiError);
		expect(fetchCount()).toBe(1);
		// The next read finds the job as it stands.
		expect((await read(job.id)).result?.phase).toBe('pending');
	});

	it('a wrong key is a NodeApiError, neither "not found" nor passing', async () => {
		const job = await runningJob();
		const { error } = await inNodeContext(
			{ ...credentials, apiKey: 'sk-wrong-0000' },
			async function () {
				return await fetchJob.call(this, 'generation', text2img.fetchPath, { id: job.id });
			},
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('401');
	});

	it('a Workflows run that does not exist (HTTP 404) is JobNotFoundError', async () => {
		const runEndpoint = getEndpoint('workflow', 'run') as SubmitEndpointSpec;
		const { error } = await outcome(async function () {
			return await fetchJob.call(this, 'workflowRun', runEndpoint.fetchPath, {
				workflow_id: 'wf-1',
				id: '123',
			});
		});
		expect(error).toBeInstanceOf(JobNotFoundError);
	});
});

describe('answers the simulator does not give (scripted)', () => {
	function readWith(
		answer: { statusCode?: number; body: unknown },
		kind: JobState['kind'] = 'generation',
	) {
		const api = fakeApi(() => answer);
		const context = executeContext({
			node: testNode({}),
			items: [{}],
			parameters: {},
			api,
		});
		const path =
			kind === 'workflowRun' ? '/v1/workflows/{workflow_id}/runs/{id}' : '/v6/images/fetch/{id}';
		return fetchJob.call(context, kind, path, { id: '42', workflow_id: 'wf' });
	}

	it('a JSON answer without a status is ReadFailedError naming the field', async () => {
		await expect(readWith({ body: { output: [] } })).rejects.toThrow(ReadFailedError);
		await expect(readWith({ body: { output: [] } })).rejects.toThrow(/field "status" is missing/);
	});

	it("a cancelled Workflows run is failed, with the run's own status kept", async () => {
		const state = await readWith(
			{
				body: {
					status: 'success',
					execution: { id: 42, workflow_id: 'wf', status: 'cancelled' },
					error: 'Cancelled by the user',
				},
			},
			'workflowRun',
		);
		expect(state).toMatchObject({ phase: 'failed', message: 'Cancelled by the user' });
		expect((state.raw.execution as IDataObject).status).toBe('cancelled');
	});

	it('an HTTP 400 that says the request is unknown is JobNotFoundError', async () => {
		await expect(
			readWith({
				statusCode: 400,
				body: { status: 'error', message: 'Invalid request id: 42 does not exist' },
			}),
		).rejects.toThrow(JobNotFoundError);
	});

	it('a failed job whose reason names a missing model is failed, not "not found"', async () => {
		const state = await readWith({ body: { status: 'error', message: 'Model not found: nope' } });
		expect(state).toMatchObject({ phase: 'failed', message: 'Model not found: nope' });
	});
});

describe('a cancelled execution', () => {
	it('stops a submit waiting out a rate limit at once', async () => {
		const api = fakeApi(() => ({
			statusCode: 429,
			body: { status: 'error', message: 'Rate limit exceeded.', retry_after: 30 },
		}));
		const context = executeContext({ node: testNode({}), items: [{}], parameters: {}, api });
		const controller = new AbortController();
		context.getExecutionCancelSignal.mockReturnValue(controller.signal);
		const started = Date.now();
		setTimeout(() => controller.abort(), 200);
		await expect(submitJob.call(context, text2img, body, {}, 0)).rejects.toThrow(
			/cancelled with the execution/,
		);
		expect(Date.now() - started).toBeLessThan(5000);
		expect(api.calls).toHaveLength(1);
	});

	it('a request refused before it was sent (ECONNREFUSED) is tried again after the backoff', async () => {
		const api = fakeApi(() => ({ body: { status: 'processing', id: 77, eta: 5, output: [] } }));
		const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
			code: 'ECONNREFUSED',
		});
		api.httpRequestWithAuthentication.mockRejectedValueOnce(refused);
		const context = executeContext({ node: testNode({}), items: [{}], parameters: {}, api });
		const state = await submitJob.call(context, text2img, body, {}, 0);
		expect(state).toMatchObject({ id: '77', phase: 'pending' });
		expect(api.httpRequestWithAuthentication).toHaveBeenCalledTimes(2);
	});
});
