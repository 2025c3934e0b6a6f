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

/** The voice-cloning languages of the text_to_audio OpenAPI enum. */
const CLONING_LANGUAGES = [
	'arabic',
	'assamese',
	'bengali',
	'brazilian portuguese',
	'chinese',
	'czech',
	'danish',
	'dutch',
	'english',
	'finnish',
	'french',
	'german',
	'greek',
	'gujarati',
	'hebrew',
	'hindi',
	'hungarian',
	'indonesian',
	'italian',
	'japanese',
	'kannada',
	'korean',
	'maithili',
	'malay',
	'malayalam',
	'marathi',
	'min nan chinese',
	'nepali',
	'odia',
	'persian',
	'polish',
	'punjabi',
	'russian',
	'sindhi',
	'sinhala',
	'slovak',
	'spanish',
	'swahili',
	'swedish',
	'tamil',
	'telugu',
	'thai',
	'turkish',
	'ukrainian',
	'urdu',
	'vietnamese',
	'welsh',
	'yue chinese',
] as const;

/** A voice_cover number from 0 to 1. */
const unitRange = (name: string, description: string, def?: number): FieldSpec => ({
	name,
	kind: 'number',
	min: 0,
	max: 1,
	...(def === undefined ? {} : { default: def }),
	description,
});

/** A voice_cover volume change, a signed text such as "+1" in the OpenAPI and its example. */
const volumeDelta = (name: string, what: string): FieldSpec => ({
	name,
	kind: 'string',
	placeholder: '+1',
	description: `Volume change of the ${what}, -5 to +5`,
});

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
			// Only `key` is required by the API; the OpenAPI `oneOf` requires `prompt` and `caption`
			// when `lyrics_generation` is true, and its `lyrics` needs them when false, the default.
			// An older changelog `model_id` [diffrhythm-short|diffrhythm-long] is left out as superseded (docs/modelslab-api.md §3.3).
			requirements: [
				{ when: { field: 'lyrics_generation', equals: true }, require: ['prompt', 'caption'] },
				{
					when: { field: 'lyrics_generation', equals: false, unsetMeans: false },
					require: ['lyrics'],
				},
			],
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
					description:
						'Style of the song: genre, voice (female or male), instruments; needed when Lyrics Generation is on',
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
		generationSubmit({
			category: 'audio',
			operation: 'text_to_audio',
			displayName: 'Voice Cloning',
			action: 'Speak text in a cloned voice',
			description: 'Speak a text in the voice of a 4 to 30 s recording, or of a voice ID',
			path: '/v6/voice/text_to_audio',
			fetchPath: FETCH,
			trackId: 'integer',
			// The OpenAPI marks init_audio required; the page (2025 and its current summary) and every
			// SDK take init_audio or voice_id (docs/modelslab-api.md §3.3).
			requirements: [{ anyOf: ['init_audio', 'voice_id'] }],
			fields: [
				{
					name: 'prompt',
					kind: 'string',
					required: true,
					multiline: true,
					description: 'The text to speak',
				},
				{
					name: 'init_audio',
					kind: 'string',
					description:
						'Public URL of a 4 to 30 s recording of the voice to clone; needed unless Voice ID is set',
					file: AUDIO_FILE,
				},
				{
					name: 'voice_id',
					kind: 'string',
					displayName: 'Voice ID',
					description: 'ID of a voice to speak with; needed unless Init Audio is set',
					placeholder: 'madison',
					picker: 'voices',
				},
				{
					name: 'language',
					kind: 'options',
					options: CLONING_LANGUAGES,
					default: 'english',
					description: 'Language of the text',
				},
				{
					name: 'speed',
					kind: 'number',
					default: 1,
					description: 'Playback speed; 1 is normal speed',
				},
				base64,
				temp,
			],
			example: {
				prompt: 'Welcome to the show',
				init_audio: 'https://example.com/voice.wav',
				language: 'english',
			},
		}),
		generationSubmit({
			category: 'audio',
			operation: 'voice_cover',
			displayName: 'Song Cover',
			action: 'Sing a song in another voice',
			description: 'Re-sing a song (a URL, YouTube included) in the voice of a voice model',
			path: '/v6/voice/voice_cover',
			fetchPath: FETCH,
			trackId: 'integer',
			fields: [
				{
					name: 'init_audio',
					kind: 'string',
					required: true,
					description: 'Public URL of the song (YouTube links work) or base64 WAV data',
					file: AUDIO_FILE,
				},
				{
					name: 'model_id',
					kind: 'string',
					required: true,
					displayName: 'Model ID',
					description: 'ID of the voice model to sing with, from modelslab.com/voice-cover',
					placeholder: 'zoro',
				},
				{
					name: 'pitch',
					kind: 'options',
					options: ['none', 'm2f', 'f2m'],
					default: 'none',
					description: 'Pitch shift between voices: none, male to female or female to male',
				},
				{
					name: 'algorithm',
					kind: 'options',
					options: ['rmvpe', 'mangio-crepe'],
					default: 'rmvpe',
					description: 'Pitch extraction algorithm',
				},
				unitRange('rate', 'How closely the voice resembles its training data, 0 to 1'),
				{ name: 'seed', kind: 'integer', description: 'Seed for reproducible results' },
				{
					name: 'language',
					kind: 'string',
					default: 'english',
					description: 'Language of the voice',
				},
				{
					name: 'emotion',
					kind: 'options',
					options: ['neutral', 'happy', 'sad', 'angry', 'dull'],
					default: 'neutral',
					description: 'Emotion of the voice',
				},
				{
					name: 'speed',
					kind: 'number',
					default: 1,
					min: 0.5,
					max: 2,
					description: 'Playback speed, 0.5 to 2',
				},
				{
					name: 'radius',
					kind: 'number',
					default: 3,
					min: 0,
					max: 3,
					description: 'Median filter length against voice artifacts, 0 to 3',
				},
				unitRange('mix', 'How closely the loudness follows the original, 0 to 1', 0.25),
				{
					name: 'hop_length',
					kind: 'integer',
					description: 'How often the pitch is analysed (mangio-crepe)',
				},
				unitRange(
					'originality',
					'How closely unvoiced consonants follow the original vocals, 0 to 1',
					0.33,
				),
				volumeDelta('lead_voice_volume_delta', 'lead vocals'),
				volumeDelta('backup_voice_volume_delta', 'backup vocals'),
				volumeDelta('instrument_volume_delta', 'instruments'),
				unitRange('reverb_size', 'Size of the reverb room, 0 to 1', 0.15),
				unitRange('wetness', 'Reverb on the new vocals, 0 to 1', 0.2),
				unitRange('dryness', 'Reverb on the original vocals, 0 to 1', 0.8),
				unitRange('damping', 'Damping of high frequencies in the reverb, 0 to 1', 0.7),
				base64,
				temp,
			],
			example: { init_audio: 'https://example.com/song.mp3', model_id: 'zoro' },
		}),
		generationSubmit({
			category: 'audio',
			operation: 'sfx',
			displayName: 'Sound Effects',
			action: 'Generate a sound effect from text',
			description: 'Generate a 3 to 15 s sound effect from a description',
			path: '/v6/voice/sfx',
			fetchPath: FETCH,
			trackId: 'integer',
			fields: [
				{
					name: 'prompt',
					kind: 'string',
					required: true,
					multiline: true,
					description: 'The sound to generate, e.g. thunderstorm with rain',
				},
				{
					name: 'duration',
					kind: 'integer',
					default: 10,
					min: 3,
					max: 15,
					description: 'Length in seconds, 3 to 15',
				},
				// Not in the OpenAPI; the Python and Go SDKs send them (docs/modelslab-api.md §3.3).
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
				temp,
			],
			example: { prompt: 'thunderstorm with rain', duration: 10 },
		}),
		generationSubmit({
			category: 'audio',
			operation: 'speech_to_text',
			displayName: 'Speech to Text',
			action: 'Transcribe speech',
			description: 'Transcribe 5 s to 1 h of speech (Whisper); the transcript is a text file',
			// The OpenAPI, the pages and the Python and Go SDKs post to /voice/speech_to_text with
			// init_audio and language; the JS SDK to /whisper/transcribe, and all three SDKs name the
			// fields audio_url and input_language. The 2025 page's queued reply is read under
			// /whisper/fetch (docs/modelslab-api.md §3.3).
			path: '/v6/voice/speech_to_text',
			alternatePaths: ['/v6/whisper/transcribe'],
			fetchPath: FETCH,
			alternateFetchPaths: ['/v6/whisper/fetch/{id}'],
			trackId: 'integer',
			fields: [
				{
					name: 'init_audio',
					kind: 'string',
					required: true,
					description: 'Public URL of the speech: WAV, MP3, FLAC or OPUS, 5 s to 1 h',
					file: AUDIO_FILE,
					alsoSendAs: ['audio_url'],
				},
				{
					name: 'language',
					kind: 'string',
					required: true,
					default: 'en',
					placeholder: 'en',
					description: 'ISO 639-1 code of the spoken language, e.g. en, es, fr',
					alsoSendAs: ['input_language'],
				},
				{
					name: 'timestamp_level',
					kind: 'options',
					options: ['sentence', 'word'],
					default: 'sentence',
					description: 'Timestamps per sentence (reliable) or per word (less accurate)',
				},
			],
			example: { init_audio: 'https://example.com/speech.wav', language: 'en' },
		}),
		generationSubmit({
			category: 'audio',
			operation: 'lyrics_generator',
			displayName: 'Lyrics Generator',
			action: 'Write song lyrics',
			description: 'Write English song lyrics about a topic; the lyrics are a text file',
			path: '/v6/voice/lyrics_generator',
			fetchPath: FETCH,
			trackId: 'integer',
			fields: [
				{
					name: 'prompt',
					kind: 'string',
					required: true,
					multiline: true,
					description: 'Topic or theme of the lyrics, e.g. a rainy night in Mumbai',
				},
				{
					name: 'length',
					kind: 'options',
					options: ['short', 'long'],
					default: 'short',
					description: 'One verse (short) or a song of several sections (long)',
				},
			],
			example: { prompt: 'tokyo', length: 'short' },
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
			// A request id does not say which API made the job: v7 provider-model jobs live under v7,
			// and speech to text may be read under /whisper (docs/modelslab-api.md §3.3).
			alternatePaths: ['/v7/voice/fetch/{request_id}', '/v6/whisper/fetch/{request_id}'],
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
