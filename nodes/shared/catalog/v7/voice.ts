import type { SubmitEndpointSpec } from '../types';
import { audio, prompt, voiceId } from './fields';
import { v7Operation } from './operation';

/**
 * v7 audio operations, under `/api/v7/voice/`: one entry per operation, each provider model with
 * its own fields, as ModelsLab's Python SDK lists them (docs/modelslab-api.md, "Base URLs,
 * versions, auth" and "Sources"). Results are read at the family's v7 fetch path.
 */
const V7_VOICE_FETCH = '/v7/voice/fetch/{id}';

const EXAMPLE_AUDIO = 'https://example.com/speech.mp3';
const EXAMPLE_SONG = 'https://example.com/song.mp3';
/** ElevenLabs' "Rachel", the voice id docs-v2's model-selection guide uses. */
const RACHEL = '21m00Tcm4TlvDq8ikWAM';

// The text goes in `prompt`: the SDK, the docs-v2 guide and the skills agree (the CLI's `text` is
// the odd one out).
const speechText = prompt('The text to speak');

export const v7TextToSpeech: SubmitEndpointSpec = v7Operation({
	category: 'audio',
	operation: 'v7_text_to_speech',
	displayName: 'Text to Speech (Provider Models)',
	action: 'Turn text into speech with a provider model',
	description: 'Speak a text with an ElevenLabs or Inworld voice',
	path: '/v7/voice/text-to-speech',
	fetchPath: V7_VOICE_FETCH,
	models: [
		{
			id: 'eleven_multilingual_v2',
			provider: 'ElevenLabs',
			displayName: 'Multilingual v2',
			// No v7 voice list exists; the ids are ElevenLabs' own.
			fields: [
				speechText,
				voiceId(
					`ElevenLabs voice ID, e.g. ${RACHEL} (Rachel), pNInz6obpgDQGcFmaJgB (Adam), EXAVITQu4vr4xnSDxMaL (Bella)`,
					RACHEL,
				),
			],
			example: { prompt: 'Hello from n8n', voice_id: RACHEL },
		},
		{
			id: 'inworld-tts-1',
			provider: 'Inworld',
			displayName: 'TTS 1',
			fields: [speechText, voiceId('Inworld voice name, e.g. Alex, Ashley or Craig', 'Ashley')],
			example: { prompt: 'Hello from n8n', voice_id: 'Ashley' },
		},
	],
});

export const v7SpeechToText: SubmitEndpointSpec = v7Operation({
	category: 'audio',
	operation: 'v7_speech_to_text',
	displayName: 'Speech to Text (Provider Models)',
	action: 'Transcribe speech with a provider model',
	description: 'Transcribe an audio file with ElevenLabs Scribe',
	path: '/v7/voice/speech-to-text',
	fetchPath: V7_VOICE_FETCH,
	models: [
		{
			id: 'scribe_v1',
			provider: 'ElevenLabs',
			displayName: 'Scribe v1',
			fields: [audio('MP3 or WAV audio to transcribe')],
			example: { init_audio: EXAMPLE_AUDIO },
		},
	],
});

export const v7SpeechToSpeech: SubmitEndpointSpec = v7Operation({
	category: 'audio',
	operation: 'v7_speech_to_speech',
	displayName: 'Speech to Speech (Provider Models)',
	action: 'Say a recording in another voice',
	description: 'Change the voice of a recording with the ElevenLabs voice changer',
	path: '/v7/voice/speech-to-speech',
	fetchPath: V7_VOICE_FETCH,
	models: [
		{
			id: 'eleven_english_sts_v2',
			provider: 'ElevenLabs',
			displayName: 'English Voice Changer v2',
			fields: [
				audio('MP3 or WAV recording of the speech'),
				voiceId(`ElevenLabs ID of the voice to change into, e.g. ${RACHEL} (Rachel)`, RACHEL),
			],
			example: { init_audio: EXAMPLE_AUDIO, voice_id: RACHEL },
		},
	],
});

export const v7MusicGen: SubmitEndpointSpec = v7Operation({
	category: 'audio',
	operation: 'v7_music_gen',
	displayName: 'Music Generation (Provider Models)',
	action: 'Compose music with a provider model',
	description: 'Compose music or a song from a description with ElevenLabs Music or Sonauto',
	path: '/v7/voice/music-gen',
	fetchPath: V7_VOICE_FETCH,
	models: [
		{
			id: 'music_v1',
			provider: 'ElevenLabs',
			displayName: 'Music v1',
			fields: [prompt('Style, mood, instruments and tempo of the music')],
			example: { prompt: 'calm lo-fi beat with piano, 80 bpm' },
		},
		{
			id: 'sonauto_song',
			provider: 'Sonauto',
			displayName: 'Song',
			fields: [prompt('What the song should be: genre, mood, theme')],
			example: { prompt: 'an upbeat pop song about the sea' },
		},
	],
});

export const v7SoundGeneration: SubmitEndpointSpec = v7Operation({
	category: 'audio',
	operation: 'v7_sound_generation',
	displayName: 'Sound Effect (Provider Models)',
	action: 'Generate a sound effect with a provider model',
	description: 'Generate a sound effect from a description with ElevenLabs Sound Effects',
	path: '/v7/voice/sound-generation',
	fetchPath: V7_VOICE_FETCH,
	models: [
		{
			id: 'eleven_sound_effect',
			provider: 'ElevenLabs',
			displayName: 'Sound Effects',
			fields: [
				prompt('The sound to make, e.g. "a door creaking open"'),
				// Uncertain: the Python SDK sends the length under the literal key "time in seconds"
				// (an alias, spaces included), the unmerged JS branch `duration_seconds`, third-party
				// code `duration`. We follow the SDK.
				{
					name: 'time in seconds',
					kind: 'integer',
					min: 1,
					max: 22,
					default: 5,
					displayName: 'Duration (Seconds)',
					description: 'Length of the sound in seconds, 1 to 22',
				},
			],
			example: { prompt: 'a door creaking open' },
		},
	],
});

// No SDK model posts here. docs-v2's tools reference gives model_id, init_audio and target_language
// (followed here); ModelsLab's CLI sends init_video instead, which Extra Body Fields can add.
export const v7CreateDubbing: SubmitEndpointSpec = v7Operation({
	category: 'audio',
	operation: 'v7_create_dubbing',
	displayName: 'Create Dubbing (Provider Models)',
	action: 'Dub speech into another language',
	description:
		'Dub the speech of a recording into another language, with a v7 model chosen by its ID',
	path: '/v7/voice/create-dubbing',
	fetchPath: V7_VOICE_FETCH,
	models: [],
	fields: [
		audio('Recording whose speech is dubbed'),
		{
			name: 'target_language',
			kind: 'string',
			required: true,
			placeholder: 'es',
			description: 'Language to dub into, e.g. es for Spanish',
		},
	],
	example: { model_id: 'dubbing-model-id', init_audio: EXAMPLE_AUDIO, target_language: 'es' },
});

export const v7SongExtender: SubmitEndpointSpec = v7Operation({
	category: 'audio',
	operation: 'v7_song_extender',
	displayName: 'Song Extender (Provider Models)',
	action: 'Make a song longer with a provider model',
	description: 'Continue a song before its start or after its end with Sonauto',
	path: '/v7/voice/song-extender',
	fetchPath: V7_VOICE_FETCH,
	models: [
		{
			id: 'song-extender',
			provider: 'Sonauto',
			displayName: 'Song Extender',
			fields: [
				audio('Song to extend'),
				prompt('How the song should continue'),
				{
					name: 'extend_duration',
					kind: 'number',
					required: true,
					min: 0,
					max: 85,
					default: 30,
					description: 'Seconds to add, 0 to 85',
				},
				{
					name: 'side',
					kind: 'options',
					options: ['right', 'left'],
					default: 'right',
					description: 'Where to add: right = after the end, left = before the start',
				},
			],
			example: { init_audio: EXAMPLE_SONG, prompt: 'a long guitar outro', extend_duration: 30 },
		},
	],
});

export const v7SongInpaint: SubmitEndpointSpec = v7Operation({
	category: 'audio',
	operation: 'v7_song_inpaint',
	displayName: 'Song Inpaint (Provider Models)',
	action: 'Rewrite parts of a song with a provider model',
	description: 'Sing new lyrics over chosen parts of a song with Sonauto',
	path: '/v7/voice/song-inpaint',
	fetchPath: V7_VOICE_FETCH,
	models: [
		{
			id: 'song-inpaint',
			provider: 'Sonauto',
			displayName: 'Song Inpaint',
			// The SDK requires lyrics, init_audio and sections; the tools reference init_audio and a
			// prompt, which the CLI sends too. All four go out, so the request holds whichever set
			// the server checks (docs/modelslab-api.md, "Audio": "Song inpaint (v7)"). No source
			// gives the items of `sections` a shape.
			fields: [
				prompt('What to change in the song, e.g. new lyrics for the chorus'),
				{
					name: 'lyrics',
					kind: 'string',
					required: true,
					multiline: true,
					description: 'Lyrics to sing in the rewritten parts',
				},
				audio('Song to change'),
				{
					name: 'sections',
					kind: 'jsonArray',
					required: true,
					description:
						'Time ranges of the song to rewrite, as a JSON array, e.g. [{"start": 30, "end": 45}] (ModelsLab documents no item shape)',
				},
			],
			example: {
				prompt: 'sing new lyrics in the chorus',
				lyrics: 'and the night goes on',
				init_audio: EXAMPLE_SONG,
				sections: [{ start: 30, end: 45 }],
			},
		},
	],
});

export const V7_AUDIO_ENDPOINTS = [
	v7TextToSpeech,
	v7SpeechToText,
	v7SpeechToSpeech,
	v7MusicGen,
	v7SoundGeneration,
	v7CreateDubbing,
	v7SongExtender,
	v7SongInpaint,
] as const;
