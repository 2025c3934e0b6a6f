import { getEndpoint } from '../../nodes/shared/catalog';
import type { Category, SubmitEndpointSpec } from '../../nodes/shared/catalog/types';
import { buildRequestBody, InvalidParameterError } from '../../nodes/shared/parameters/requestBody';
import { endpointForModel, type ModelChoiceEndpoint } from '../../nodes/shared/catalog/modelChoice';

/**
 * Request bodies that agree with ModelsLab's strongest source where the sources disagree
 * (docs/modelslab-api.md §3.1, §3.3, §3.4, §8): both names of a disputed field, requirements
 * between fields, yes/no switches, and the face-swap paths of both families.
 */
function submit(category: Category, operation: string): SubmitEndpointSpec {
	const endpoint = getEndpoint(category, operation);
	if (endpoint.type !== 'submit') throw new Error(`${operation} is no submit`);
	return endpoint;
}

/** The error buildRequestBody throws for `values`, or a failure when it throws none. */
function refusal(endpoint: SubmitEndpointSpec, values: Record<string, unknown>) {
	try {
		buildRequestBody(endpoint, values);
	} catch (error) {
		expect(error).toBeInstanceOf(InvalidParameterError);
		return error as InvalidParameterError;
	}
	throw new Error(`${endpoint.operation} accepted ${JSON.stringify(values)}`);
}

describe('a field whose name the sources dispute goes out under both names', () => {
	it('image_to_3d sends the image as init_image and as image', () => {
		const { body } = buildRequestBody(submit('threeD', 'image_to_3d'), {
			init_image: 'https://example.com/chair.jpg',
		});
		expect(body).toMatchObject({
			init_image: 'https://example.com/chair.jpg',
			image: 'https://example.com/chair.jpg',
		});
	});

	it('speech_to_text sends init_audio and language under the SDKs’ names too', () => {
		const { body } = buildRequestBody(submit('audio', 'speech_to_text'), {
			init_audio: 'https://example.com/speech.wav',
			language: 'en',
		});
		expect(body).toEqual({
			init_audio: 'https://example.com/speech.wav',
			audio_url: 'https://example.com/speech.wav',
			language: 'en',
			input_language: 'en',
		});
	});

	it('lets Extra Body Fields set the second name apart, and sends nothing for an unset field', () => {
		const endpoint = submit('threeD', 'image_to_3d');
		const { body } = buildRequestBody(
			endpoint,
			{ init_image: 'https://example.com/a.jpg' },
			{ image: 'https://example.com/b.jpg' },
		);
		expect(body).toMatchObject({
			init_image: 'https://example.com/a.jpg',
			image: 'https://example.com/b.jpg',
		});
		expect(refusal(endpoint, {}).field).toBe('init_image');
	});
});

describe('requirements between fields are checked before anything is sent', () => {
	const songGenerator = submit('audio', 'song_generator');

	it('song_generator needs prompt and caption when it writes the lyrics (the OpenAPI oneOf)', () => {
		const error = refusal(songGenerator, { lyrics_generation: true, prompt: 'Cantopop love song' });
		expect(error.field).toBe('caption');
		expect(error.message).toBe(
			'Invalid parameter "Caption" (caption): is required when "Lyrics Generation" is on. Set "Caption" (caption) and run again.',
		);
		expect(refusal(songGenerator, { lyrics_generation: true, caption: 'female vocal' }).field).toBe(
			'prompt',
		);
		expect(
			buildRequestBody(songGenerator, {
				lyrics_generation: true,
				prompt: 'Cantopop love song',
				caption: 'female vocal',
			}).body,
		).toEqual({ lyrics_generation: true, prompt: 'Cantopop love song', caption: 'female vocal' });
	});

	it('song_generator needs lyrics when lyrics_generation is off or unset (the API default)', () => {
		expect(refusal(songGenerator, {}).field).toBe('lyrics');
		expect(refusal(songGenerator, { lyrics_generation: false, caption: 'rock' }).field).toBe(
			'lyrics',
		);
		expect(buildRequestBody(songGenerator, { lyrics: '[Verse 1] la la' }).body).toEqual({
			lyrics: '[Verse 1] la la',
		});
	});

	it('counts what Extra Body Fields add, in either form of a boolean', () => {
		expect(
			buildRequestBody(songGenerator, { prompt: 'p' }, { lyrics_generation: 'true', caption: 'c' })
				.body,
		).toMatchObject({ caption: 'c' });
		expect(() =>
			buildRequestBody(songGenerator, { prompt: 'p' }, { lyrics_generation: 'true' }),
		).toThrow(/"Caption" \(caption\)/);
	});

	it('voice cloning takes init_audio or voice_id, and names both when neither is set', () => {
		const cloning = submit('audio', 'text_to_audio');
		const error = refusal(cloning, { prompt: 'Hello' });
		expect(error.field).toBe('init_audio');
		expect(error.message).toBe(
			'Invalid parameter "Init Audio" (init_audio): is required unless "Voice ID" is set. Set "Init Audio" (initAudio) or "Voice ID" (voiceId) and run again.',
		);
		expect(buildRequestBody(cloning, { prompt: 'Hello', voice_id: 'madison' }).body).toEqual({
			prompt: 'Hello',
			voice_id: 'madison',
		});
		expect(() =>
			buildRequestBody(cloning, { prompt: 'Hello', init_audio: 'https://example.com/v.wav' }),
		).not.toThrow();
	});
});

describe('v7 song inpaint carries every field any source requires', () => {
	const operation = submit('audio', 'v7_song_inpaint') as ModelChoiceEndpoint;
	const endpoint = endpointForModel(operation, 'song-inpaint');
	const complete = {
		model_id: 'song-inpaint',
		prompt: 'new chorus',
		lyrics: 'and the night goes on',
		init_audio: 'https://example.com/song.mp3',
		sections: '[{"start":30,"end":45}]',
	};

	it('sends the prompt the tools reference requires with the SDK’s lyrics and sections', () => {
		expect(buildRequestBody(endpoint, complete).body).toEqual({
			...complete,
			sections: [{ start: 30, end: 45 }],
		});
	});

	it.each(['prompt', 'lyrics', 'init_audio', 'sections'])('refuses a body without %s', (name) => {
		const values: Record<string, unknown> = { ...complete };
		delete values[name];
		expect(refusal(endpoint, values).field).toBe(name);
	});
});

describe('community image switches go out as "yes"/"no", as every example and SDK sends them', () => {
	const switches = [
		'safety_checker',
		'enhance_prompt',
		'use_karras_sigmas',
		'multi_lingual',
		'upscale',
		'highres_fix',
		'base64',
		'temp',
	];

	it.each(['text2img', 'img2img', 'inpaint'])('%s', (operation) => {
		const endpoint = submit('image', operation);
		const on = Object.fromEntries(switches.map((name) => [name, true]));
		const off = Object.fromEntries(switches.map((name) => [name, false]));
		const sent = (values: Record<string, unknown>) =>
			buildRequestBody(endpoint, { ...endpoint.example, ...values }).body;
		expect(sent(on)).toMatchObject(Object.fromEntries(switches.map((name) => [name, 'yes'])));
		expect(sent(off)).toMatchObject(Object.fromEntries(switches.map((name) => [name, 'no'])));
	});

	it('keeps JSON booleans where the family sends them (realtime, Flux Kontext)', () => {
		for (const [category, operation] of [
			['image', 'realtime_text2img'],
			['imageEditing', 'flux_kontext'],
		] as const) {
			const endpoint = submit(category, operation);
			const { body } = buildRequestBody(endpoint, { ...endpoint.example, safety_checker: true });
			expect(body.safety_checker).toBe(true);
		}
	});
});

describe('face swap names the other path family as alternates', () => {
	it.each(['single_face_swap', 'multiple_face_swap', 'single_video_swap', 'specific_video_swap'])(
		'%s: /v6/faceswap first, /v6/deepfake when it is not found',
		(operation) => {
			const endpoint = submit('imageEditing', operation);
			expect(endpoint.path).toBe(`/v6/faceswap/${operation}`);
			expect(endpoint.alternatePaths).toEqual([`/v6/deepfake/${operation}`]);
			expect(endpoint.fetchPath).toBe('/v6/faceswap/fetch/{id}');
			expect(endpoint.alternateFetchPaths).toEqual(['/v6/deepfake/fetch/{id}']);
		},
	);

	it('Get Result of the Image Editing node also tries /v6/deepfake', () => {
		const read = getEndpoint('imageEditing', 'getResult');
		expect(read.type === 'read' && read.alternatePaths).toContain(
			'/v6/deepfake/fetch/{request_id}',
		);
	});
});
