import { generationSubmit, type CategorySpec, type FieldSpec, type FileInput } from './types';
import { V7_AUDIO_ENDPOINTS } from './v7/voice';

const TTS_LANGUAGES = [
	'american english',
	'british english',
	'spanish',
	'japanese',
	'mandarin chinese',
	'french',
	'brazilian portuguese',
	'hindi',
	'italian',
] as const;

const temp: FieldSpec = {
	name: 'temp',
	kind: 'boolean',
	default: false,
	description:
		'Whether to use temporary links that expire after 24 hours (for regions that block the storage)',
};
const base64: FieldSpec = {
	name: 'base64',
	kind: 'boolean',
	default: false,
	displayName: 'Base64',
	description: 'Whether the input audio is given as base64 data instead of a URL',
};

/**
 * Audio inputs. Binary data is uploaded through /v6/voice/base64_to_url (field `init_audio`,
 * MP3 or WAV only; docs/modelslab-api.md §2 "Inputs"), the voice endpoints' own upload, and sent
 * as its URL rather than inline (§4: every parameter is repeated in `meta`).
 */
const AUDIO_FILE: FileInput = { kind: 'audio', upload: 'voice' };

const FETCH = '/v6/voice/fetch/{id}';

export const audioCategory: CategorySpec = {
	category: 'audio',
	defaultWaitMinutes: 30,
	defaultFetchPath: FETCH,
	endpoints: [
		generationSubmit({
			category: 'audio',
			operation: 'text_to_speech',
			displayName: 'Text to Speech',
			action: 'Convert text to speech',
			description: 'Speak up to 2500 characters of text with a ModelsLab voice',
			path: '/v6/voice/text_to_speech',
			fetchPath: FETCH,
			trackId: 'integer',
			fields: [
				{
					name: 'prompt',
					kind: 'string',
					required: true,
					maxLength: 2500,
					multiline: true,
					description: 'The text to speak, at most 2500 characters',
				},
				{
					name: 'voice_id',
					kind: 'string',
					required: true,
					displayName: 'Voice ID',
					description: 'ID of a pretrained or trained voice, e.g. madison',
					placeholder: 'madison',
					picker: 'voices',
				},
				// The OpenAPI default "english" is not among its own enum values; we default to the first valid one (docs/modelslab-api.md §3.3).
				{
					name: 'language',
					kind: 'options',
					required: true,
					options: TTS_LANGUAGES,
					default: 'american english',
					description: 'Language of the text',
				},
				{
					name: 'speed',
					kind: 'number',
					default: 1,
					description: 'Playback speed; 1 is normal speed',
				},
				{
					name: 'emotion',
					kind: 'boolean',
					default: false,
					description:
						'Whether to honour emotion tags like <laugh> (English only; voices Tara, Leah, Jess, Mia, Zoe, Leo, Dan, Zac)',
				},
				temp,
			],
			example: { prompt: 'Hello', language: 'american english', voice_id: 'madison' },
		}),
		generationSubmit({
			category: 'audio',
			operation: 'voice_to_voice',
			displayName: 'Voice to Voice',
			action: 'Convert speech to another voice',
			description:
				'Re-speak a source recording in the voice of a target recording (each at most 30 s)',
			path: '/v6/voice/voice_to_voice',
			fetchPath: FETCH,
			trackId: 'integer',
			fields: [
				{
					name: 'init_audio',
					kind: 'string',
					required: true,
					description: 'Public URL or base64 data of the speech to convert, at most 30 s',
					file: AUDIO_FILE,
				},
				{
					name: 'target_audio',
					kind: 'string',
					required: true,
					description: 'Public URL or base64 data of the voice to use, at most 30 s',
					file: AUDIO_FILE,
				},
				{
					name: 'stream',
					kind: 'boolean',
					default: false,
					description: 'Whether to stream the result as base64 chunks in `chunk_output`',
				},
				base64,
				temp,
			],
			example: {
				init_audio: 'https://example.com/source.wav',
				target_audio: 'https://example.com/voice.mp3',
			},
		}),
		generationSubmit({
			category: 'audio',
			operation: 'music_gen',
			displayName: 'Music Generation',
			action: 'Generate music from text',
			description:
				'Generate 30 to 480 seconds of music from a prompt, optionally following a melody',
			path: '/v6/voice/music_gen',
			fetchPath: FETCH,
			trackId: 'integer',
			fields: [
				{
					name: 'prompt',
					kind: 'string',
					required: true,
					multiline: true,
					description: 'Description of the music: genre, mood, tempo, instruments',
				},
				{
					name: 'init_audio',
					kind: 'string',
					description: 'Public URL of a melody to follow, at most 30 s',
					file: AUDIO_FILE,
				},
				{
					name: 'duration',
					kind: 'integer',
					default: 30,
					min: 30,
					max: 480,
					description: 'Length in seconds, 30 to 480',
				},
				{
					name: 'output_format',
					kind: 'options',
					options: ['wav', 'mp3', 'flac'],
					default: 'wav',
					description: 'Audio file format',
				},
				{
					name: 'bitrate',
					kind: 'options',
					options: ['128k', '192k', '320k'],
					default: '320k',
					description: 'Bitrate of the audio file',
				},
				base64,
				temp,
			],
			example: { prompt: 'tropical house, 96 bpm', duration: 30 },
		}),
		generationSubmit({
			category: 'audio',
			operation: 'song_generator',
			displayName: 'Song Generator',
			action: 'Generate a song with vocals',
			description:
				'Generate a full song (ACE-Step) from lyrics, or from a topic with generated lyrics',
			path: '/v6/voice/song_generator',
			fetchPath: FETCH,
			trackId: 'integer',
			// Only `key` is required by the API; `lyrics` or `prompt` is needed depending on `lyrics_generation`.
			// An older changelog `model_id` [diffrhythm-short|diffrhythm-long] is left out as superseded (docs/modelslab-api.md §3.3).
			fields: [
				{
					name: 'lyrics_generation',
					kind: 'boolean',
					default: false,
					description: 'Whether to write the lyrics from the prompt; when off, Lyrics is needed',
				},
				{
					name: 'lyrics',
					kind: 'string',
					multiline: true,
					description:
						'Song lyrics with section tags like [Verse 1]; needed when Lyrics Generation is off',
				},
				{
					name: 'prompt',
					kind: 'string',
					multiline: true,
					description: 'Topic of the song to write lyrics for; needed when Lyrics Generation is on',
				},
				{
					name: 'caption',
					kind: 'string',
					description: 'Style of the song: genre, voice (female or male), instruments',
				},
				{
					name: 'init_audio',
					kind: 'string',
					description: 'Public URL of a reference audio that influences the style',
					file: AUDIO_FILE,
				},
				{
					name: 'duration',
					kind: 'integer',
					min: 30,
					max: 480,
					description: 'Length in seconds, 30 to 480',
				},
				{
					name: 'language',
					kind: 'string',
					description:
						'ISO 639-1 code of the lyrics language (e.g. en, es, ja); detected automatically when empty',
					placeholder: 'en',
				},
				{
					name: 'instrumental',
					kind: 'boolean',
					default: false,
					description: 'Whether to generate the song without vocals',
				},
			],
			example: {
				lyrics_generation: true,
				prompt: 'Cantopop love song',
				caption: 'female vocal, synth',
				duration: 120,
			},
		}),
		...V7_AUDIO_ENDPOINTS,
		{
			type: 'read',
			category: 'audio',
			operation: 'getResult',
			displayName: 'Get Result',
			action: 'Get the result of an audio job',
			description:
				'Read an audio job by its request ID, from the v6 or the v7 (provider models) fetch endpoint',
			method: 'POST',
			auth: 'bodyKey',
			path: '/v6/voice/fetch/{request_id}',
			// A request id does not say which API made the job: v7 provider-model jobs live under v7.
			alternatePaths: ['/v7/voice/fetch/{request_id}'],
			jobKind: 'generation',
			pathFields: ['request_id'],
			fields: [
				{
					name: 'request_id',
					kind: 'string',
					required: true,
					displayName: 'Request ID',
					description: 'The `id` ModelsLab returned when the job was submitted',
				},
			],
			example: { request_id: '134701497' },
		},
	],
};
