/**
 * The simulator's rules for the families added 2026-12-07 and for the request shapes the sources
 * dispute, over real HTTP (undici): required fields, track id types, enums, yes/no switches, both
 * names of a disputed field, and each family's fetch path and output kind.
 */
import { Agent, request } from 'undici';

import { startSimulator, type JsonObject, type Simulator } from './index';

const SIM_KEY = 'families-sim-key';
const agent = new Agent();
let sim: Simulator;

interface Answer {
	status: number;
	body: JsonObject;
}

async function post(path: string, body: JsonObject): Promise<Answer> {
	const answer = await request(`${sim.baseUrl}${path}`, {
		method: 'POST',
		dispatcher: agent,
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ key: SIM_KEY, ...body }),
	});
	return { status: answer.statusCode, body: (await answer.body.json()) as JsonObject };
}

/** The message of a refused submit (HTTP 200, `status: "error"`), or `accepted`. */
async function verdict(path: string, body: JsonObject): Promise<string> {
	const { status, body: answer } = await post(path, body);
	expect(status).toBe(200);
	return answer.status === 'error' ? String(answer.message) : 'accepted';
}

beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_KEY, callbackDelayMs: 40 });
});
beforeEach(() => sim.reset());
afterAll(async () => {
	await sim.stop();
	await agent.close();
});

const room = { init_image: 'https://x/room.jpg', prompt: 'a bright room' };

describe('interior', () => {
	it('requires what the OpenAPI requires, with an integer track id', async () => {
		expect(await verdict('/v6/interior/make', { init_image: 'https://x/r.jpg' })).toBe(
			'prompt is required',
		);
		expect(await verdict('/v6/interior/make', { ...room, track_id: '7' })).toBe(
			'track_id must be an integer',
		);
		expect(await verdict('/v6/interior/make', { ...room, track_id: 7 })).toBe('accepted');
		expect(await verdict('/v6/interior/object_removal', { init_image: 'https://x/r.jpg' })).toBe(
			'object_name is required',
		);
		expect(await verdict('/v6/interior/interior_mixer', room)).toBe('object_image is required');
	});

	it('takes the scenarios the OpenAPI lists', async () => {
		expect(await verdict('/v6/interior/scenario_changer', { ...room, scenario: 'moon' })).toMatch(
			/^scenario must be one of: beach, desert/,
		);
		expect(await verdict('/v6/interior/scenario_changer', { ...room, scenario: 'snow' })).toBe(
			'accepted',
		);
	});

	it('is read back at /interior/fetch only, with images as output', async () => {
		const { body } = await post('/v6/interior/room_decorator', room);
		expect(body.fetch_result).toBe(`${sim.baseUrl}/v6/interior/fetch/${String(body.id)}`);
		await sim.completeJob(String(body.id));
		const fetched = await post(`/v6/interior/fetch/${String(body.id)}`, {});
		expect(fetched.body).toMatchObject({ status: 'success', id: body.id });
		expect(String((fetched.body.output as string[])[0])).toMatch(/\.png$/);
		expect((await post(`/v6/images/fetch/${String(body.id)}`, {})).body.message).toBe(
			`Request not found: ${String(body.id)}`,
		);
	});
});

describe('realtime', () => {
	it('takes a string track id, JSON booleans, and is read back at /realtime/fetch', async () => {
		const text = { prompt: 'portrait', safety_checker: false, base64: false };
		expect(await verdict('/v6/realtime/text2img', { ...text, track_id: 5 })).toBe(
			'track_id must be a string',
		);
		const { body } = await post('/v6/realtime/text2img', { ...text, track_id: '5' });
		expect(body.status).toBe('processing');
		expect(body.fetch_result).toBe(`${sim.baseUrl}/v6/realtime/fetch/${String(body.id)}`);
		expect(await verdict('/v6/realtime/inpaint', { prompt: 'p', init_image: 'https://x/i' })).toBe(
			'mask_image is required',
		);
	});
});

describe('voice', () => {
	it('voice cloning takes init_audio or voice_id', async () => {
		expect(await verdict('/v6/voice/text_to_audio', { prompt: 'hi' })).toBe(
			'init_audio is required',
		);
		expect(await verdict('/v6/voice/text_to_audio', { prompt: 'hi', voice_id: 'madison' })).toBe(
			'accepted',
		);
		expect(
			await verdict('/v6/voice/text_to_audio', {
				prompt: 'hi',
				voice_id: 'madison',
				language: 'american english',
			}),
		).toMatch(/^language must be one of: arabic/);
	});

	it('speech to text takes either name of the audio and language fields', async () => {
		expect(await verdict('/v6/voice/speech_to_text', { language: 'en' })).toBe(
			'init_audio is required',
		);
		expect(await verdict('/v6/voice/speech_to_text', { init_audio: 'https://x/a.wav' })).toBe(
			'language is required',
		);
		expect(
			await verdict('/v6/voice/speech_to_text', {
				audio_url: 'https://x/a.wav',
				input_language: 'en',
				track_id: 3,
			}),
		).toBe('accepted');
		expect(
			await verdict('/v6/voice/speech_to_text', {
				init_audio: 'https://x/a.wav',
				language: 'en',
				timestamp_level: 'paragraph',
			}),
		).toMatch(/^timestamp_level must be one of/);
	});

	it('speech to text and lyrics end with a text file, also given as text', async () => {
		for (const [path, body] of [
			['/v6/voice/speech_to_text', { init_audio: 'https://x/a.wav', language: 'en' }],
			['/v6/voice/lyrics_generator', { prompt: 'tokyo', length: 'short' }],
		] as const) {
			const submitted = await post(path, body);
			await sim.completeJob(String(submitted.body.id));
			const fetched = await post(`/v6/voice/fetch/${String(submitted.body.id)}`, {});
			expect(String((fetched.body.output as string[])[0])).toMatch(/\.txt$/);
			expect(typeof fetched.body.text).toBe('string');
		}
		expect(await verdict('/v6/voice/lyrics_generator', { prompt: 'x', length: 'medium' })).toBe(
			'length must be one of: short, long',
		);
	});

	it('song cover needs a voice model, sound effects honour the output format', async () => {
		expect(await verdict('/v6/voice/voice_cover', { init_audio: 'https://x/s.mp3' })).toBe(
			'model_id is required',
		);
		const { body } = await post('/v6/voice/sfx', { prompt: 'rain', output_format: 'mp3' });
		expect(String((body.future_links as string[])[0])).toMatch(/\.mp3$/);
	});

	it('song_generator needs a caption when it writes the lyrics (the OpenAPI oneOf)', async () => {
		expect(
			await verdict('/v6/voice/song_generator', { lyrics_generation: true, prompt: 'pop' }),
		).toBe('caption is required when lyrics_generation is true');
	});
});

describe('the disputed request shapes', () => {
	it('image_to_3d takes its image as init_image or image', async () => {
		expect(await verdict('/v6/3d/image_to_3d', {})).toBe('init_image is required');
		expect(await verdict('/v6/3d/image_to_3d', { image: 'https://x/c.jpg' })).toBe('accepted');
		expect(await verdict('/v6/3d/image_to_3d', { init_image: 'https://x/c.jpg' })).toBe('accepted');
	});

	it('community image switches take "yes"/"no"; Flux Kontext on img2img takes booleans', async () => {
		const text2img = { model_id: 'flux', prompt: 'apple' };
		expect(await verdict('/v6/images/text2img', { ...text2img, safety_checker: true })).toBe(
			'safety_checker must be "yes" or "no"',
		);
		expect(await verdict('/v6/images/text2img', { ...text2img, upscale: 'no' })).toBe('accepted');
		const kontext = { model_id: 'flux-kontext-dev', init_image: 'https://x/a.jpg' };
		expect(await verdict('/v6/images/img2img', kontext)).toBe('prompt is required');
		expect(
			await verdict('/v6/images/img2img', { ...kontext, prompt: 'p', safety_checker: true }),
		).toBe('accepted');
		expect(
			await verdict('/v6/images/img2img', {
				model_id: 'realistic-vision-51',
				init_image: 'https://x/a.jpg',
				safety_checker: true,
			}),
		).toBe('safety_checker must be "yes" or "no"');
	});

	it('v7 song inpaint takes the SDK’s fields or the tools reference’s', async () => {
		const base = { model_id: 'song-inpaint', init_audio: 'https://x/s.mp3' };
		expect(await verdict('/v7/voice/song-inpaint', base)).toBe('lyrics is required');
		expect(await verdict('/v7/voice/song-inpaint', { ...base, lyrics: 'la' })).toBe(
			'sections is required',
		);
		expect(await verdict('/v7/voice/song-inpaint', { ...base, prompt: 'new chorus' })).toBe(
			'accepted',
		);
		expect(
			await verdict('/v7/voice/song-inpaint', { ...base, lyrics: 'la', sections: [{ start: 1 }] }),
		).toBe('accepted');
	});

	it('the watermark remover needs a video and a string track id', async () => {
		expect(await verdict('/v6/video/watermark_remover', {})).toBe('init_video is required');
		const { body } = await post('/v6/video/watermark_remover', {
			init_video: 'https://x/v.mp4',
			track_id: 't1',
		});
		expect(String((body.future_links as string[])[0])).toMatch(/\.mp4$/);
	});
});
