/**
 * v7 provider-model endpoints (§1 table, §3.1 "v7 images", §3.2 "v7 video"): which model ids each
 * operation takes and the fields each model requires, as data. Derived from
 * /work/research/v7-models.json (ModelsLab/modelslab-py providers at c060340: 51 v7 model ids;
 * the SDK's three BFL FLUX Pro 1.x models post to v6 text2img and are not here): a
 * field's type, required flag, enum values (from the SDK's descriptions), ranges, list and length
 * limits. Every v7 body also takes `key`, `model_id`, `webhook` and a string `track_id`.
 * Operations the research found no model for take any non-empty `model_id` with the generic
 * fields of the docs (`anyModel`).
 */
import type { OutputRule } from './endpoints';

export type V7Family = 'images' | 'video-fusion' | 'voice';

/**
 * `fileList`: one file (URL or data URI) or an array of them; the SDK types most file fields `Any`.
 * `array`: any JSON array (song-inpaint `sections`, whose item shape is undocumented).
 */
export type V7FieldType =
	'string' | 'fileList' | 'integer' | 'number' | 'boolean' | 'enum' | 'array';

export interface V7Field {
	type: V7FieldType;
	required: boolean;
	/** `enum`: the values (numbers may come as their string form and the other way round). */
	values?: readonly string[];
	/** `integer`, `number`: inclusive range. */
	min?: number;
	max?: number;
	/** `fileList`: most items. */
	maxItems?: number;
	/** `string`: most characters. */
	maxLength?: number;
}

export type V7Fields = Readonly<Record<string, V7Field>>;

export interface V7Operation {
	/** Path under `/api`, e.g. `/v7/images/text-to-image`. */
	path: string;
	family: V7Family;
	output: OutputRule;
	/** model_id -> the fields it takes besides the common ones. Empty: see `anyModel`. */
	models: Readonly<Record<string, V7Fields>>;
	/** For an operation without researched models: any non-empty model_id, with these fields. */
	anyModel?: V7Fields;
	/** At least one of these must be present; the error names the first. */
	requiredOneOf?: readonly (readonly string[])[];
	/**
	 * Where sources disagree on what is required: the body must hold every field of at least one
	 * set; the error names the first missing field of the first set.
	 */
	requiredSets?: readonly (readonly string[])[];
}

type Limits = Omit<V7Field, 'type' | 'required'>;
const req = (type: V7FieldType, limits: Limits = {}): V7Field => ({
	type,
	required: true,
	...limits,
});
const opt = (type: V7FieldType, limits: Limits = {}): V7Field => ({
	type,
	required: false,
	...limits,
});

const SEEDREAM_RATIOS = ['1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3', '21:9'] as const;
const IMAGEN_RATIOS = ['1:1', '3:4', '4:3', '9:16', '16:9'] as const;
const KONTEXT_RATIOS = ['21:9', '16:9', '4:3', '3:2', '1:1', '2:3', '3:4', '9:16', '9:21'] as const;
const SEEDREAM_I2I_RATIOS = ['1:1', '4:3', '16:9', '9:16', '3:2', '2:3', '21:9'] as const;
const SEEDANCE_RATIOS = ['16:9', '4:3', '1:1', '9:21'] as const;
const SEEDANCE_RESOLUTIONS = ['720p', '480p'] as const;
const KLING_SECONDS = ['5', '10'] as const;
const KLING_RATIOS = ['16:9', '9:16', '1:1'] as const;
const SORA_RATIOS = ['16:9', '9:16'] as const;
const SORA_SECONDS = ['4', '8', '12'] as const;
const HAILUO_SECONDS = ['6', '10'] as const;
const ALEPH_RATIOS = [
	'1280:720',
	'720:1280',
	'1104:832',
	'960:960',
	'832:1104',
	'1584:672',
	'848:480',
] as const;
const ALEPH_THRESHOLDS = ['low', 'auto'] as const;
const SONG_SIDES = ['right', 'left'] as const;

const IMAGES: OutputRule = { type: 'png', countField: 'samples' };
const VIDEO: OutputRule = { type: 'mp4' };
const AUDIO: OutputRule = { type: 'mp3' };
/** The transcript as a text file; the answers also carry it as `text`. */
const TRANSCRIPT: OutputRule = { type: 'txt' };

const operation = (
	family: V7Family,
	name: string,
	output: OutputRule,
	models: V7Operation['models'],
	generic: Omit<V7Operation, 'path' | 'family' | 'output' | 'models'> = {},
): V7Operation => ({ path: `/v7/${family}/${name}`, family, output, models, ...generic });

export const V7_OPERATIONS: readonly V7Operation[] = [
	operation('images', 'text-to-image', IMAGES, {
		'flux-2-pro': {
			prompt: req('string'),
			width: req('integer', { min: 512, max: 1024 }),
			height: req('integer', { min: 512, max: 1024 }),
		},
		'seedream-t2i': {
			prompt: req('string'),
			width: req('integer', { min: 512, max: 1024 }),
			height: req('integer', { min: 512, max: 1024 }),
		},
		'seedream-4': { prompt: req('string'), aspect_ratio: req('enum', { values: SEEDREAM_RATIOS }) },
		'seedream-4.5': {
			prompt: req('string'),
			aspect_ratio: req('enum', { values: SEEDREAM_RATIOS }),
		},
		'imagen-4': { prompt: req('string'), aspect_ratio: req('enum', { values: IMAGEN_RATIOS }) },
		'imagen-3': { prompt: req('string') },
		'imagen-4.0-fast-generate': {
			prompt: req('string'),
			aspect_ratio: req('enum', { values: IMAGEN_RATIOS }),
		},
		'imagen-4.0-ultra': {
			prompt: req('string'),
			aspect_ratio: req('enum', { values: IMAGEN_RATIOS }),
			samples: opt('integer', { min: 1, max: 4 }),
		},
		'nano-banana-t2i': { prompt: req('string') },
		'nano-banana-pro': { prompt: req('string'), aspect_ratio: opt('string') },
		gen4_image: { prompt: req('string'), aspect_ratio: req('string') },
	}),
	operation('images', 'image-to-image', IMAGES, {
		'flux-kontext-pro': {
			init_image: req('string'),
			prompt: req('string'),
			aspect_ratio: opt('enum', { values: KONTEXT_RATIOS }),
		},
		'flux-2-pro': { init_image: req('fileList', { maxItems: 10 }), prompt: req('string') },
		'seededit-i2i': { init_image: req('string'), prompt: req('string') },
		'seedream-4.0-i2i': { init_image: req('fileList', { maxItems: 10 }), prompt: req('string') },
		'seedream-4.5-i2i': {
			init_image: req('fileList', { maxItems: 10 }),
			prompt: req('string'),
			aspect_ratio: req('enum', { values: SEEDREAM_I2I_RATIOS }),
		},
		'nano-banana': {
			prompt: req('string'),
			init_image: req('string'),
			init_image_2: req('string'),
		},
		'nano-banana-pro': {
			prompt: req('string'),
			init_image: req('fileList', { maxItems: 14 }),
			aspect_ratio: opt('string'),
		},
		gen4_image_turbo: {
			prompt: req('string'),
			init_image: req('string'),
			init_image_2: req('string'),
		},
	}),
	// No SDK model; the CLI and docs-v2 tools-reference send these.
	operation(
		'images',
		'inpaint',
		IMAGES,
		{},
		{
			anyModel: {
				prompt: req('string'),
				init_image: req('fileList'),
				mask_image: req('string'),
				negative_prompt: opt('string'),
				strength: opt('number', { min: 0, max: 1 }),
			},
		},
	),
	operation('video-fusion', 'text-to-video', VIDEO, {
		'wan2.5-t2v': {
			prompt: req('string'),
			init_audio: req('string'),
			enhance_prompt: opt('boolean'),
			generate_audio: opt('boolean'),
		},
		'seedance-t2v': {
			prompt: req('string'),
			aspect_ratio: opt('enum', { values: SEEDANCE_RATIOS }),
			resolution: opt('enum', { values: SEEDANCE_RESOLUTIONS }),
			camera_fixed: opt('boolean'),
		},
		'seedance-1.0-pro-fast-t2v': { prompt: req('string') },
		'kling-v2-5-turbo-t2v': {
			prompt: req('string'),
			duration: req('enum', { values: KLING_SECONDS }),
			aspect_ratio: req('enum', { values: KLING_RATIOS }),
		},
		'kling-v2-master-t2v': {
			prompt: req('string'),
			duration: req('enum', { values: KLING_SECONDS }),
		},
		'kling-v2-1-master-t2v': {
			prompt: req('string'),
			duration: req('enum', { values: KLING_SECONDS }),
		},
		'Hailuo-2.3-t2v': { prompt: req('string') },
		'Hailuo-02-t2v': { prompt: req('string') },
		'sora-2': {
			prompt: req('string'),
			aspect_ratio: opt('enum', { values: SORA_RATIOS }),
			duration: opt('enum', { values: SORA_SECONDS }),
		},
	}),
	operation('video-fusion', 'image-to-video', VIDEO, {
		'wan2.5-i2v': { init_image: req('string'), init_audio: req('string'), prompt: req('string') },
		'seedance-i2v': { init_image: req('string'), prompt: req('string') },
		'seedance-1.0-pro-i2v': { init_image: req('fileList'), prompt: req('string') },
		'seedance-1.0-pro-fast-i2v': { init_image: req('string'), prompt: req('string') },
		'omni-human': { init_image: req('string'), init_audio: req('string') },
		'omni-human-1.5': {
			init_image: req('string'),
			init_audio: req('string'),
			prompt: req('string'),
		},
		'kling-v2-1-i2v': {
			init_image: req('string'),
			prompt: req('string'),
			duration: req('enum', { values: KLING_SECONDS }),
		},
		'Kling-V2-5-Turbo-i2v': {
			init_image: req('string'),
			prompt: req('string'),
			duration: req('enum', { values: KLING_SECONDS }),
		},
		'kling-v2-master-i2v': {
			init_image: req('string'),
			prompt: req('string'),
			duration: req('enum', { values: KLING_SECONDS }),
		},
		'kling-v2-1-master-i2v': {
			init_image: req('string'),
			prompt: req('string'),
			duration: req('enum', { values: KLING_SECONDS }),
		},
		'Hailuo-2.3-i2v': {
			init_image: req('string'),
			prompt: req('string'),
			duration: opt('enum', { values: HAILUO_SECONDS }),
		},
		'Hailuo-2.3-Fast-i2v': {
			init_image: req('string'),
			prompt: req('string'),
			duration: opt('enum', { values: HAILUO_SECONDS }),
		},
		'Hailuo-02-i2v': { init_image: req('string'), prompt: req('string') },
		'Hailuo-02-start-end-frame': {
			init_image: req('fileList', { maxItems: 2 }),
			prompt: req('string'),
		},
	}),
	operation('video-fusion', 'video-to-video', VIDEO, {
		gen4_aleph: {
			init_video: req('string'),
			prompt: req('string', { maxLength: 1000 }),
			aspect_ratio: req('enum', { values: ALEPH_RATIOS }),
			public_figure_threshold: opt('enum', { values: ALEPH_THRESHOLDS }),
		},
	}),
	operation('video-fusion', 'lip-sync', VIDEO, {
		'lipsync-2': { init_video: req('string'), init_audio: req('string') },
	}),
	// No SDK model; docs-v2 tools-reference lists these fields.
	operation(
		'video-fusion',
		'motion-control',
		VIDEO,
		{},
		{
			anyModel: {
				init_image: req('fileList'),
				init_video: req('string'),
				character_orientation: req('enum', { values: ['image', 'video'] }),
				prompt: opt('string', { maxLength: 2500 }),
				mode: opt('enum', { values: ['std', 'pro'] }),
				keep_original_sound: opt('enum', { values: ['yes', 'no'] }),
			},
		},
	),
	operation('voice', 'text-to-speech', AUDIO, {
		eleven_multilingual_v2: { prompt: req('string'), voice_id: req('string') },
		'inworld-tts-1': { prompt: req('string'), voice_id: req('string') },
	}),
	operation('voice', 'speech-to-text', TRANSCRIPT, {
		scribe_v1: { init_audio: req('string') },
	}),
	operation('voice', 'speech-to-speech', AUDIO, {
		eleven_english_sts_v2: { init_audio: req('string'), voice_id: req('string') },
	}),
	operation('voice', 'music-gen', AUDIO, {
		music_v1: { prompt: req('string') },
		sonauto_song: { prompt: req('string') },
	}),
	// The SDK sends the length under the literal key "time in seconds".
	operation('voice', 'sound-generation', AUDIO, {
		eleven_sound_effect: {
			prompt: req('string'),
			'time in seconds': opt('integer', { min: 1, max: 22 }),
		},
	}),
	// No SDK model. The docs say init_audio, the CLI sends init_video: either is taken.
	operation(
		'voice',
		'create-dubbing',
		AUDIO,
		{},
		{
			anyModel: {
				init_audio: opt('fileList'),
				init_video: opt('string'),
				target_language: req('string'),
			},
			requiredOneOf: [['init_audio', 'init_video']],
		},
	),
	operation('voice', 'song-extender', AUDIO, {
		'song-extender': {
			init_audio: req('string'),
			prompt: req('string'),
			extend_duration: req('number', { min: 0, max: 85 }),
			side: opt('enum', { values: SONG_SIDES }),
		},
	}),
	// The SDK requires lyrics, init_audio and sections; the tools reference init_audio and prompt.
	operation(
		'voice',
		'song-inpaint',
		AUDIO,
		{
			'song-inpaint': {
				init_audio: req('string'),
				lyrics: opt('string'),
				sections: opt('array'),
				prompt: opt('string'),
			},
		},
		{
			requiredSets: [['lyrics', 'sections'], ['prompt']],
		},
	),
];

export const V7_FAMILIES: readonly V7Family[] = ['images', 'video-fusion', 'voice'];
