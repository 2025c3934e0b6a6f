/**
 * The simulator over real HTTP: undici as the client, a node:http receiver for callbacks. No mocks.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Agent, request } from 'undici';

import { crc32 } from './files';
import {
	CATALOGUE_MODELS,
	DEFAULT_WORKFLOW_ID,
	MAX_UPLOAD_BYTES,
	startSimulator,
	TRAINING_STATES,
	V7_OPERATIONS,
	type JsonObject,
	type Simulator,
} from './index';

const SIM_KEY = 'dummy-sim-key-4711';
const DELAY_MS = 80;

interface ApiAnswer {
	status: number;
	body: JsonObject;
}

interface ReceivedCallback {
	url: string;
	headers: IncomingHttpHeaders;
	body: JsonObject;
}

interface Receiver {
	url: string;
	received: ReceivedCallback[];
	/** Status to answer the n-th (0-based) callback with; a promise holds the answer back. */
	answer: (n: number) => number | Promise<number>;
	close(): Promise<void>;
}

function startReceiver(): Promise<Receiver> {
	const received: ReceivedCallback[] = [];
	const server: Server = createServer((incoming, response) => {
		const chunks: Buffer[] = [];
		incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
		incoming.on('end', () => {
			const n = received.length;
			received.push({
				url: incoming.url ?? '',
				headers: incoming.headers,
				body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonObject,
			});
			void Promise.resolve(receiver.answer(n)).then((status) => {
				response.writeHead(status).end('ok');
			});
		});
	});
	const receiver: Receiver = {
		url: '',
		received,
		answer: () => 200,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => {
			receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
			resolve(receiver);
		});
	});
}

const agent = new Agent();
let sim: Simulator;
let receiver: Receiver;

async function call(
	method: 'GET' | 'POST',
	path: string,
	body?: JsonObject,
	headers: Record<string, string> = {},
): Promise<ApiAnswer> {
	const url = path.startsWith('http') ? path : `${sim.baseUrl}${path}`;
	const answer = await request(url, {
		method,
		dispatcher: agent,
		headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: answer.statusCode, body: (await answer.body.json()) as JsonObject };
}

const post = (
	path: string,
	body: JsonObject,
	headers?: Record<string, string>,
): Promise<ApiAnswer> => call('POST', path, body, headers);

async function download(
	url: string,
): Promise<{ status: number; contentType: string; bytes: Buffer }> {
	const answer = await request(url, { dispatcher: agent });
	return {
		status: answer.statusCode,
		contentType: String(answer.headers['content-type']),
		bytes: Buffer.from(await answer.body.arrayBuffer()),
	};
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const text2img = (extra: JsonObject = {}): JsonObject => ({
	key: SIM_KEY,
	model_id: 'flux',
	prompt: 'a red apple',
	width: 512,
	height: 512,
	samples: 1,
	...extra,
});

function omit(body: JsonObject, field: string): JsonObject {
	return Object.fromEntries(Object.entries(body).filter(([name]) => name !== field));
}

function outputsOf(body: JsonObject): string[] {
	const output = body.output;
	if (!Array.isArray(output)) throw new Error(`no output array in ${JSON.stringify(body)}`);
	return output.map(String);
}

beforeAll(async () => {
	sim = await startSimulator({
		apiKey: SIM_KEY,
		callbackDelayMs: DELAY_MS,
		trainingStepDelayMs: 20,
	});
	receiver = await startReceiver();
});

beforeEach(() => {
	sim.reset();
	receiver.received.length = 0;
	receiver.answer = () => 200;
});

afterAll(async () => {
	await sim.stop();
	await receiver.close();
	await agent.close();
});

describe('authentication', () => {
	it('answers 401 for a wrong or missing body key, and for a key sent only as a header', async () => {
		const wrong = await post('/v6/images/text2img', text2img({ key: 'wrong' }));
		expect(wrong).toEqual({ status: 401, body: { status: 'error', message: 'Invalid API key' } });
		const withoutKey = omit(text2img(), 'key');
		expect((await post('/v6/images/text2img', withoutKey)).status).toBe(401);
		expect((await post('/v6/images/text2img', withoutKey, { key: SIM_KEY })).status).toBe(401);
		expect((await post('/v6/video/fetch/123', {})).status).toBe(401);
		expect(sim.jobs.size).toBe(0);
	});

	it('takes the Workflows key from the `key` header only', async () => {
		expect((await post('/v1/workflows/wf-1/run', { prompt: 'x', key: SIM_KEY })).status).toBe(401);
		expect((await post('/v1/workflows/wf-1/run', { prompt: 'x' }, { key: SIM_KEY })).status).toBe(
			202,
		);
	});

	it('uses `messege` on training and utility endpoints (§4)', async () => {
		const answer = await post('/v3/lora_fine_tune', { key: 'wrong' });
		expect(answer).toEqual({ status: 401, body: { status: 'error', messege: 'Invalid API key' } });
		expect(await post('/v6/processing/request_count', { key: SIM_KEY })).toEqual({
			status: 200,
			body: { status: 'success', processing_count: 0 },
		});
	});
});

describe('validation', () => {
	it('reports a missing required field inside HTTP 200', async () => {
		const answer = await post('/v6/images/text2img', omit(text2img(), 'prompt'));
		expect(answer).toEqual({
			status: 200,
			body: { status: 'error', message: 'prompt is required' },
		});
		const controlnet = await post('/v5/controlnet', {
			key: SIM_KEY,
			model_id: 'm',
			controlnet_model: 'canny',
			init_image: 'https://x/i.png',
		});
		expect(controlnet.body).toEqual({ status: 'error', message: 'controlnet_type is required' });
		const training = await post('/v3/lora_fine_tune', {
			key: SIM_KEY,
			instance_prompt: 'p',
			class_prompt: 'c',
			images: ['https://x/1.png'],
			training_type: 'men',
		});
		expect(training.body).toEqual({
			status: 'error',
			messege: 'max_train_steps is required',
			code: 422,
		});
		expect(sim.jobs.size).toBe(0);
	});

	it('checks track_id against the type each endpoint declares', async () => {
		expect((await post('/v6/images/text2img', text2img({ track_id: 42 }))).body).toEqual({
			status: 'error',
			message: 'track_id must be a string',
		});
		expect((await post('/v6/images/text2img', text2img({ track_id: '42' }))).body.status).toBe(
			'processing',
		);
		const tts = {
			key: SIM_KEY,
			prompt: 'Hello',
			language: 'american english',
			voice_id: 'madison',
		};
		expect((await post('/v6/voice/text_to_speech', { ...tts, track_id: '42' })).body).toEqual({
			status: 'error',
			message: 'track_id must be an integer',
		});
		expect((await post('/v6/voice/text_to_speech', { ...tts, track_id: 4.5 })).body.message).toBe(
			'track_id must be an integer',
		);
		expect((await post('/v6/voice/text_to_speech', { ...tts, track_id: 42 })).body.status).toBe(
			'processing',
		);
	});

	it('checks enums, yes/no strings, webhook URLs and conditional requirements', async () => {
		const controlnet = {
			key: SIM_KEY,
			model_id: 'm',
			controlnet_model: 'canny,depth',
			controlnet_type: 'canny',
			init_image: 'https://x/i.png',
		};
		expect((await post('/v5/controlnet', { ...controlnet, auto_hint: true })).body.message).toBe(
			'auto_hint must be "yes" or "no"',
		);
		expect(
			(await post('/v5/controlnet', { ...controlnet, controlnet_type: 'sketch' })).body.message,
		).toMatch(/^controlnet_type must be one of/);
		expect((await post('/v5/controlnet', { ...controlnet, auto_hint: 'yes' })).body.status).toBe(
			'processing',
		);
		const tts = { key: SIM_KEY, prompt: 'Hello', language: 'english', voice_id: 'madison' };
		expect((await post('/v6/voice/text_to_speech', tts)).body.message).toMatch(
			/^language must be one of/,
		);
		expect(
			(await post('/v6/images/text2img', text2img({ webhook: '/relative' }))).body.message,
		).toBe('webhook must be an absolute http(s) URL');
		expect(
			(await post('/v6/images/text2img', text2img({ webhook: 'ftp://x/y' }))).body.status,
		).toBe('error');
		expect((await post('/v6/voice/song_generator', { key: SIM_KEY })).body.message).toBe(
			'lyrics is required when lyrics_generation is false',
		);
		expect(
			(
				await post('/v6/voice/song_generator', {
					key: SIM_KEY,
					lyrics_generation: true,
					prompt: 'pop',
					caption: 'female vocal',
				})
			).body.status,
		).toBe('processing');
		expect(
			(
				await post('/v6/image_editing/img_mixer', {
					key: SIM_KEY,
					prompt: 'p',
					init_image: 'https://x/1.png',
				})
			).body.message,
		).toBe('init_image must be an array of strings');
	});

	it('accepts unknown extra fields, and answers JSON 404/415/400 for bad requests', async () => {
		expect((await post('/v6/images/text2img', text2img({ brand_new_field: 1 }))).body.status).toBe(
			'processing',
		);
		expect(await post('/v6/images/nope', { key: SIM_KEY })).toEqual({
			status: 404,
			body: { status: 'error', message: 'Not found: POST /api/v6/images/nope' },
		});
		const form = await request(`${sim.baseUrl}/v6/images/text2img`, {
			method: 'POST',
			dispatcher: agent,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'key=x',
		});
		expect(form.statusCode).toBe(415);
		await form.body.dump();
		const broken = await request(`${sim.baseUrl}/v6/images/text2img`, {
			method: 'POST',
			dispatcher: agent,
			headers: { 'content-type': 'application/json' },
			body: '{"key":',
		});
		expect(broken.statusCode).toBe(400);
		await broken.body.dump();
	});
});

describe('every submit endpoint accepts the reference minimal body', () => {
	const image = 'https://example.com/in.png';
	// [path, minimal body from docs/modelslab-api.md §3, fetch family, output extension, a required field]
	const cases: readonly (readonly [string, JsonObject, string, string, string])[] = [
		[
			'/v6/images/text2img',
			{ model_id: 'flux', prompt: 'a red apple', width: 512, height: 512, samples: 1 },
			'images',
			'png',
			'model_id',
		],
		[
			'/v6/images/img2img',
			{
				model_id: 'realistic-vision-51',
				prompt: 'women playing tennis',
				init_image: image,
				strength: 0.7,
			},
			'images',
			'png',
			'init_image',
		],
		[
			'/v6/images/img2img',
			{ model_id: 'flux-kontext-dev', prompt: 'make it blue', init_image: image },
			'images',
			'png',
			'prompt',
		],
		[
			'/v6/images/inpaint',
			{
				model_id: 'lazymixv4-inpaint',
				prompt: 'a cat on a bench',
				init_image: image,
				mask_image: image,
			},
			'images',
			'png',
			'mask_image',
		],
		[
			'/v5/controlnet',
			{
				model_id: 'realistic-vision-51',
				controlnet_model: 'canny',
				controlnet_type: 'canny',
				auto_hint: 'yes',
				prompt: 'a house',
				init_image: image,
			},
			'images',
			'png',
			'controlnet_model',
		],
		[
			'/v6/video/text2video',
			{ model_id: 'wan2.2', prompt: 'waves at sunset', num_frames: 25, output_type: 'mp4' },
			'video',
			'mp4',
			'prompt',
		],
		[
			'/v6/video/img2video',
			{ model_id: 'wan2.2', init_image: image },
			'video',
			'mp4',
			'init_image',
		],
		[
			'/v6/video/text2video_ultra',
			{ model_id: 'wan2.2', prompt: 'space station', resolution: 480 },
			'video',
			'mp4',
			'prompt',
		],
		[
			'/v6/video/img2video_ultra',
			{ model_id: 'wan2.2', init_image: image, prompt: 'moving character', resolution: 480 },
			'video',
			'mp4',
			'init_image',
		],
		[
			'/v6/voice/text_to_speech',
			{ prompt: 'Hello', language: 'american english', voice_id: 'madison' },
			'voice',
			'wav',
			'voice_id',
		],
		[
			'/v6/voice/voice_to_voice',
			{ init_audio: 'https://example.com/a.wav', target_audio: 'https://example.com/b.mp3' },
			'voice',
			'wav',
			'target_audio',
		],
		[
			'/v6/voice/music_gen',
			{ prompt: 'tropical house, 96 bpm', duration: 30 },
			'voice',
			'wav',
			'prompt',
		],
		[
			'/v6/voice/song_generator',
			{
				lyrics_generation: true,
				prompt: 'Cantopop love song',
				caption: 'female vocal, synth',
				duration: 120,
			},
			'voice',
			'wav',
			'prompt',
		],
		[
			'/v6/3d/text_to_3d',
			{ prompt: 'a ghost in a bedsheet', output_format: 'glb' },
			'3d',
			'glb',
			'prompt',
		],
		['/v6/3d/image_to_3d', { init_image: image, output_format: 'glb' }, '3d', 'glb', 'init_image'],
		['/v6/image_editing/removebg_mask', { image }, 'image_editing', 'png', 'image'],
		[
			'/v6/image_editing/super_resolution',
			{ init_image: image, scale: 3 },
			'image_editing',
			'png',
			'init_image',
		],
		['/v6/image_editing/outpaint', { image, prompt: 'wider' }, 'image_editing', 'png', 'image'],
		[
			'/v6/image_editing/object_removal',
			{ init_image: image, mask_image: image },
			'image_editing',
			'png',
			'mask_image',
		],
		[
			'/v6/image_editing/mask_creator',
			{ init_image: image, specific_object: 'the ball' },
			'image_editing',
			'png',
			'specific_object',
		],
		[
			'/v6/image_editing/inpaint',
			{ prompt: 'a hat', init_image: image, mask_image: image },
			'image_editing',
			'png',
			'prompt',
		],
		[
			'/v6/image_editing/fashion',
			{ init_image: image, cloth_image: image, cloth_type: 'upper_body' },
			'image_editing',
			'png',
			'cloth_type',
		],
		[
			'/v6/image_editing/head_shot',
			{ prompt: 'headshot', face_image: image },
			'image_editing',
			'png',
			'face_image',
		],
		[
			'/v6/image_editing/flux_headshot',
			{ prompt: 'headshot', face_image: image, seed: null },
			'image_editing',
			'png',
			'seed',
		],
		[
			'/v6/image_editing/face_gen',
			{ prompt: 'portrait', face_image: image },
			'image_editing',
			'png',
			'face_image',
		],
		[
			'/v6/image_editing/img_mixer',
			{ prompt: 'mix', init_image: [image, image] },
			'image_editing',
			'png',
			'init_image',
		],
		[
			'/v6/image_editing/qwen_edit',
			{ prompt: 'edit', init_image: [image] },
			'image_editing',
			'png',
			'init_image',
		],
		['/v6/image_editing/caption', { init_image: image }, 'image_editing', 'png', 'init_image'],
		[
			'/v6/faceswap/single_face_swap',
			{ init_image: image, target_image: image, reference_image: image },
			'faceswap',
			'png',
			'reference_image',
		],
		[
			'/v6/faceswap/multiple_face_swap',
			{ init_image: image, target_image: image },
			'faceswap',
			'png',
			'target_image',
		],
		[
			'/v6/faceswap/single_video_swap',
			{ init_image: image, init_video: 'https://example.com/v.mp4' },
			'faceswap',
			'mp4',
			'init_video',
		],
		[
			'/v6/faceswap/specific_video_swap',
			{ init_image: image, init_video: 'https://example.com/v.mp4', reference_image: image },
			'faceswap',
			'mp4',
			'reference_image',
		],
	];

	it.each(cases)('%s', async (path, body, family, extension, requiredField) => {
		const submit = await post(path, { key: SIM_KEY, ...body });
		expect(submit.body).toMatchObject({
			status: 'processing',
			fetch_result: `${sim.origin}/api/v6/${family}/fetch/${String(submit.body.id)}`,
		});
		expect(outputsOf({ output: submit.body.future_links ?? [] })[0]).toMatch(
			new RegExp(`\\.${extension}$`),
		);
		const without = await post(path, { key: SIM_KEY, ...omit(body, requiredField) });
		expect(without.status).toBe(200);
		expect(without.body).toEqual({
			status: 'error',
			message: expect.stringMatching(new RegExp(`^${requiredField} is required`)),
		});
	});

	const trainings: readonly (readonly [string, JsonObject])[] = [
		[
			'/v3/lora_fine_tune',
			{
				instance_prompt: 'photo of ambika0 man',
				class_prompt: 'photo of a man',
				images: ['https://example.com/1.png'],
				training_type: 'men',
				max_train_steps: '18',
			},
		],
		[
			'/v3/fine_tune',
			{
				instance_prompt: 'photo of sks dog',
				class_prompt: 'photo of a dog',
				base_model_id: 'sd-1.5',
				images: ['https://example.com/1.png'],
				seed: '0',
				training_type: 'null',
				max_train_steps: '200',
			},
		],
	];
	it.each(trainings)('%s', async (path, body) => {
		expect((await post(path, { key: SIM_KEY, ...body })).body).toMatchObject({
			status: 'success',
			messege: 'deploying_gpu',
		});
	});
});

describe('generation lifecycle', () => {
	it('answers processing, fetch shows output "" while running, then success', async () => {
		const submit = await post('/v6/images/text2img', text2img({ samples: 2 }));
		const id = submit.body.id;
		expect(Number.isInteger(id)).toBe(true);
		expect(String(id)).toMatch(/^\d{9}$/);
		expect(submit.body).toMatchObject({
			status: 'processing',
			message: 'Try to fetch request after seconds estimated',
			webhook_status: '',
			fetch_result: `${sim.origin}/api/v6/images/fetch/${String(id)}`,
			output: [],
			meta: { model_id: 'flux', prompt: 'a red apple', samples: 2, webhook: null, track_id: null },
		});
		expect(submit.body.meta).not.toHaveProperty('key');
		expect(submit.body.future_links).toEqual([
			`${sim.origin}/files/${String(id)}-0.png`,
			`${sim.origin}/files/${String(id)}-1.png`,
		]);

		const running = await post(`/v6/images/fetch/${String(id)}`, { key: SIM_KEY });
		expect(running.body).toEqual({
			status: 'processing',
			message: 'try again later.',
			output: '',
			tip: expect.any(String),
		});
		expect((await download(outputsOf({ output: submit.body.future_links ?? [] })[0])).status).toBe(
			404,
		);

		await sleep(DELAY_MS + 100);
		const done = await post(String(submit.body.fetch_result).replace(sim.baseUrl, ''), {
			key: SIM_KEY,
		});
		expect(done.body).toEqual({
			status: 'success',
			id,
			output: submit.body.future_links,
			proxy_links: submit.body.future_links,
		});
		expect(
			(await post('/v6/images/fetch', { key: SIM_KEY, request_id: String(id) })).body.status,
		).toBe('success');
		expect((await post(`/v6/video/fetch/${String(id)}`, { key: SIM_KEY })).body.status).toBe(
			'error',
		);
		expect(sim.jobs.get(String(id))?.status).toBe('success');
	});

	it('gives every job a new integer id', async () => {
		const first = await post('/v6/images/text2img', text2img());
		const second = await post('/v6/video/text2video', {
			key: SIM_KEY,
			model_id: 'wan2.2',
			prompt: 'waves',
			output_type: 'mp4',
		});
		expect(second.body.id).toBe(Number(first.body.id) + 1);
		expect(second.body.fetch_result).toBe(
			`${sim.origin}/api/v6/video/fetch/${String(second.body.id)}`,
		);
	});

	it('posts the callback to the webhook exactly as given, query string included', async () => {
		const webhook = `${receiver.url}/webhook/abc?secret=s3cr%20et&x=1&x=2`;
		const submit = await post('/v6/images/text2img', text2img({ webhook, track_id: 'run-7' }));
		const [delivered] = await sim.waitForCallbacks(1);
		expect(delivered).toMatchObject({
			url: webhook,
			status: 200,
			attempt: 1,
			purpose: 'final',
			jobId: String(submit.body.id),
		});
		expect(receiver.received).toHaveLength(1);
		const [callback] = receiver.received;
		expect(callback.url).toBe('/webhook/abc?secret=s3cr%20et&x=1&x=2');
		expect(callback.headers['content-type']).toBe('application/json');
		expect(callback.body).toEqual({
			status: 'success',
			id: submit.body.id,
			output: submit.body.future_links,
			generationTime: expect.any(Number),
			track_id: 'run-7',
			meta: expect.objectContaining({ prompt: 'a red apple', webhook, track_id: 'run-7' }),
		});
	});

	it('echoes an integer track_id as an integer, and a digits-only one as a number on request', async () => {
		const tts = {
			key: SIM_KEY,
			prompt: 'Hello',
			language: 'american english',
			voice_id: 'madison',
			webhook: `${receiver.url}/cb`,
		};
		await post('/v6/voice/text_to_speech', { ...tts, track_id: 17 });
		sim.plan({ callbackTrackIdAsNumber: true });
		await post('/v6/images/text2img', text2img({ webhook: `${receiver.url}/cb`, track_id: '18' }));
		await sim.waitForCallbacks(2);
		expect(receiver.received.map((callback) => callback.body.track_id).sort()).toEqual([17, 18]);
	});

	it('reports a failed job in the callback and in fetch', async () => {
		sim.plan({ outcome: 'failed', errorMessage: 'GPU fell over' });
		const submit = await post('/v6/3d/text_to_3d', {
			key: SIM_KEY,
			prompt: 'a ghost',
			output_format: 'glb',
			webhook: `${receiver.url}/cb`,
			track_id: 't-fail',
		});
		await sim.waitForCallbacks(1);
		expect(receiver.received[0].body).toEqual({
			status: 'failed',
			id: submit.body.id,
			message: 'Processing failed: GPU fell over',
			track_id: 't-fail',
		});
		const fetched = await post(`/v6/3d/fetch/${String(submit.body.id)}`, { key: SIM_KEY });
		expect(fetched.body).toEqual({
			status: 'failed',
			id: submit.body.id,
			message: 'Processing failed: GPU fell over',
		});
		expect((await download(outputsOf({ output: submit.body.future_links ?? [] })[0])).status).toBe(
			404,
		);
	});

	it('sends duplicate callbacks, some of them concurrently', async () => {
		sim.plan({ duplicateCallbacks: 3 });
		await post('/v6/images/text2img', text2img({ webhook: `${receiver.url}/cb`, track_id: 'dup' }));
		const delivered = await sim.waitForCallbacks(4);
		expect(delivered.map((callback) => callback.purpose).sort()).toEqual([
			'duplicate',
			'duplicate',
			'duplicate',
			'final',
		]);
		expect(new Set(receiver.received.map((callback) => JSON.stringify(callback.body))).size).toBe(
			1,
		);
		await sleep(100);
		expect(receiver.received).toHaveLength(4);
	});

	it('drops the callback but still lets fetch succeed', async () => {
		sim.plan({ dropCallback: true });
		const submit = await post('/v6/images/text2img', text2img({ webhook: `${receiver.url}/cb` }));
		await sleep(DELAY_MS + 150);
		expect(sim.callbacks).toHaveLength(0);
		expect(receiver.received).toHaveLength(0);
		expect(
			(await post(`/v6/images/fetch/${String(submit.body.id)}`, { key: SIM_KEY })).body.status,
		).toBe('success');
	});

	it('answers an instant job with success and output, and still sends the webhook', async () => {
		sim.plan({ instant: true });
		const submit = await post('/v6/images/text2img', text2img({ webhook: `${receiver.url}/cb` }));
		expect(submit.body).toMatchObject({
			status: 'success',
			id: expect.any(Number),
			nsfw_content_detected: false,
		});
		expect(outputsOf(submit.body)).toHaveLength(1);
		const file = await download(outputsOf(submit.body)[0]);
		expect(file.status).toBe(200);
		await sim.waitForCallbacks(1);
		expect(receiver.received[0].body).toMatchObject({ status: 'success', id: submit.body.id });
	});

	it('sends an interim processing callback before the final one', async () => {
		sim.plan({ interimCallback: true, eta: 12 });
		const submit = await post(
			'/v6/images/text2img',
			text2img({ webhook: `${receiver.url}/cb`, track_id: 'i' }),
		);
		expect(submit.body.eta).toBe(12);
		await sim.waitForCallbacks(2);
		expect(receiver.received.map((callback) => callback.body.status)).toEqual([
			'processing',
			'success',
		]);
	});

	it('delivers callbacks out of order when later jobs finish first', async () => {
		sim.plan({ delayMs: 400 });
		sim.plan({ delayMs: 20 });
		const slow = await post(
			'/v6/images/text2img',
			text2img({ webhook: `${receiver.url}/cb`, track_id: 'slow' }),
		);
		const fast = await post(
			'/v6/images/text2img',
			text2img({ webhook: `${receiver.url}/cb`, track_id: 'fast' }),
		);
		await sim.waitForCallbacks(2);
		expect(receiver.received.map((callback) => callback.body.id)).toEqual([
			fast.body.id,
			slow.body.id,
		]);
	});

	it('holds a job until completeJob', async () => {
		sim.plan({ hold: true });
		const submit = await post('/v6/images/text2img', text2img({ webhook: `${receiver.url}/cb` }));
		await sleep(DELAY_MS + 100);
		expect(
			(await post(`/v6/images/fetch/${String(submit.body.id)}`, { key: SIM_KEY })).body.status,
		).toBe('processing');
		expect(sim.callbacks).toHaveLength(0);
		await sim.completeJob(String(submit.body.id));
		expect(sim.callbacks).toHaveLength(1);
		expect(
			(await post(`/v6/images/fetch/${String(submit.body.id)}`, { key: SIM_KEY })).body.status,
		).toBe('success');
		await expect(sim.completeJob(String(submit.body.id))).rejects.toThrow(/already finished/);
	});

	it('re-sends a callback answered non-2xx only when asked to', async () => {
		receiver.answer = (n) => (n < 2 ? 500 : 200);
		await post('/v6/images/text2img', text2img({ webhook: `${receiver.url}/cb` }));
		await sim.waitForCallbacks(1);
		await sleep(300);
		expect(sim.callbacks.map((callback) => callback.status)).toEqual([500]);

		sim.reset();
		receiver.received.length = 0;
		sim.plan({ retryCallbacksOnNon2xx: 3 });
		await post('/v6/images/text2img', text2img({ webhook: `${receiver.url}/cb` }));
		const delivered = await sim.waitForCallbacks(3);
		expect(delivered.map((callback) => [callback.attempt, callback.status])).toEqual([
			[1, 500],
			[2, 500],
			[3, 200],
		]);
	});

	it('honours prompt markers', async () => {
		const failed = await post(
			'/v6/images/text2img',
			text2img({ prompt: 'x [sim:fail]', webhook: `${receiver.url}/cb` }),
		);
		await post(
			'/v6/images/text2img',
			text2img({ prompt: 'x [sim:drop]', webhook: `${receiver.url}/cb` }),
		);
		await sim.waitForCallbacks(1);
		await sleep(100);
		expect(receiver.received.map((callback) => callback.body.id)).toEqual([failed.body.id]);
		expect(receiver.received[0].body.status).toBe('failed');
	});

	it('counts processing jobs', async () => {
		sim.plan({ hold: true }, 2);
		await post('/v6/images/text2img', text2img());
		await post('/v6/images/text2img', text2img());
		expect(
			(await post('/v6/processing/request_count', { key: SIM_KEY })).body.processing_count,
		).toBe(2);
	});
});

describe('error answers', () => {
	it('answers 429 with retry_after, then accepts the retry', async () => {
		sim.plan({ rateLimit: { retryAfter: 7, times: 2 } });
		const limited = {
			status: 429,
			body: {
				status: 'error',
				message: 'Rate limit exceeded. Maximum 5 queued requests allowed.',
				retry_after: 7,
			},
		};
		expect(await post('/v6/images/text2img', text2img())).toEqual(limited);
		expect(await post('/v6/images/text2img', text2img())).toEqual(limited);
		expect((await post('/v6/images/text2img', text2img())).body.status).toBe('processing');
		expect(sim.jobs.size).toBe(1);
	});

	it('answers an HTTP-200 error spelled `messege`, and other HTTP errors', async () => {
		sim.plan({ http200Error: 'Model not found: flux' });
		sim.plan({ httpStatus: 503, errorMessage: 'Maintenance' });
		expect(await post('/v6/images/text2img', text2img())).toEqual({
			status: 200,
			body: { status: 'error', messege: 'Model not found: flux' },
		});
		expect(await post('/v6/images/text2img', text2img())).toEqual({
			status: 503,
			body: { status: 'error', message: 'Maintenance' },
		});
		expect((await post('/v6/images/text2img', text2img())).body.status).toBe('processing');
	});
});

describe('queue limit', () => {
	const lora = {
		key: SIM_KEY,
		instance_prompt: 'photo of ambika0 man',
		class_prompt: 'photo of a man',
		images: ['https://x/1.png'],
		training_type: 'men',
		max_train_steps: '10',
	};
	const limited = (limit: number, retryAfter: number): ApiAnswer => ({
		status: 429,
		body: {
			status: 'error',
			message: `Rate limit exceeded. Maximum ${limit} queued requests allowed.`,
			retry_after: retryAfter,
		},
	});

	it('answers 429 beyond the limit, counting generation and training jobs but not workflow runs', async () => {
		sim.setQueueLimit(2);
		sim.plan({ hold: true }, 2);
		const first = await post('/v6/images/text2img', text2img());
		expect(first.body.status).toBe('processing');
		expect((await post('/v3/lora_fine_tune', lora)).body.status).toBe('success');
		expect(
			await post('/v6/video/text2video', { key: SIM_KEY, model_id: 'wan2.2', prompt: 'p' }),
		).toEqual(limited(2, 1));
		expect(await post('/v3/lora_fine_tune', lora)).toEqual(limited(2, 1));
		// Workflow runs, fetches and the request count do not take a place and are not refused.
		expect((await post('/v1/workflows/wf-1/run', { prompt: 'x' }, { key: SIM_KEY })).status).toBe(
			202,
		);
		expect(
			(await post(`/v6/images/fetch/${String(first.body.id)}`, { key: SIM_KEY })).body.status,
		).toBe('processing');
		expect((await post('/v6/processing/request_count', { key: SIM_KEY })).status).toBe(200);
		expect([...sim.jobs.values()].map((job) => job.kind).sort()).toEqual([
			'generation',
			'training',
			'workflowRun',
		]);

		await sim.completeJob(String(first.body.id));
		expect((await post('/v6/images/text2img', text2img())).body.status).toBe('processing');
		expect(sim.stats()).toMatchObject({
			submits: 6,
			accepted: 4,
			rateLimited: 2,
			running: 2,
			maxRunning: 2,
		});
	});

	it('frees the place when the final state is reached, before the callback is delivered', async () => {
		sim.setQueueLimit(1);
		let release: (status: number) => void = () => undefined;
		receiver.answer = () => new Promise<number>((resolve) => (release = resolve));
		sim.plan({ hold: true });
		const held = await post('/v6/images/text2img', text2img({ webhook: `${receiver.url}/slow` }));
		expect(await post('/v6/images/text2img', text2img())).toEqual(limited(1, 1));

		const delivered = sim.completeJob(String(held.body.id));
		await sleep(50);
		expect(receiver.received).toHaveLength(1); // the callback is out, its answer still held
		expect(sim.callbacks).toHaveLength(0);
		expect(sim.stats().running).toBe(0);
		expect((await post('/v6/images/text2img', text2img())).body.status).toBe('processing');
		release(200);
		await delivered;
		expect(sim.callbacks.map((callback) => callback.status)).toEqual([200]);
	});

	it('does not use up a planned behaviour on a submit the queue turns away', async () => {
		sim.setQueueLimit(1);
		sim.plan({ hold: true });
		sim.plan({ outcome: 'failed' });
		const held = await post('/v6/images/text2img', text2img());
		expect((await post('/v6/images/text2img', text2img())).status).toBe(429);
		await sim.completeJob(String(held.body.id));
		const next = await post('/v6/images/text2img', text2img());
		expect(sim.jobs.get(String(next.body.id))?.behaviour.outcome).toBe('failed');
	});

	it('takes the limit and retry_after from the options, and reset() puts the option back', async () => {
		const local = await startSimulator({ queueLimit: 1, queueRetryAfterSeconds: 30 });
		try {
			const submit = (): Promise<ApiAnswer> =>
				post(`${local.baseUrl}/v6/images/text2img`, {
					key: local.apiKey,
					model_id: 'flux',
					prompt: 'p',
				});
			local.plan({ hold: true }, 3);
			expect((await submit()).body.status).toBe('processing');
			expect(await submit()).toEqual(limited(1, 30));
			local.setQueueLimit(undefined);
			expect((await submit()).body.status).toBe('processing');
			expect(local.stats().maxRunning).toBe(2);

			local.reset();
			expect(local.stats()).toEqual({
				submits: 0,
				accepted: 0,
				rateLimited: 0,
				fetches: 0,
				uploads: 0,
				running: 0,
				maxRunning: 0,
			});
			local.plan({ hold: true });
			expect((await submit()).body.status).toBe('processing');
			expect((await submit()).status).toBe(429);
			expect(() => local.setQueueLimit(1.5)).toThrow(RangeError);
		} finally {
			await local.stop();
		}
		await expect(startSimulator({ queueLimit: -1 })).rejects.toThrow(RangeError);
	});
});

describe('stats', () => {
	it('counts submits, accepted and rate-limited submits, fetches and the highest concurrency', async () => {
		sim.plan({ rateLimit: { retryAfter: 3 } });
		expect((await post('/v6/images/text2img', text2img())).status).toBe(429);
		expect((await post('/v6/images/text2img', text2img({ key: 'wrong' }))).status).toBe(401);
		expect((await post('/v6/images/text2img', omit(text2img(), 'prompt'))).body.status).toBe(
			'error',
		);
		sim.plan({ delayMs: 150 }, 3);
		const ids = [];
		for (let i = 0; i < 3; i++)
			ids.push(String((await post('/v6/images/text2img', text2img())).body.id));
		expect(sim.stats()).toMatchObject({ running: 3, maxRunning: 3 });
		await post(`/v6/images/fetch/${ids[0]}`, { key: SIM_KEY });
		await post('/v6/images/fetch', { key: SIM_KEY, request_id: ids[1] });
		await post('/v3/fine_tune_status/nope', { key: SIM_KEY });
		await call('GET', '/v1/workflows/wf-1/runs/1', undefined, { key: SIM_KEY });
		await sleep(300);
		expect(sim.stats()).toEqual({
			submits: 6,
			accepted: 3,
			rateLimited: 1,
			fetches: 4,
			uploads: 0,
			running: 0,
			maxRunning: 3,
		});
		sim.reset();
		expect(sim.stats()).toMatchObject({ submits: 0, fetches: 0, maxRunning: 0 });
	});
});

describe('job lengths and a lagging fetch', () => {
	async function drawnDelays(target: Simulator, count: number): Promise<number[]> {
		target.plan({ delayMs: { min: 40, max: 240 } }, count);
		const delays: number[] = [];
		for (let i = 0; i < count; i++) {
			const submit = await post(`${target.baseUrl}/v6/images/text2img`, {
				key: target.apiKey,
				model_id: 'flux',
				prompt: 'p',
			});
			const job = target.jobs.get(String(submit.body.id));
			expect(submit.body.eta).toBe(Math.round((job?.delayMs ?? -1) / 10) / 100);
			delays.push(job?.delayMs ?? -1);
		}
		return delays;
	}

	it('draws each job length from a {min, max} range, and finishes the job after it', async () => {
		const delays = await drawnDelays(sim, 8);
		expect(delays.every((delay) => Number.isInteger(delay) && delay >= 40 && delay <= 240)).toBe(
			true,
		);
		expect(new Set(delays).size).toBeGreaterThanOrEqual(4);
		await sleep(400);
		for (const job of sim.jobs.values()) {
			expect(job.status).toBe('success');
			const took = (job.finishedAt ?? 0) - job.createdAt;
			expect(took).toBeGreaterThanOrEqual(job.delayMs - 2);
			expect(took).toBeLessThan(job.delayMs + 150);
		}
	});

	it('repeats the same lengths after reset() and under the same seed, and others under another', async () => {
		const first = await drawnDelays(sim, 5);
		sim.reset();
		expect(await drawnDelays(sim, 5)).toEqual(first);
		const sameSeed = await startSimulator({ apiKey: SIM_KEY }); // the default seed, like `sim`
		const otherSeed = await startSimulator({ apiKey: SIM_KEY, seed: 7 });
		try {
			expect(await drawnDelays(sameSeed, 5)).toEqual(first);
			expect(await drawnDelays(otherSeed, 5)).not.toEqual(first);
		} finally {
			await sameSeed.stop();
			await otherSeed.stop();
		}
	});

	it('spreads training steps per job, and refuses impossible ranges where they are planned', async () => {
		sim.plan({ delayMs: { min: 10, max: 30 }, hold: true });
		const submit = await post('/v3/lora_fine_tune', {
			key: SIM_KEY,
			instance_prompt: 'p',
			class_prompt: 'c',
			images: ['https://x/1.png'],
			training_type: 'men',
			max_train_steps: '10',
		});
		const training = sim.jobs.get(String(submit.body.training_id));
		expect(training?.delayMs).toBeGreaterThanOrEqual(10);
		expect(training?.delayMs).toBeLessThanOrEqual(30);
		expect(training?.eta).toBe(Math.round(((training?.delayMs ?? 0) * 8) / 10) / 100);
		expect(() => sim.plan({ delayMs: { min: 50, max: 10 } })).toThrow(RangeError);
		expect(() => sim.setDefaultBehaviour({ delayMs: -1 })).toThrow(RangeError);
		expect(() => sim.plan({ fetchLagMs: Number.NaN })).toThrow(RangeError);
	});

	it('keeps fetch at processing for fetchLagMs after the callback reported success', async () => {
		sim.plan({ delayMs: 30, fetchLagMs: 400 });
		const submit = await post('/v6/images/text2img', text2img({ webhook: `${receiver.url}/cb` }));
		const id = String(submit.body.id);
		await sim.waitForCallbacks(1);
		expect(receiver.received[0].body).toMatchObject({ status: 'success', id: submit.body.id });
		expect(sim.jobs.get(id)?.status).toBe('success');
		expect((await post(`/v6/images/fetch/${id}`, { key: SIM_KEY })).body).toEqual({
			status: 'processing',
			message: 'try again later.',
			output: '',
			tip: expect.any(String),
		});
		expect((await post('/v6/images/fetch', { key: SIM_KEY, request_id: id })).body.status).toBe(
			'processing',
		);
		// The files the callback named are already there.
		expect((await download(outputsOf(receiver.received[0].body)[0])).status).toBe(200);
		await sleep(450);
		expect((await post(`/v6/images/fetch/${id}`, { key: SIM_KEY })).body).toMatchObject({
			status: 'success',
			output: submit.body.future_links,
		});
	});
});

describe('uploads (base64_to_url)', () => {
	const dataUri = (mime: string, bytes: Buffer): string =>
		`data:${mime};base64,${bytes.toString('base64')}`;
	// [path, field, MIME type, family, extension of the URL]
	const families = [
		['/v6/base64_to_url', 'base64_string', 'image/png', 'general', 'png'],
		['/v6/base64_to_url', 'base64_string', 'audio/mpeg', 'general', 'mp3'],
		['/v6/image_editing/base64_to_url', 'init_image', 'image/jpeg', 'image_editing', 'jpg'],
		['/v6/voice/base64_to_url', 'init_audio', 'audio/wav', 'voice', 'wav'],
		['/v6/video/base64_to_url', 'init_obj', 'video/mp4', 'video', 'mp4'],
		['/v6/3d/base64_to_url', 'init_obj', 'model/glb', '3d', 'glb'],
	] as const;

	it.each(families)(
		'%s takes %s (%s) and serves it back byte for byte',
		async (path, field, mime, family, extension) => {
			const bytes = Buffer.from(
				Array.from({ length: 300 }, (_, n) => (n * 7 + field.length) & 0xff),
			);
			const before = Date.now();
			const answer = await post(path, { key: SIM_KEY, [field]: dataUri(mime, bytes) });
			expect(answer).toEqual({
				status: 200,
				body: { status: 'success', id: expect.any(Number), output: [expect.any(String)] },
			});
			const url = outputsOf(answer.body)[0];
			expect(url).toMatch(
				new RegExp(`^${sim.origin}/temp/${String(answer.body.id)}-[0-9a-f]+\\.${extension}$`),
			);
			const file = await download(url);
			expect(file).toEqual({ status: 200, contentType: mime, bytes });
			const [upload] = sim.uploads();
			expect(upload).toEqual({
				id: answer.body.id,
				url,
				mime,
				bytes,
				family,
				receivedAt: expect.any(Number),
				expiresAt: upload.receivedAt + 24 * 60 * 60 * 1000,
			});
			expect(upload.receivedAt).toBeGreaterThanOrEqual(before);
		},
	);

	it('refuses bare base64, a wrong MIME type, malformed data and a missing field', async () => {
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64');
		const refusals: readonly (readonly [string, JsonObject, string])[] = [
			[
				'/v6/base64_to_url',
				{ base64_string: png },
				'base64_string must be a data URI: data:<mime type>;base64,<data>',
			],
			[
				'/v6/base64_to_url',
				{ base64_string: 'data:image/png,abcd' },
				'base64_string must be a data URI: data:<mime type>;base64,<data>',
			],
			[
				'/v6/base64_to_url',
				{ base64_string: `data:text/plain;base64,${png}` },
				'base64_string must be an image, audio, video or 3D (model/…) type, not text/plain',
			],
			[
				'/v6/voice/base64_to_url',
				{ init_audio: `data:audio/ogg;base64,${png}` },
				'init_audio must be MP3 or WAV audio (audio/mpeg, audio/wav), not audio/ogg',
			],
			[
				'/v6/3d/base64_to_url',
				{ init_obj: `data:model/gltf-binary;base64,${png}` },
				'init_obj must be a 3D type model/<letters and digits> (e.g. model/glb), not model/gltf-binary',
			],
			[
				'/v6/image_editing/base64_to_url',
				{ init_image: `data:video/mp4;base64,${png}` },
				'init_image must be an image type (image/…), not video/mp4',
			],
			[
				'/v6/base64_to_url',
				{ base64_string: 'data:image/png;base64,abc' },
				'base64_string is not valid base64',
			],
			[
				'/v6/base64_to_url',
				{ base64_string: 'data:image/png;base64,ab!d' },
				'base64_string is not valid base64',
			],
			[
				'/v6/base64_to_url',
				{ base64_string: 'data:image/png;base64,' },
				'base64_string is not valid base64',
			],
			[
				'/v6/video/base64_to_url',
				{ init_video: `data:video/mp4;base64,${png}` },
				'init_obj is required',
			],
			['/v6/voice/base64_to_url', { init_audio: 42 }, 'init_audio must be a string'],
		];
		for (const [path, body, message] of refusals) {
			expect({ path, answer: await post(path, { key: SIM_KEY, ...body }) }).toEqual({
				path,
				answer: { status: 200, body: { status: 'error', message } },
			});
		}
		expect(
			await post('/v6/base64_to_url', {
				key: 'wrong',
				base64_string: `data:image/png;base64,${png}`,
			}),
		).toEqual({
			status: 401,
			body: { status: 'error', message: 'Invalid API key' },
		});
		expect(sim.uploads()).toHaveLength(0);
		expect(sim.stats().uploads).toBe(refusals.length + 1);
	});

	it('takes exactly 5 MB and refuses one byte more', async () => {
		const limit = Buffer.alloc(MAX_UPLOAD_BYTES, 0xab);
		expect(MAX_UPLOAD_BYTES).toBe(5 * 1024 * 1024);
		const ok = await post('/v6/base64_to_url', {
			key: SIM_KEY,
			base64_string: dataUri('video/mp4', limit),
		});
		expect(ok.body.status).toBe('success');
		expect((await download(outputsOf(ok.body)[0])).bytes.equals(limit)).toBe(true);
		const tooBig = await post('/v6/base64_to_url', {
			key: SIM_KEY,
			base64_string: dataUri('video/mp4', Buffer.alloc(MAX_UPLOAD_BYTES + 1)),
		});
		expect(tooBig).toEqual({
			status: 200,
			body: {
				status: 'error',
				message: 'File too large: 5242881 bytes; the limit is 5 MB (5242880 bytes)',
			},
		});
		expect(sim.uploads()).toHaveLength(1);
	});

	it('never counts against the queue limit', async () => {
		sim.setQueueLimit(0);
		expect((await post('/v6/images/text2img', text2img())).status).toBe(429);
		const upload = await post('/v6/image_editing/base64_to_url', {
			key: SIM_KEY,
			init_image: dataUri('image/png', Buffer.from('png')),
		});
		expect(upload.body.status).toBe('success');
		expect(sim.stats()).toMatchObject({ uploads: 1, submits: 1, rateLimited: 1, running: 0 });
	});

	it('stops serving an upload once it expired, and forgets uploads on reset()', async () => {
		const first = outputsOf(
			(
				await post('/v6/base64_to_url', {
					key: SIM_KEY,
					base64_string: dataUri('image/gif', Buffer.from('GIF89a')),
				})
			).body,
		)[0];
		const head = await request(first, { method: 'HEAD', dispatcher: agent });
		expect([head.statusCode, head.headers['content-type'], head.headers['content-length']]).toEqual(
			[200, 'image/gif', '6'],
		);
		await head.body.dump();
		sim.expireUploads();
		expect(await download(first)).toMatchObject({ status: 404 });
		expect(sim.uploads()[0].expiresAt).toBeLessThanOrEqual(Date.now());

		const second = outputsOf(
			(
				await post('/v6/base64_to_url', {
					key: SIM_KEY,
					base64_string: dataUri('image/gif', Buffer.from('GIF89a')),
				})
			).body,
		)[0];
		expect((await download(second)).status).toBe(200);
		sim.reset();
		expect(sim.uploads()).toEqual([]);
		expect((await download(second)).status).toBe(404);
	});
});

describe('list endpoints', () => {
	const search = (path: string, query: Record<string, string>): Promise<ApiAnswer> =>
		call('GET', `${path}?${new URLSearchParams({ key: SIM_KEY, ...query }).toString()}`);
	const ids = (answer: ApiAnswer): string[] =>
		(answer.body.data as JsonObject[]).map((item) => String(item.model_id));

	it('searches the catalogue by id or name, feature and subcategory, a page at a time', async () => {
		const all = await search('/v6/model-search', {});
		expect(all.status).toBe(200);
		expect(all.body.meta).toEqual({
			total: CATALOGUE_MODELS.length,
			page: 1,
			per_page: 20,
			last_page: 1,
		});
		expect(CATALOGUE_MODELS.length).toBeGreaterThanOrEqual(12);
		expect((all.body.data as JsonObject[]).find((item) => item.model_id === 'flux')).toEqual({
			model_id: 'flux',
			name: 'Flux',
			model_name: 'Flux',
			provider: 'modelslab',
			feature: 'imagen',
			model_type: 'text-to-image',
			model_subcategory: 'flux',
			base_model: 'flux',
			description: expect.any(String),
			screenshots: `${sim.origin}/previews/flux.png`,
		});
		expect(ids(await search('/v6/model-search', { search: 'BANANA' }))).toEqual(['nano-banana']);
		expect(ids(await search('/v6/model-search', { search: 'google' }))).toEqual([
			'imagen-4',
			'nano-banana',
		]);
		expect(ids(await search('/v6/model-search', { feature: 'video_fusion' }))).toEqual([
			'wan2.2',
			'seedance-t2v',
			'kling-v2-5-turbo-t2v',
			'sora-2',
		]);
		expect(ids(await search('/v6/model-search', { model_subcategory: 'lora' }))).toEqual([
			'sim-watercolor-lora',
			'sim-pixel-art-lora',
		]);
		expect(
			ids(await search('/v6/model-search', { feature: 'audio_gen', search: 'scribe' })),
		).toEqual(['scribe_v1']);
		expect(ids(await search('/v6/model-search', { feature: 'llmaster' }))).toEqual([]);

		const second = await search('/v6/model-search', { per_page: '4', page: '2' });
		expect(ids(second)).toEqual(CATALOGUE_MODELS.slice(4, 8).map((model) => model.model_id));
		expect(second.body.meta).toEqual({
			total: CATALOGUE_MODELS.length,
			page: 2,
			per_page: 4,
			last_page: Math.ceil(CATALOGUE_MODELS.length / 4),
		});
		expect(ids(await search('/v6/model-search', { per_page: '4', page: '99' }))).toEqual([]);
		for (const per_page of ['0', '101', 'ten'])
			expect((await search('/v6/model-search', { per_page })).body).toEqual({
				status: 'error',
				message: 'per_page must be an integer from 1 to 100',
			});
	});

	it('serves the same catalogue at /v7/models and takes the key from the query only', async () => {
		expect(ids(await search('/v7/models', { search: 'flux', feature: 'imagen' }))).toEqual([
			'flux',
		]);
		expect(ids(await search('/v7/models', { feature: 'imagen', search: 'imagen' }))).toEqual([
			'imagen-4',
		]);
		for (const path of ['/v6/model-search', '/v7/models']) {
			expect(await call('GET', `${path}?key=wrong`)).toEqual({
				status: 401,
				body: { status: 'error', message: 'Invalid API key' },
			});
			expect((await call('GET', path, undefined, { key: SIM_KEY })).status).toBe(401);
		}
		expect(sim.requests.at(-1)?.headers.key).toBe('***');
		expect(JSON.stringify(sim.requests)).not.toContain(SIM_KEY);
	});

	it('answers the legacy model_list with a bare array whose screenshots are real PNGs', async () => {
		const list = await post('/v4/dreambooth/model_list', { key: SIM_KEY });
		expect(list.status).toBe(200);
		const items = list.body as unknown as JsonObject[];
		expect(items.map((item) => item.model_id)).toEqual(CATALOGUE_MODELS.map((m) => m.model_id));
		expect(items.find((item) => item.model_id === 'sim-watercolor-lora')).toEqual({
			model_id: 'sim-watercolor-lora',
			status: 'model_ready',
			created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			instance_prompt: 'watercolor style',
			model_name: 'Watercolor Style LoRA',
			description: expect.any(String),
			screenshots: `${sim.origin}/previews/sim-watercolor-lora.png`,
			model_category: 'stable_diffusion',
			model_subcategory: 'lora',
			feature: 'imagen',
			is_nsfw: '0',
		});
		const preview = await download(String(items[0].screenshots));
		expect([preview.status, preview.contentType]).toEqual([200, 'image/png']);
		expect(preview.bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
		expect((await download(`${sim.origin}/previews/unknown.png`)).status).toBe(404);
		expect((await post('/v4/dreambooth/model_list', { key: 'wrong' })).status).toBe(401);
	});

	it('lists voices by type', async () => {
		const manual = await post('/v6/voice/voice_list', { key: SIM_KEY });
		expect(manual.body.status).toBe('success');
		expect(manual.body.voices).toContainEqual({
			voice_id: 'madison',
			name: 'Madison',
			language: 'english',
		});
		expect((manual.body.voices as JsonObject[]).length).toBeGreaterThanOrEqual(3);
		expect((await post('/v6/voice/voice_list', { key: SIM_KEY, type: 'manual' })).body).toEqual(
			manual.body,
		);
		expect((await post('/v6/voice/voice_list', { key: SIM_KEY, type: 'trained' })).body).toEqual({
			status: 'success',
			voices: [],
		});
		expect((await post('/v6/voice/voice_list', { key: SIM_KEY, type: 'cloned' })).body).toEqual({
			status: 'error',
			message: 'type must be one of: manual, trained, voice_cover',
		});
		expect((await post('/v6/voice/voice_list', { key: 'wrong' })).status).toBe(401);
	});

	it('lists the trained models, including trainings that reached model_ready', async () => {
		const before = await post('/v3/finetune_list', { key: SIM_KEY });
		expect(before.body).toEqual({
			status: 'success',
			messege: 'model list',
			data: ['F5jvdzGnYi', 'Lq7R2mXw9T'],
		});
		const lora = {
			key: SIM_KEY,
			instance_prompt: 'p',
			class_prompt: 'c',
			images: ['https://x/1.png'],
			training_type: 'men',
			max_train_steps: '10',
		};
		sim.plan({ hold: true }, 2);
		const done = String((await post('/v3/lora_fine_tune', lora)).body.training_id);
		await post('/v3/lora_fine_tune', lora); // stays at deploying_gpu
		await sim.completeJob(done);
		expect((await post('/v3/finetune_list', { key: SIM_KEY })).body.data).toEqual([
			'F5jvdzGnYi',
			'Lq7R2mXw9T',
			done,
		]);
		expect(await post('/v3/finetune_list', { key: 'wrong' })).toEqual({
			status: 401,
			body: { status: 'error', messege: 'Invalid API key' },
		});
	});

	it('lists the built-in and the defined workflows with their run counts', async () => {
		const headers = { key: SIM_KEY };
		const builtIn = {
			id: DEFAULT_WORKFLOW_ID,
			name: 'Simulated workflow',
			description: '',
			rate_limit: 10,
			call_count: 0,
			last_called_at: null,
			created_at: expect.any(String),
			updated_at: expect.any(String),
		};
		expect((await call('GET', '/v1/workflows', undefined, headers)).body).toEqual({
			status: 'success',
			workflows: [builtIn],
		});
		sim.defineWorkflow('wf-upscale', {
			name: 'Upscale',
			description: 'Upscales an image',
			parameters: [
				{ key: 'image_url', type: 'string', required: true, node_id: '1', node_name: 'Load' },
			],
		});
		await post('/v1/workflows/wf-upscale/run', { image_url: 'https://x/1.png' }, headers);
		await post('/v1/workflows/wf-upscale/run', { image_url: 'https://x/2.png' }, headers);
		await post(`/v1/workflows/${DEFAULT_WORKFLOW_ID}/run`, { prompt: 'x' }, headers);
		await post('/v1/workflows/unlisted/run', { prompt: 'x' }, headers);
		const listed = await call('GET', '/v1/workflows', undefined, headers);
		expect(listed.body.workflows).toEqual([
			{ ...builtIn, call_count: 1, last_called_at: expect.any(String) },
			{
				id: 'wf-upscale',
				name: 'Upscale',
				description: 'Upscales an image',
				rate_limit: 10,
				call_count: 2,
				last_called_at: expect.any(String),
				created_at: expect.any(String),
				updated_at: expect.any(String),
			},
		]);
		const upscale = (listed.body.workflows as JsonObject[])[1];
		expect(Date.parse(String(upscale.last_called_at))).toBeGreaterThanOrEqual(
			Date.parse(String(upscale.created_at)),
		);
		expect((await call('GET', '/v1/workflows', undefined, { key: 'wrong' })).status).toBe(401);
		sim.reset();
		expect(
			((await call('GET', '/v1/workflows', undefined, headers)).body.workflows as JsonObject[]).map(
				(workflow) => workflow.id,
			),
		).toEqual([DEFAULT_WORKFLOW_ID]);
	});
});

describe('v7 provider models', () => {
	const image = 'https://example.com/in.png';
	const audio = 'https://example.com/in.mp3';
	const video = 'https://example.com/in.mp4';
	// [path, valid body, fetch family, output extension, a required field]
	const cases: readonly (readonly [string, JsonObject, string, string, string])[] = [
		[
			'/v7/images/text-to-image',
			{ model_id: 'imagen-4', prompt: 'a fox', aspect_ratio: '1:1' },
			'images',
			'png',
			'aspect_ratio',
		],
		[
			'/v7/images/image-to-image',
			{ model_id: 'nano-banana', prompt: 'merge', init_image: image, init_image_2: image },
			'images',
			'png',
			'init_image_2',
		],
		[
			'/v7/images/inpaint',
			{ model_id: 'any-inpaint-model', prompt: 'a hat', init_image: image, mask_image: image },
			'images',
			'png',
			'mask_image',
		],
		[
			'/v7/video-fusion/text-to-video',
			{ model_id: 'kling-v2-5-turbo-t2v', prompt: 'waves', duration: '5', aspect_ratio: '16:9' },
			'video-fusion',
			'mp4',
			'duration',
		],
		[
			'/v7/video-fusion/image-to-video',
			{ model_id: 'seedance-i2v', init_image: image, prompt: 'move' },
			'video-fusion',
			'mp4',
			'init_image',
		],
		[
			'/v7/video-fusion/video-to-video',
			{ model_id: 'gen4_aleph', init_video: video, prompt: 'snow', aspect_ratio: '1280:720' },
			'video-fusion',
			'mp4',
			'aspect_ratio',
		],
		[
			'/v7/video-fusion/lip-sync',
			{ model_id: 'lipsync-2', init_video: video, init_audio: audio },
			'video-fusion',
			'mp4',
			'init_audio',
		],
		[
			'/v7/video-fusion/motion-control',
			{
				model_id: 'kling-motion-control',
				init_image: image,
				init_video: video,
				character_orientation: 'image',
			},
			'video-fusion',
			'mp4',
			'character_orientation',
		],
		[
			'/v7/voice/text-to-speech',
			{ model_id: 'eleven_multilingual_v2', prompt: 'Hello', voice_id: '21m00Tcm4TlvDq8ikWAM' },
			'voice',
			'mp3',
			'voice_id',
		],
		[
			'/v7/voice/speech-to-text',
			{ model_id: 'scribe_v1', init_audio: audio },
			'voice',
			'txt',
			'init_audio',
		],
		[
			'/v7/voice/speech-to-speech',
			{ model_id: 'eleven_english_sts_v2', init_audio: audio, voice_id: 'Rachel' },
			'voice',
			'mp3',
			'voice_id',
		],
		['/v7/voice/music-gen', { model_id: 'music_v1', prompt: 'lofi' }, 'voice', 'mp3', 'prompt'],
		[
			'/v7/voice/sound-generation',
			{ model_id: 'eleven_sound_effect', prompt: 'door creak', 'time in seconds': 5 },
			'voice',
			'mp3',
			'prompt',
		],
		[
			'/v7/voice/create-dubbing',
			{ model_id: 'any-dubbing-model', init_audio: audio, target_language: 'es' },
			'voice',
			'mp3',
			'target_language',
		],
		[
			'/v7/voice/song-extender',
			{ model_id: 'song-extender', init_audio: audio, prompt: 'more', extend_duration: 30 },
			'voice',
			'mp3',
			'extend_duration',
		],
		[
			'/v7/voice/song-inpaint',
			{
				model_id: 'song-inpaint',
				lyrics: '[Verse]',
				init_audio: audio,
				sections: [{ start: 0, end: 10 }],
			},
			'voice',
			'mp3',
			'sections',
		],
	];

	it('serves every researched operation, with every researched v7 model entry', () => {
		expect(V7_OPERATIONS.map((operation) => operation.path).sort()).toEqual(
			cases.map(([path]) => path).sort(),
		);
		const entries = V7_OPERATIONS.flatMap((operation) => Object.keys(operation.models));
		// 56 SDK methods, minus the three BFL models the SDK posts to v6 text2img.
		expect(entries).toHaveLength(53);
		expect(new Set(entries).size).toBe(51); // flux-2-pro and nano-banana-pro are in two operations
		expect(V7_OPERATIONS.filter((operation) => operation.anyModel).map((o) => o.path)).toEqual([
			'/v7/images/inpaint',
			'/v7/video-fusion/motion-control',
			'/v7/voice/create-dubbing',
		]);
	});

	it.each(cases)('%s', async (path, body, family, extension, requiredField) => {
		const submit = await post(path, { key: SIM_KEY, ...body });
		const id = submit.body.id;
		expect(submit.body).toMatchObject({
			status: 'processing',
			id: expect.any(Number),
			eta: expect.any(Number),
			fetch_result: `${sim.origin}/api/v7/${family}/fetch/${String(id)}`,
			output: [],
			meta: { ...body, webhook: null, track_id: null },
		});
		expect(outputsOf({ output: submit.body.future_links ?? [] })[0]).toMatch(
			new RegExp(`/files/${String(id)}-0\\.${extension}$`),
		);
		expect(sim.jobs.get(String(id))).toMatchObject({
			kind: 'generation',
			family: `v7/${family}`,
			endpoint: path,
		});
		expect(await post(path, { key: SIM_KEY, ...omit(body, requiredField) })).toEqual({
			status: 200,
			body: { status: 'error', message: `${requiredField} is required` },
		});
	});

	it('checks model_id against the operation and each field against its model', async () => {
		const problems: readonly (readonly [string, JsonObject, string])[] = [
			[
				'/v7/images/image-to-image',
				{ model_id: 'imagen-4', prompt: 'p', init_image: image },
				'Model not found: imagen-4',
			],
			['/v7/images/text-to-image', { model_id: 'veo3', prompt: 'p' }, 'Model not found: veo3'],
			['/v7/images/text-to-image', { prompt: 'p' }, 'model_id is required'],
			[
				'/v7/images/inpaint',
				{ model_id: '', prompt: 'p', init_image: image, mask_image: image },
				'model_id is required',
			],
			[
				'/v7/images/text-to-image',
				{ model_id: 'flux-2-pro', prompt: 'p', width: '512', height: 512 },
				'width must be an integer',
			],
			[
				'/v7/images/text-to-image',
				{ model_id: 'flux-2-pro', prompt: 'p', width: 2048, height: 512 },
				'width must be between 512 and 1024',
			],
			[
				'/v7/images/text-to-image',
				{ model_id: 'imagen-4', prompt: 'p', aspect_ratio: '2:1' },
				'aspect_ratio must be one of: 1:1, 3:4, 4:3, 9:16, 16:9',
			],
			[
				'/v7/images/image-to-image',
				{ model_id: 'seedream-4.0-i2i', prompt: 'p', init_image: Array(11).fill(image) },
				'init_image takes at most 10 items',
			],
			[
				'/v7/images/image-to-image',
				{ model_id: 'nano-banana', prompt: 'p', init_image: [image], init_image_2: image },
				'init_image must be a string',
			],
			[
				'/v7/video-fusion/text-to-video',
				{ model_id: 'kling-v2-master-t2v', prompt: 'p', duration: '7' },
				'duration must be one of: 5, 10',
			],
			[
				'/v7/video-fusion/text-to-video',
				{ model_id: 'seedance-t2v', prompt: 'p', camera_fixed: 'yes' },
				'camera_fixed must be a boolean',
			],
			[
				'/v7/video-fusion/video-to-video',
				{
					model_id: 'gen4_aleph',
					init_video: video,
					prompt: 'x'.repeat(1001),
					aspect_ratio: '960:960',
				},
				'prompt must be at most 1000 characters',
			],
			[
				'/v7/voice/song-extender',
				{ model_id: 'song-extender', init_audio: audio, prompt: 'p', extend_duration: '30' },
				'extend_duration must be a number',
			],
			[
				'/v7/voice/song-inpaint',
				{ model_id: 'song-inpaint', lyrics: 'l', init_audio: audio, sections: '0-10' },
				'sections must be an array',
			],
			[
				'/v7/voice/sound-generation',
				{ model_id: 'eleven_sound_effect', prompt: 'p', 'time in seconds': 30 },
				'time in seconds must be between 1 and 22',
			],
			[
				'/v7/voice/create-dubbing',
				{ model_id: 'd', target_language: 'es' },
				'init_audio is required',
			],
			[
				'/v7/video-fusion/motion-control',
				{ model_id: 'm', init_image: image, init_video: video, character_orientation: 'side' },
				'character_orientation must be one of: image, video',
			],
			[
				'/v7/voice/music-gen',
				{ model_id: 'music_v1', prompt: 'p', track_id: 42 },
				'track_id must be a string',
			],
			[
				'/v7/voice/music-gen',
				{ model_id: 'music_v1', prompt: 'p', webhook: '/relative' },
				'webhook must be an absolute http(s) URL',
			],
		];
		for (const [path, body, message] of problems) {
			expect({ path, body: (await post(path, { key: SIM_KEY, ...body })).body }).toEqual({
				path,
				body: { status: 'error', message },
			});
		}
		expect(sim.jobs.size).toBe(0);
		const accepted: readonly (readonly [string, JsonObject])[] = [
			// A numeric enum value in its number form, one file where a list is allowed, the CLI's dubbing input.
			[
				'/v7/video-fusion/text-to-video',
				{ model_id: 'kling-v2-master-t2v', prompt: 'p', duration: 10 },
			],
			['/v7/images/image-to-image', { model_id: 'flux-2-pro', prompt: 'p', init_image: image }],
			['/v7/voice/create-dubbing', { model_id: 'd', init_video: video, target_language: 'es' }],
			['/v7/images/text-to-image', { model_id: 'imagen-3', prompt: 'p', unknown_extra: true }],
		];
		for (const [path, body] of accepted)
			expect((await post(path, { key: SIM_KEY, ...body })).body.status).toBe('processing');
		expect(
			(await post('/v7/images/text-to-image', { model_id: 'imagen-3', prompt: 'p' })).status,
		).toBe(401);
	});

	it('runs like a v6 generation: processing fetch, callback with track_id and meta, success fetch', async () => {
		const body = { model_id: 'imagen-4', prompt: 'a fox', aspect_ratio: '16:9' };
		const webhook = `${receiver.url}/v7?run=3`;
		const submit = await post('/v7/images/text-to-image', {
			key: SIM_KEY,
			...body,
			webhook,
			track_id: 'v7-1',
		});
		const id = submit.body.id;
		const fetchPath = `/v7/images/fetch/${String(id)}`;
		expect((await post(fetchPath, { key: SIM_KEY })).body).toEqual({
			status: 'processing',
			id,
			message: 'Request is processing.',
			eta: submit.body.eta,
			output: [],
			fetch_result: submit.body.fetch_result,
			future_links: submit.body.future_links,
		});
		await sim.waitForCallbacks(1);
		expect(receiver.received[0].url).toBe('/v7?run=3');
		expect(receiver.received[0].body).toEqual({
			status: 'success',
			id,
			output: submit.body.future_links,
			generationTime: expect.any(Number),
			track_id: 'v7-1',
			meta: { ...body, webhook, track_id: 'v7-1' },
		});
		expect((await post(fetchPath, { key: SIM_KEY })).body).toEqual({
			status: 'success',
			id,
			output: submit.body.future_links,
			proxy_links: submit.body.future_links,
		});
		const file = await download(outputsOf(receiver.received[0].body)[0]);
		expect([file.status, file.contentType]).toEqual([200, 'image/png']);
		// Found under its own v7 family only.
		expect((await post(`/v6/images/fetch/${String(id)}`, { key: SIM_KEY })).body).toEqual({
			status: 'error',
			message: `Request not found: ${String(id)}`,
		});
		expect((await post(`/v7/voice/fetch/${String(id)}`, { key: SIM_KEY })).body.status).toBe(
			'error',
		);
		expect((await post(fetchPath, { key: 'wrong' })).status).toBe(401);
		expect(sim.stats()).toMatchObject({ submits: 1, accepted: 1, fetches: 5 });
	});

	it('gives speech to text a .txt transcript in output and the same text as `text`', async () => {
		const submit = await post('/v7/voice/speech-to-text', {
			key: SIM_KEY,
			model_id: 'scribe_v1',
			init_audio: audio,
			webhook: `${receiver.url}/stt`,
		});
		await sim.waitForCallbacks(1);
		const callback = receiver.received[0].body;
		const file = await download(outputsOf(callback)[0]);
		expect(file.contentType).toBe('text/plain; charset=utf-8');
		const transcript = file.bytes.toString('utf8');
		expect(transcript).toMatch(/^Simulated transcript \d+: /);
		expect(callback.text).toBe(transcript);
		const fetched = await post(`/v7/voice/fetch/${String(submit.body.id)}`, { key: SIM_KEY });
		expect(fetched.body).toMatchObject({ status: 'success', text: transcript });
		sim.plan({ instant: true });
		const instant = await post('/v7/voice/speech-to-text', {
			key: SIM_KEY,
			model_id: 'scribe_v1',
			init_audio: audio,
		});
		expect(instant.body).toMatchObject({
			status: 'success',
			text: expect.stringMatching(/^Simulated transcript/),
		});
		const music = await post('/v7/voice/music-gen', {
			key: SIM_KEY,
			model_id: 'music_v1',
			prompt: 'p',
		});
		await sleep(DELAY_MS + 100);
		const musicDone = await post(`/v7/voice/fetch/${String(music.body.id)}`, { key: SIM_KEY });
		expect(musicDone.body).not.toHaveProperty('text');
		const mp3 = await download(outputsOf(musicDone.body)[0]);
		expect([mp3.contentType, mp3.bytes[0]]).toEqual(['audio/mpeg', 0xff]);
	});

	it('shares the queue limit with v6, and honours failures, duplicates and a lagging fetch', async () => {
		const tts = {
			key: SIM_KEY,
			model_id: 'inworld-tts-1',
			prompt: 'Hi',
			voice_id: 'Alex',
			webhook: `${receiver.url}/cb`,
		};
		sim.setQueueLimit(1);
		sim.plan({ hold: true });
		const held = await post('/v7/voice/text-to-speech', tts);
		expect((await post('/v7/voice/text-to-speech', tts)).status).toBe(429);
		expect((await post('/v6/images/text2img', text2img())).status).toBe(429);
		await sim.completeJob(String(held.body.id));
		sim.setQueueLimit(undefined);

		sim.plan({ outcome: 'failed', errorMessage: 'voice unavailable' });
		const failed = await post('/v7/voice/text-to-speech', { ...tts, track_id: 'f' });
		sim.plan({ duplicateCallbacks: 1, delayMs: 20, fetchLagMs: 300 });
		const duplicated = await post('/v7/voice/text-to-speech', { ...tts, track_id: 'd' });
		await sim.waitForCallbacks(4);
		const byTrack = (trackId: string): JsonObject[] =>
			receiver.received.filter((c) => c.body.track_id === trackId).map((c) => c.body);
		expect(byTrack('f')).toEqual([
			{
				status: 'failed',
				id: failed.body.id,
				message: 'Processing failed: voice unavailable',
				track_id: 'f',
			},
		]);
		expect(byTrack('d')).toHaveLength(2);
		expect(
			(await post(`/v7/voice/fetch/${String(failed.body.id)}`, { key: SIM_KEY })).body,
		).toEqual({
			status: 'failed',
			id: failed.body.id,
			message: 'Processing failed: voice unavailable',
		});
		const lagging = await post(`/v7/voice/fetch/${String(duplicated.body.id)}`, { key: SIM_KEY });
		expect(lagging.body).toMatchObject({ status: 'processing', output: [] });
		await sleep(350);
		expect(
			(await post(`/v7/voice/fetch/${String(duplicated.body.id)}`, { key: SIM_KEY })).body.status,
		).toBe('success');
	});
});

describe('training', () => {
	const lora = (extra: JsonObject = {}): JsonObject => ({
		key: SIM_KEY,
		instance_prompt: 'photo of ambika0 man',
		class_prompt: 'photo of a man',
		images: ['https://x/1.png', 'https://x/2.png'],
		training_type: 'men',
		max_train_steps: '18',
		webhook: `${receiver.url}/train?run=1`,
		...extra,
	});

	it('posts every state to the webhook, ending with model_ready', async () => {
		const submit = await post('/v3/lora_fine_tune', lora());
		expect(submit.body).toEqual({
			status: 'success',
			messege: 'deploying_gpu',
			data: 'it will take upto 30 minutes.',
			training_id: expect.stringMatching(/^[A-Za-z0-9]{10}$/),
		});
		const trainingId = String(submit.body.training_id);
		await sim.waitForCallbacks(TRAINING_STATES.length);
		expect(receiver.received.map((callback) => callback.body.training_status)).toEqual([
			...TRAINING_STATES,
		]);
		expect(
			receiver.received.every(
				(callback) => callback.url === '/train?run=1' && callback.body.model_id === trainingId,
			),
		).toBe(true);
		expect(receiver.received.at(-1)?.body).toEqual({
			status: 'success',
			training_status: 'model_ready',
			logs: expect.any(String),
			model_id: trainingId,
		});
		expect((await post(`/v3/fine_tune_status/${trainingId}`, { key: SIM_KEY })).body).toEqual({
			status: 'success',
			messege: 'model_ready',
			data: expect.any(String),
		});
	});

	it('reports a failed training as state `failed`', async () => {
		sim.plan({ outcome: 'failed' });
		const submit = await post('/v3/fine_tune', { ...lora(), base_model_id: 'sd15' });
		await sim.waitForCallbacks(3);
		await sleep(100);
		expect(receiver.received.map((callback) => callback.body.training_status)).toEqual([
			'deploying_gpu',
			'training_started',
			'failed',
		]);
		expect(
			(await post(`/v3/fine_tune_status/${String(submit.body.training_id)}`, { key: SIM_KEY })).body
				.messege,
		).toBe('failed');
	});

	it('runs the remaining states at once when a held training is completed', async () => {
		sim.plan({ hold: true });
		const submit = await post('/v3/lora_fine_tune', lora());
		const trainingId = String(submit.body.training_id);
		await sleep(100);
		expect(sim.callbacks).toHaveLength(0);
		expect((await post(`/v3/fine_tune_status/${trainingId}`, { key: SIM_KEY })).body.messege).toBe(
			'deploying_gpu',
		);
		await sim.completeJob(trainingId);
		expect(sim.callbacks.map((callback) => callback.body.training_status)).toEqual([
			...TRAINING_STATES,
		]);
		expect(sim.jobs.get(trainingId)).toMatchObject({
			kind: 'training',
			status: 'success',
			trainingState: 'model_ready',
		});
	});

	it('checks training bodies', async () => {
		expect((await post('/v3/lora_fine_tune', lora({ max_train_steps: 18 }))).body).toEqual({
			status: 'error',
			messege: 'max_train_steps must be a string',
			code: 422,
		});
		expect(
			(await post('/v3/lora_fine_tune', lora({ training_type: 'robots' }))).body.messege,
		).toMatch(/^training_type must be one of/);
	});
});

describe('workflows', () => {
	const headers = { key: SIM_KEY };

	it('runs, reports status and ignores a webhook in the run body', async () => {
		const run = await post(
			'/v1/workflows/wf-42/run',
			{ prompt: 'A sunset', width: 1024, webhook: `${receiver.url}/ignored` },
			headers,
		);
		expect(run.status).toBe(202);
		const executionId = run.body.execution_id;
		expect(run.body).toEqual({
			status: 'success',
			message: expect.any(String),
			execution_id: expect.any(Number),
			workflow_id: 'wf-42',
			status_url: `${sim.origin}/api/v1/workflows/wf-42/runs/${String(executionId)}`,
			webhook_url: null,
		});
		const early = await call(
			'GET',
			`/v1/workflows/wf-42/runs/${String(executionId)}`,
			undefined,
			headers,
		);
		expect(['pending', 'running']).toContain((early.body.execution as JsonObject).status);
		await sleep(DELAY_MS + 100);
		const done = await call('GET', String(run.body.status_url), undefined, headers);
		expect(done.body).toMatchObject({
			status: 'success',
			execution: {
				id: executionId,
				workflow_id: 'wf-42',
				status: 'completed',
				started_at: expect.any(String),
				completed_at: expect.any(String),
			},
			output: {
				output: [expect.stringMatching(/\/files\/\d+-0\.png$/)],
				proxy_links: [],
				status: 'completed',
			},
			error: null,
			steps: [],
		});
		expect(receiver.received).toHaveLength(0);
		expect(
			(await call('GET', `/v1/workflows/other/runs/${String(executionId)}`, undefined, headers))
				.status,
		).toBe(404);
	});

	it('posts workflow.completed to the webhook configured on the workflow', async () => {
		sim.setWorkflowWebhook('wf-7', `${receiver.url}/wf?token=t`);
		const run = await post('/v1/workflows/wf-7/run', { prompt: 'A sunset' }, headers);
		expect(run.body.webhook_url).toBe(`${receiver.url}/wf?token=t`);
		await sim.waitForCallbacks(1);
		expect(receiver.received[0].url).toBe('/wf?token=t');
		expect(receiver.received[0].body).toEqual({
			event: 'workflow.completed',
			execution_id: run.body.execution_id,
			workflow_id: 'wf-7',
			status: 'completed',
			output: { output: [expect.any(String)] },
			completed_at: expect.any(String),
		});
	});

	it('fails a held run on completeJob and reports it in status and webhook', async () => {
		sim.setWorkflowWebhook('wf-9', `${receiver.url}/wf`);
		sim.plan({ hold: true });
		const run = await post('/v1/workflows/wf-9/run', { prompt: 'A sunset' }, headers);
		const executionId = String(run.body.execution_id);
		await sleep(DELAY_MS + 50);
		const running = await call('GET', `/v1/workflows/wf-9/runs/${executionId}`, undefined, headers);
		expect((running.body.execution as JsonObject).status).toBe('running');
		await sim.completeJob(executionId, 'failed');
		expect(receiver.received[0].body).toMatchObject({
			event: 'workflow.failed',
			execution_id: run.body.execution_id,
			workflow_id: 'wf-9',
			status: 'failed',
		});
		const failed = await call('GET', `/v1/workflows/wf-9/runs/${executionId}`, undefined, headers);
		expect(failed.body).toMatchObject({
			execution: { status: 'failed' },
			output: { output: [], status: 'failed' },
			error: expect.any(String),
		});
	});

	it('validates the run body against the workflow parameters (422) and lists them', async () => {
		expect(await post('/v1/workflows/wf-1/run', { width: 512 }, headers)).toEqual({
			status: 422,
			body: { status: 'error', message: 'prompt is required' },
		});
		sim.defineWorkflow('wf-2', {
			name: 'Upscale',
			parameters: [
				{ key: 'image_url', type: 'string', required: true, node_id: '1', node_name: 'Load' },
			],
		});
		const schema = await call('GET', '/v1/workflows/wf-2', undefined, headers);
		expect(schema.body).toEqual({
			status: 'success',
			workflow: { id: 'wf-2', name: 'Upscale' },
			parameters: [
				{ key: 'image_url', type: 'string', required: true, node_id: '1', node_name: 'Load' },
			],
		});
		expect(
			(await post('/v1/workflows/wf-2/run', { image_url: 'https://x/1.png' }, headers)).status,
		).toBe(202);
	});
});

describe('output files', () => {
	async function finishedOutput(
		path: string,
		body: JsonObject,
	): Promise<{ contentType: string; bytes: Buffer; url: string }> {
		sim.plan({ instant: true });
		const submit = await post(path, { key: SIM_KEY, ...body });
		expect(submit.body.status).toBe('success');
		const url = outputsOf(submit.body)[0];
		const file = await download(url);
		expect(file.status).toBe(200);
		return { ...file, url };
	}

	function sniff(bytes: Buffer, extension: string): string | undefined {
		try {
			const dir = mkdtempSync(join(tmpdir(), 'sim-file-'));
			const path = join(dir, `output.${extension}`);
			writeFileSync(path, bytes);
			return execFileSync('file', ['--brief', '--mime-type', path]).toString().trim();
		} catch {
			return undefined; // `file` not installed: the magic-byte checks still ran
		}
	}

	it('serves a valid PNG for images', async () => {
		const { bytes, contentType, url } = await finishedOutput('/v6/images/text2img', {
			model_id: 'flux',
			prompt: 'p',
		});
		expect(url).toMatch(/\/files\/\d+-0\.png$/);
		expect(contentType).toBe('image/png');
		expect(bytes.subarray(0, 8)).toEqual(
			Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		);
		expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
		expect(bytes.readUInt32BE(29)).toBe(crc32(bytes.subarray(12, 29)));
		expect(bytes.subarray(-8, -4).toString('ascii')).toBe('IEND');
		expect(sniff(bytes, 'png') ?? 'image/png').toBe('image/png');
	});

	it('serves a valid MP4 for video and video face swap', async () => {
		for (const [path, body] of [
			['/v6/video/text2video', { model_id: 'wan2.2', prompt: 'p', output_type: 'mp4' }],
			[
				'/v6/faceswap/single_video_swap',
				{ init_image: 'https://x/f.png', init_video: 'https://x/v.mp4' },
			],
		] as const) {
			const { bytes, contentType } = await finishedOutput(path, body);
			expect(contentType).toBe('video/mp4');
			expect(bytes.subarray(4, 8).toString('ascii')).toBe('ftyp');
			const moovAt = bytes.readUInt32BE(0);
			expect(bytes.subarray(moovAt + 4, moovAt + 8).toString('ascii')).toBe('moov');
			expect(bytes.subarray(moovAt + 12, moovAt + 16).toString('ascii')).toBe('mvhd');
			expect(sniff(bytes, 'mp4') ?? 'video/mp4').toBe('video/mp4');
		}
	});

	it('serves WAV for speech and MP3 when music_gen asks for it', async () => {
		const speech = await finishedOutput('/v6/voice/text_to_speech', {
			prompt: 'Hello',
			language: 'american english',
			voice_id: 'madison',
		});
		expect(speech.contentType).toBe('audio/wav');
		expect(speech.bytes.subarray(0, 4).toString('ascii')).toBe('RIFF');
		expect(speech.bytes.subarray(8, 16).toString('ascii')).toBe('WAVEfmt ');
		expect(speech.bytes.readUInt32LE(40)).toBe(speech.bytes.length - 44); // data chunk size: 0.2 s of 8 kHz 16-bit
		expect(speech.bytes.readUInt16LE(20)).toBe(1); // PCM

		const music = await finishedOutput('/v6/voice/music_gen', {
			prompt: 'house',
			output_format: 'mp3',
		});
		expect(music.url).toMatch(/\.mp3$/);
		expect(music.contentType).toBe('audio/mpeg');
		expect([music.bytes[0], music.bytes[1] & 0xfe]).toEqual([0xff, 0xfa]); // frame sync, MPEG-1 Layer III
		expect(sniff(music.bytes, 'mp3') ?? 'audio/mpeg').toBe('audio/mpeg');
	});

	it('serves a valid GLB for 3D', async () => {
		const { bytes, contentType } = await finishedOutput('/v6/3d/image_to_3d', {
			init_image: 'https://x/i.png',
			output_format: 'glb',
		});
		expect(contentType).toBe('model/gltf-binary');
		expect(bytes.subarray(0, 4).toString('ascii')).toBe('glTF');
		expect(bytes.readUInt32LE(4)).toBe(2);
		expect(bytes.readUInt32LE(8)).toBe(bytes.length);
		expect(bytes.subarray(16, 20).toString('ascii')).toBe('JSON');
		const gltf = JSON.parse(bytes.subarray(20, 20 + bytes.readUInt32LE(12)).toString('utf8')) as {
			asset: { version: string };
		};
		expect(gltf.asset.version).toBe('2.0');
	});
});

describe('records', () => {
	it('redacts the key in recorded bodies and headers', async () => {
		await post('/v6/images/text2img', text2img({ webhook: `${receiver.url}/cb?echo=${SIM_KEY}` }));
		await post(
			'/v1/workflows/wf-1/run',
			{ prompt: 'x' },
			{ key: SIM_KEY, authorization: `Bearer ${SIM_KEY}` },
		);
		await post('/v6/images/text2img', text2img({ key: 'a-wrong-key' }));
		await sim.waitForCallbacks(1);
		expect(
			sim.requests.map((recorded) => [recorded.method, recorded.path, recorded.status]),
		).toEqual([
			['POST', '/api/v6/images/text2img', 200],
			['POST', '/api/v1/workflows/wf-1/run', 202],
			['POST', '/api/v6/images/text2img', 401],
		]);
		expect((sim.requests[0].body as JsonObject).key).toBe('***');
		expect(sim.requests[1].headers.key).toBe('***');
		expect(sim.requests[1].headers.authorization).toBe('***');
		expect((sim.requests[2].body as JsonObject).key).toBe('***');
		expect(JSON.stringify(sim.requests)).not.toContain(SIM_KEY);
		expect(JSON.stringify(sim.requests)).not.toContain('a-wrong-key');
		expect(JSON.stringify([...sim.jobs.values()].map((job) => job.request))).not.toMatch(/"key"/);
	});
});

describe('cli', () => {
	it('passes --queue-limit and --queue-retry-after-seconds on to the simulator', async () => {
		const child = spawn(
			join(process.cwd(), 'node_modules', '.bin', 'tsx'),
			[
				join(__dirname, 'cli.ts'),
				'--port',
				'0',
				'--api-key',
				'cli-key',
				'--queue-limit',
				'0',
				'--queue-retry-after-seconds',
				'9',
				'--seed',
				'3',
				'--quiet',
			],
			{ stdio: ['ignore', 'pipe', 'inherit'] },
		);
		try {
			const baseUrl = await new Promise<string>((resolve, reject) => {
				let out = '';
				child.stdout.on('data', (chunk: Buffer) => {
					out += chunk.toString('utf8');
					const match = /Base URL: (\S+)/.exec(out);
					if (match) resolve(match[1]);
				});
				child.once('exit', (code) => reject(new Error(`cli exited with ${String(code)}: ${out}`)));
			});
			expect(
				await post(`${baseUrl}/v6/images/text2img`, {
					key: 'cli-key',
					model_id: 'flux',
					prompt: 'p',
				}),
			).toEqual({
				status: 429,
				body: {
					status: 'error',
					message: 'Rate limit exceeded. Maximum 0 queued requests allowed.',
					retry_after: 9,
				},
			});
		} finally {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		}
	});
});

describe('stop', () => {
	const activeTimers = (): number =>
		process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

	it('cancels pending timers, callbacks and waiters', async () => {
		const before = activeTimers();
		const local = await startSimulator({ callbackDelayMs: 60_000, trainingStepDelayMs: 60_000 });
		const auth = { key: local.apiKey };
		local.plan({ hold: true });
		for (const body of [
			{ model_id: 'flux', prompt: 'held' },
			{ model_id: 'flux', prompt: 'slow' },
			{ model_id: 'flux', prompt: 'slow [sim:slow]' },
		]) {
			await post(`${local.baseUrl}/v6/images/text2img`, {
				...auth,
				...body,
				webhook: `${receiver.url}/never`,
			});
		}
		await post(`${local.baseUrl}/v3/lora_fine_tune`, {
			...auth,
			instance_prompt: 'p',
			class_prompt: 'c',
			images: ['https://x/1.png'],
			training_type: 'men',
			max_train_steps: '10',
		});
		await post(`${local.baseUrl}/v1/workflows/wf/run`, { prompt: 'x' }, auth);
		const waiting = local.waitForCallbacks(1, 60_000);
		expect(activeTimers()).toBeGreaterThan(before);

		await local.stop();
		await expect(waiting).rejects.toThrow(/cancelled/);
		expect(activeTimers()).toBe(before);
		await expect(
			request(`${local.baseUrl}/v6/processing/request_count`, {
				method: 'POST',
				dispatcher: agent,
			}),
		).rejects.toThrow();
	});
});
