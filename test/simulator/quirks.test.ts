/**
 * The simulator's quirks over real HTTP (undici): the answer forms ModelsLab's clients and docs
 * show besides the documented ones, and faults of the wire (README "Answer forms and faults").
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { request } from 'undici';

import { startSimulator, type JsonObject, type Simulator } from './index';

let sim: Simulator;
let receiver: Server;
let receiverUrl: string;
const received: JsonObject[] = [];

beforeAll(async () => {
	sim = await startSimulator({ callbackDelayMs: 50 });
	receiver = createServer((incoming, response) => {
		const chunks: Buffer[] = [];
		incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
		incoming.on('end', () => {
			received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonObject);
			response.writeHead(200).end('ok');
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
	await sim.stop();
	await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(() => {
	sim.reset();
	received.length = 0;
});

interface Answer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	body: JsonObject;
}

async function post(path: string, body: JsonObject): Promise<Answer> {
	const response = await request(`${sim.origin}/api${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ key: sim.apiKey, ...body }),
	});
	const text = await response.body.text();
	let parsed: JsonObject = {};
	try {
		parsed = JSON.parse(text) as JsonObject;
	} catch {
		// an HTML page
	}
	return { status: response.statusCode, headers: response.headers, text, body: parsed };
}

const image = { model_id: 'flux', prompt: 'a cat', width: 512, height: 512 };
const faceSwap = {
	init_image: 'https://example.com/a.jpg',
	target_image: 'https://example.com/b.jpg',
	reference_image: 'https://example.com/c.jpg',
};

describe('rate limits in every form', () => {
	it('429 with retry_after in the body (the documented form)', async () => {
		sim.plan({ rateLimit: { retryAfter: 3 } });
		const answer = await post('/v6/images/text2img', image);
		expect(answer).toMatchObject({ status: 429, body: { status: 'error', retry_after: 3 } });
	});

	it('HTTP 200 {status: "error", retry_after}', async () => {
		sim.plan({ rateLimit: { retryAfter: 3, form: 'http200' } });
		const answer = await post('/v6/images/text2img', image);
		expect(answer).toMatchObject({ status: 200, body: { status: 'error', retry_after: 3 } });
		expect(sim.stats()).toMatchObject({ rateLimited: 1, accepted: 0 });
	});

	it('429 with the wait only in Retry-After, as seconds or as a date', async () => {
		sim.plan({ rateLimit: { retryAfter: 2, form: 'retryAfterHeader' } });
		const seconds = await post('/v6/images/text2img', image);
		expect(seconds.status).toBe(429);
		expect(seconds.body).not.toHaveProperty('retry_after');
		expect(seconds.headers['retry-after']).toBe('2');
		// The planned entry applies to the next accepted submit: start afresh.
		sim.reset();
		sim.plan({ rateLimit: { retryAfter: 60, form: 'retryAfterDate' } });
		const date = await post('/v6/images/text2img', image);
		const at = Date.parse(String(date.headers['retry-after']));
		expect(at - Date.now()).toBeGreaterThan(55_000);
	});

	it('429 with only X-RateLimit-Reset (epoch seconds)', async () => {
		sim.plan({ rateLimit: { retryAfter: 10, form: 'rateLimitReset' } });
		const answer = await post('/v6/images/text2img', image);
		const reset = Number(answer.headers['x-ratelimit-reset']);
		expect(reset - Date.now() / 1000).toBeGreaterThan(8);
		expect(answer.body).not.toHaveProperty('retry_after');
	});
});

it('error texts in `error`', async () => {
	sim.plan({ httpStatus: 400, errorMessage: 'bad width', errorField: 'error' });
	expect((await post('/v6/images/text2img', image)).body).toEqual({
		status: 'error',
		error: 'bad width',
	});
	sim.plan({ http200Error: 'no credits', errorField: 'error' });
	expect(await post('/v6/images/text2img', image)).toMatchObject({
		status: 200,
		body: { status: 'error', error: 'no credits' },
	});
});

it('id: null with the id only in fetch_result', async () => {
	sim.plan({ submitIdNull: true });
	const answer = await post('/v6/images/text2img', image);
	const [job] = [...sim.jobs.values()];
	expect(answer.body).toMatchObject({
		status: 'processing',
		id: null,
		fetch_result: `${sim.origin}/api/v6/images/fetch/${job.id}`,
	});
});

it('fetch_result at another path family, served there only', async () => {
	sim.plan({ fetchResultPath: '/v6/whisper/fetch' });
	const answer = await post('/v6/voice/text_to_speech', {
		prompt: 'Hi',
		language: 'american english',
		voice_id: 'madison',
	});
	const id = String(answer.body.id);
	expect(answer.body.fetch_result).toBe(`${sim.origin}/api/v6/whisper/fetch/${id}`);
	expect((await post(`/v6/whisper/fetch/${id}`, {})).body.status).toBe('processing');
	expect((await post(`/v6/voice/fetch/${id}`, {})).body).toEqual({
		status: 'error',
		message: `Request not found: ${id}`,
	});
});

it('a success with an empty output and the files in future_links', async () => {
	sim.plan({ emptyOutput: 'futureLinks', hold: true });
	const id = String(
		(await post('/v6/images/text2img', { ...image, webhook: receiverUrl })).body.id,
	);
	await sim.completeJob(id);
	const files = sim.jobs.get(id)?.output;
	expect((await post(`/v6/images/fetch/${id}`, {})).body).toMatchObject({
		status: 'success',
		output: [],
		future_links: files,
	});
	expect(received[0]).toMatchObject({ status: 'success', output: [], future_links: files });
});

it('a 3D job asked to render names its video in extra_assets, and serves it once done', async () => {
	sim.plan({ hold: true });
	const answer = await post('/v6/3d/text_to_3d', {
		prompt: 'a chair',
		render: true,
		webhook: receiverUrl,
	});
	const id = String(answer.body.id);
	const [video] = answer.body.extra_assets as string[];
	expect(video).toBe(`${sim.origin}/files/${id}-1.mp4`);
	await sim.completeJob(id);
	expect(received[0]).toMatchObject({ status: 'success', extra_assets: [video] });
	const file = await request(video);
	expect(file.statusCode).toBe(200);
	expect(file.headers['content-type']).toBe('video/mp4');
	await file.body.arrayBuffer();
	const plain = await post('/v6/3d/text_to_3d', { prompt: 'a chair' });
	expect(plain.body.extra_assets).toEqual([]);
});

it('extraAssetsOnlyWhileProcessing: only the submit names the render video, not the success answers', async () => {
	sim.plan({ hold: true, extraAssetsOnlyWhileProcessing: true });
	const answer = await post('/v6/3d/text_to_3d', {
		prompt: 'a chair',
		render: true,
		webhook: receiverUrl,
	});
	const id = String(answer.body.id);
	expect(answer.body.extra_assets).toEqual([`${sim.origin}/files/${id}-1.mp4`]);
	await sim.completeJob(id);
	expect(received[0]).toMatchObject({ status: 'success', id: Number(id) });
	expect(received[0]).not.toHaveProperty('extra_assets');
	const fetched = await post(`/v6/3d/fetch/${id}`, {});
	expect(fetched.body.status).toBe('success');
	expect(fetched.body).not.toHaveProperty('extra_assets');
});

describe('face swap under /v6/faceswap and /v6/deepfake', () => {
	it('both answer by default; fetch_result names the family the job came in under', async () => {
		const deepfake = await post('/v6/deepfake/single_face_swap', faceSwap);
		expect(deepfake.body.fetch_result).toBe(
			`${sim.origin}/api/v6/deepfake/fetch/${String(deepfake.body.id)}`,
		);
		const id = String(deepfake.body.id);
		expect((await post(`/v6/faceswap/fetch/${id}`, {})).body.status).toBe('processing');
		expect((await post(`/v6/deepfake/fetch/${id}`, {})).body.status).toBe('processing');
	});

	it('setFaceSwapPaths leaves one family; the other answers 404, until reset()', async () => {
		sim.setFaceSwapPaths(['faceswap']);
		expect((await post('/v6/deepfake/single_face_swap', faceSwap)).status).toBe(404);
		const answer = await post('/v6/faceswap/single_face_swap', faceSwap);
		expect(answer.status).toBe(200);
		expect((await post(`/v6/deepfake/fetch/${String(answer.body.id)}`, {})).status).toBe(404);
		sim.reset();
		expect((await post('/v6/deepfake/single_face_swap', faceSwap)).status).toBe(200);
	});

	it('faceSwapPaths takes only the two families', () => {
		expect(() => sim.setFaceSwapPaths(['swap' as never])).toThrow(RangeError);
	});
});

describe('a submit whose answer is lost', () => {
	it('a 502 HTML page, with and without the job', async () => {
		sim.plan({ gatewayError: { status: 502, jobCreated: true } });
		const created = await post('/v6/images/text2img', image);
		expect(created.status).toBe(502);
		expect(created.text).toContain('<html>');
		expect(sim.jobs.size).toBe(1);
		sim.plan({ gatewayError: { status: 502, jobCreated: false } });
		expect((await post('/v6/images/text2img', image)).status).toBe(502);
		expect(sim.jobs.size).toBe(1);
	});

	it('a submit that hangs: the job exists before any answer', async () => {
		sim.plan({ hangMs: 400 });
		const started = Date.now();
		const answer = post('/v6/images/text2img', image);
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(sim.jobs.size).toBe(1);
		expect((await answer).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(350);
	});

	it('a connection reset: the job exists, the request is recorded with status 0', async () => {
		sim.plan({ resetConnection: true });
		await expect(post('/v6/images/text2img', image)).rejects.toThrow();
		expect(sim.jobs.size).toBe(1);
		expect(sim.requests.at(-1)?.status).toBe(0);
	});

	it("503 with ModelsLab's JSON", async () => {
		sim.plan({ httpStatus: 503 });
		expect(await post('/v6/images/text2img', image)).toMatchObject({
			status: 503,
			body: { status: 'error', message: 'Service temporarily unavailable' },
		});
	});
});

it('planned fetch faults hit the next fetches in order, then fetches answer again', async () => {
	// Held, so the last fetch finds it running however slow the machine is.
	sim.plan({ hold: true });
	const id = String((await post('/v6/images/text2img', image)).body.id);
	sim.planFetch({ httpStatus: 502, htmlPage: true });
	sim.planFetch({ rateLimit: { retryAfter: 2, form: 'retryAfterHeader' } });
	sim.planFetch({ http200Error: 'failed' });
	expect((await post(`/v6/images/fetch/${id}`, {})).status).toBe(502);
	expect((await post(`/v6/images/fetch/${id}`, {})).headers['retry-after']).toBe('2');
	expect((await post(`/v6/images/fetch/${id}`, {})).body).toEqual({
		status: 'error',
		message: 'failed',
	});
	expect((await post(`/v6/images/fetch/${id}`, {})).body.status).toBe('processing');
	expect(sim.stats().fetches).toBe(4);
});

it("a Workflows run's callback in the webhooks page's shape", async () => {
	sim.setWorkflowWebhook('wf-9', receiverUrl);
	sim.plan({ workflowCallbackShape: 'webhooksPage' });
	const response = await request(`${sim.origin}/api/v1/workflows/wf-9/run`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', key: sim.apiKey },
		body: JSON.stringify({ prompt: 'A sunset' }),
	});
	const run = (await response.body.json()) as JsonObject;
	await sim.waitForCallbacks(1);
	expect(received[0]).toMatchObject({
		event: 'workflow.completed',
		workflow: { id: 'wf-9' },
		execution: {
			id: run.execution_id,
			status: 'completed',
			output_data: { images: sim.jobs.get(String(run.execution_id))?.output },
		},
	});
});
