/**
 * The one table of per-endpoint rules, written from docs/modelslab-api.md §3.
 * Handlers never hard-code a field name: validation, job creation and output typing read it from here.
 */
import type { FetchFamily, JobKind, UploadFamily } from './types';

/** Kinds of file the simulator can serve as output. */
export type OutputFileType =
	'png' | 'gif' | 'mp4' | 'wav' | 'mp3' | 'flac' | 'glb' | 'obj' | 'stl' | 'ply' | 'txt';

/** JSON shapes the reference states explicitly for a field. */
export type FieldShape = 'string' | 'stringArray' | 'stringOrStringArray';

export interface OutputRule {
	type: OutputFileType;
	/** A request field that may pick another type (music_gen `output_format`, video `output_type`). */
	chosenBy?: { field: string; types: Readonly<Partial<Record<string, OutputFileType>>> };
	/** Request field holding the number of files (`samples`), clamped to 1..4. */
	countField?: string;
}

export interface EndpointRule {
	/** Path under `/api`, e.g. `/v6/images/text2img`. */
	path: string;
	kind: Exclude<JobKind, 'workflowRun'>;
	/** Where the job is read back (generations only). */
	family?: FetchFamily;
	/** Fields that must be present and non-empty, checked in this order. */
	required: readonly string[];
	/** Required fields that may be `null` (flux_headshot `seed: null` = random). */
	requiredNullable?: readonly string[];
	/** At least one of these must be present; the error names the first. */
	requiredOneOf?: readonly (readonly string[])[];
	/** Extra required fields when another field has a value (`lyrics_generation`). */
	requiredWhen?: readonly {
		field: string;
		equals: string | boolean;
		absentMeans?: string | boolean;
		require: readonly string[];
	}[];
	/** How `track_id` must be typed in JSON (§2); `none` = the endpoint has no track_id. */
	trackId: 'string' | 'integer' | 'none';
	/** Fields that take the strings "yes"/"no". */
	yesNo?: readonly string[];
	/** Fields that take the strings "true"/"false". */
	trueFalseStrings?: readonly string[];
	/** Fields that must hold one of the listed values (numbers may also come as numeric strings). */
	enums?: Readonly<Record<string, readonly (string | number)[]>>;
	/** Enum fields that may hold a comma-separated list of listed values (multi-ControlNet). */
	commaListEnums?: readonly string[];
	shapes?: Readonly<Record<string, FieldShape>>;
	/** Array fields with a maximum length. */
	maxItems?: Readonly<Record<string, number>>;
	/**
	 * A `model_id` whose own schema replaces parts of this rule (Flux Kontext on img2img: its
	 * required list and its JSON-boolean switches).
	 */
	byModel?: Readonly<Record<string, Partial<Pick<EndpointRule, 'required' | 'yesNo'>>>>;
	/** Error bodies spell the message field `messege` on training endpoints (§4). */
	errorField: 'message' | 'messege';
	output?: OutputRule;
}

const SAFETY_CHECKER_TYPES = ['blur', 'sensitive_content_text', 'pixelate', 'black'] as const;
const IP_ADAPTERS = [
	'ip-adapter_sdxl',
	'ip-adapter_sd15',
	'ip-adapter-plus-face_sd15',
	'ip-adapter-plus_sdxl_vit-h',
	'ip-adapter-plus-face_sdxl_vit-h',
] as const;
/**
 * Switches of the community endpoints that take "yes"/"no": the 2025 parameter tables, every doc
 * example and the Python, JS and Go SDKs send the strings where the OpenAPI says boolean (§3.1).
 */
const COMMUNITY_YES_NO = [
	'safety_checker',
	'enhance_prompt',
	'use_karras_sigmas',
	'multi_lingual',
	'upscale',
	'highres_fix',
	'base64',
	'temp',
	'tomesd',
	'panorama',
	'self_attention',
] as const;
const COMMUNITY_ENUMS = {
	safety_checker_type: SAFETY_CHECKER_TYPES,
	algorithm_type: ['none', 'dpmsolver+++'],
	ip_adapter_id: IP_ADAPTERS,
} as const;
const CONTROLNET_MODELS = [
	'canny',
	'depth',
	'hed',
	'mlsd',
	'normal',
	'openpose',
	'scribble',
	'segmentation',
	'inpaint',
	'softedge',
	'lineart',
	'shuffle',
	'tile',
	'face_detector',
	'qrcode',
	'blur',
	'pose',
	'gray',
	'low_quality',
] as const;
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
/** The lora page says `female` where the OA enum says `women`; both are accepted. */
const TRAINING_TYPES = ['men', 'women', 'female', 'couple', 'null'] as const;
const HEADSHOT_STEPS = [21, 31, 41] as const;
/** The text_to_audio OA language enum (48 names). */
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
const SCENARIOS = [
	'beach',
	'desert',
	'plain',
	'taiga',
	'mountain',
	'snow',
	'jungle',
	'city',
	'underwater',
	'urban',
	'forest',
] as const;

const IMAGE: OutputRule = { type: 'png', countField: 'samples' };
const VIDEO: OutputRule = {
	type: 'mp4',
	chosenBy: { field: 'output_type', types: { mp4: 'mp4', gif: 'gif' } },
};
const VIDEO_SWAP: OutputRule = { type: 'mp4' };
const SPEECH: OutputRule = { type: 'wav' };
/** Speech to text and lyrics: a text file, whose text the answers also carry as `text`. */
const TEXT: OutputRule = { type: 'txt' };
const AUDIO_FORMATS: OutputRule = {
	type: 'wav',
	chosenBy: { field: 'output_format', types: { wav: 'wav', mp3: 'mp3', flac: 'flac' } },
};
const MODEL_3D: OutputRule = {
	type: 'glb',
	chosenBy: { field: 'output_format', types: { glb: 'glb', obj: 'obj', stl: 'stl', ply: 'ply' } },
};

const generation = (
	family: FetchFamily,
	path: string,
	rule: Omit<EndpointRule, 'path' | 'kind' | 'family' | 'errorField'>,
): EndpointRule => ({ path, kind: 'generation', family, errorField: 'message', ...rule });

export const ENDPOINT_RULES: readonly EndpointRule[] = [
	// §3.1 community models and Flux
	generation('images', '/v6/images/text2img', {
		required: ['model_id', 'prompt'],
		trackId: 'string',
		yesNo: COMMUNITY_YES_NO,
		enums: COMMUNITY_ENUMS,
		output: IMAGE,
	}),
	generation('images', '/v6/images/img2img', {
		required: ['model_id', 'init_image'],
		trackId: 'string',
		yesNo: COMMUNITY_YES_NO,
		// Flux Kontext shares the path: prompt required, JSON booleans (its OA and example).
		byModel: { 'flux-kontext-dev': { required: ['model_id', 'prompt', 'init_image'], yesNo: [] } },
		enums: COMMUNITY_ENUMS,
		output: IMAGE,
	}),
	generation('images', '/v6/images/inpaint', {
		required: ['model_id', 'init_image', 'mask_image'],
		trackId: 'string',
		yesNo: COMMUNITY_YES_NO,
		enums: COMMUNITY_ENUMS,
		output: IMAGE,
	}),
	// Realtime: no model_id; JSON booleans (its OA and examples).
	generation('realtime', '/v6/realtime/text2img', {
		required: ['prompt'],
		trackId: 'string',
		output: IMAGE,
	}),
	generation('realtime', '/v6/realtime/img2img', {
		required: ['prompt', 'init_image'],
		trackId: 'string',
		output: IMAGE,
	}),
	generation('realtime', '/v6/realtime/inpaint', {
		required: ['prompt', 'init_image', 'mask_image'],
		trackId: 'string',
		output: IMAGE,
	}),
	// Only `key` is marked required; the reference infers the other four from the examples.
	generation('images', '/v5/controlnet', {
		required: ['model_id', 'controlnet_model', 'controlnet_type', 'init_image'],
		trackId: 'integer',
		yesNo: [
			'auto_hint',
			'guess_mode',
			'tomesd',
			'use_karras_sigmas',
			'safety_checker',
			'upscale',
			'enhance_prompt',
			'base64',
			'temp',
		],
		enums: {
			controlnet_model: CONTROLNET_MODELS,
			controlnet_type: CONTROLNET_MODELS,
			num_inference_steps: [21, 31],
		},
		commaListEnums: ['controlnet_model', 'controlnet_type'],
		output: IMAGE,
	}),

	// §3.2 video
	generation('video', '/v6/video/text2video', {
		required: ['model_id', 'prompt'],
		trackId: 'string',
		enums: { output_type: ['mp4', 'gif'] },
		output: VIDEO,
	}),
	generation('video', '/v6/video/img2video', {
		required: ['model_id', 'init_image'],
		trackId: 'string',
		enums: { output_type: ['mp4', 'gif'] },
		output: VIDEO,
	}),
	generation('video', '/v6/video/watermark_remover', {
		required: ['init_video'],
		trackId: 'string',
		output: VIDEO_SWAP,
	}),
	generation('video', '/v6/video/text2video_ultra', {
		required: ['model_id', 'prompt'],
		trackId: 'string',
		enums: { model_id: ['wan2.2', 'ltx-2.3'] },
		output: VIDEO,
	}),
	generation('video', '/v6/video/img2video_ultra', {
		required: ['model_id', 'init_image', 'prompt'],
		trackId: 'string',
		enums: { model_id: ['wan2.2', 'ltx-2.3'] },
		output: VIDEO,
	}),

	// §3.3 audio
	generation('voice', '/v6/voice/text_to_speech', {
		required: ['prompt', 'voice_id', 'language'],
		trackId: 'integer',
		enums: { language: TTS_LANGUAGES },
		output: SPEECH,
	}),
	generation('voice', '/v6/voice/voice_to_voice', {
		required: ['init_audio', 'target_audio'],
		trackId: 'integer',
		output: SPEECH,
	}),
	generation('voice', '/v6/voice/music_gen', {
		required: ['prompt'],
		trackId: 'integer',
		enums: { output_format: ['wav', 'mp3', 'flac'], bitrate: ['128k', '192k', '320k'] },
		output: {
			type: 'wav',
			chosenBy: { field: 'output_format', types: { wav: 'wav', mp3: 'mp3', flac: 'flac' } },
		},
	}),
	generation('voice', '/v6/voice/song_generator', {
		required: [],
		// "If false, lyrics is needed" (false is the default); the OA `oneOf` requires prompt and
		// caption when lyrics are generated.
		requiredWhen: [
			{ field: 'lyrics_generation', equals: false, absentMeans: false, require: ['lyrics'] },
			{ field: 'lyrics_generation', equals: true, require: ['prompt', 'caption'] },
		],
		trackId: 'integer',
		output: SPEECH,
	}),
	// The OA requires init_audio; the 2025 page says "either init_audio or voice_id".
	generation('voice', '/v6/voice/text_to_audio', {
		required: ['prompt'],
		requiredOneOf: [['init_audio', 'voice_id']],
		trackId: 'integer',
		enums: { language: CLONING_LANGUAGES },
		output: SPEECH,
	}),
	generation('voice', '/v6/voice/voice_cover', {
		required: ['init_audio', 'model_id'],
		trackId: 'integer',
		enums: {
			pitch: ['m2f', 'f2m', 'none'],
			algorithm: ['rmvpe', 'mangio-crepe'],
			emotion: ['neutral', 'happy', 'sad', 'angry', 'dull'],
		},
		output: SPEECH,
	}),
	generation('voice', '/v6/voice/sfx', {
		required: ['prompt'],
		trackId: 'integer',
		enums: { output_format: ['wav', 'mp3', 'flac'], bitrate: ['128k', '192k', '320k'] },
		output: AUDIO_FORMATS,
	}),
	// The OA and pages say init_audio and language (both required); every SDK audio_url and
	// input_language. Either name is taken.
	generation('voice', '/v6/voice/speech_to_text', {
		required: [],
		requiredOneOf: [
			['init_audio', 'audio_url'],
			['language', 'input_language'],
		],
		trackId: 'integer',
		enums: { timestamp_level: ['word', 'sentence'] },
		output: TEXT,
	}),
	generation('voice', '/v6/voice/lyrics_generator', {
		required: ['prompt'],
		trackId: 'integer',
		enums: { length: ['short', 'long'] },
		output: TEXT,
	}),

	// §3.4 3D
	generation('3d', '/v6/3d/text_to_3d', {
		required: ['prompt'],
		trackId: 'string',
		yesNo: ['temp'],
		enums: { output_format: ['obj', 'stl', 'ply', 'glb'] },
		output: MODEL_3D,
	}),
	generation('3d', '/v6/3d/image_to_3d', {
		required: [],
		// The OA properties and the doc example say init_image, the OA required list and JS SDK say image.
		requiredOneOf: [['init_image', 'image']],
		trackId: 'string',
		yesNo: ['temp'],
		enums: { output_format: ['obj', 'stl', 'ply', 'glb'] },
		output: MODEL_3D,
	}),

	// §3.5 image editing (integer track_id everywhere)
	generation('image_editing', '/v6/image_editing/removebg_mask', {
		required: ['image'],
		trackId: 'integer',
		output: IMAGE,
	}),
	generation('image_editing', '/v6/image_editing/super_resolution', {
		required: ['init_image'],
		trackId: 'integer',
		enums: {
			model_id: [
				'RealESRGAN_x4plus',
				'RealESRGAN_x4plus_anime_6B',
				'RealESRGAN_x2plus',
				'realesr-general-x4v3',
				'ultra_resolution',
			],
		},
		output: IMAGE,
	}),
	generation('image_editing', '/v6/image_editing/outpaint', {
		required: ['image'],
		trackId: 'integer',
		output: IMAGE,
	}),
	generation('image_editing', '/v6/image_editing/object_removal', {
		required: ['init_image', 'mask_image'],
		trackId: 'integer',
		output: IMAGE,
	}),
	// init_image is in the example but not in the OA, so only specific_object is required.
	generation('image_editing', '/v6/image_editing/mask_creator', {
		required: ['specific_object'],
		trackId: 'integer',
		output: IMAGE,
	}),
	generation('image_editing', '/v6/image_editing/inpaint', {
		required: ['prompt', 'init_image', 'mask_image'],
		trackId: 'integer',
		yesNo: ['safety_checker'],
		trueFalseStrings: ['base64'],
		output: IMAGE,
	}),
	generation('image_editing', '/v6/image_editing/fashion', {
		required: ['init_image', 'cloth_image', 'cloth_type'],
		trackId: 'integer',
		yesNo: ['temp'],
		enums: {
			cloth_type: ['upper_body', 'lower_body', 'dresses'],
			num_inference_steps: HEADSHOT_STEPS,
		},
		output: IMAGE,
	}),
	generation('image_editing', '/v6/image_editing/head_shot', {
		required: ['prompt', 'face_image'],
		trackId: 'integer',
		enums: { num_inference_steps: HEADSHOT_STEPS },
		output: IMAGE,
	}),
	generation('image_editing', '/v6/image_editing/flux_headshot', {
		required: ['prompt', 'face_image'],
		requiredNullable: ['seed'],
		trackId: 'integer',
		output: IMAGE,
	}),
	generation('image_editing', '/v6/image_editing/face_gen', {
		required: ['prompt', 'face_image'],
		trackId: 'integer',
		enums: {
			num_inference_steps: HEADSHOT_STEPS,
			style: ['comic', 'chibi', '3d', 'anime', 'realistic'],
		},
		output: IMAGE,
	}),
	generation('image_editing', '/v6/image_editing/img_mixer', {
		required: ['prompt', 'init_image'],
		trackId: 'integer',
		shapes: { init_image: 'stringArray' },
		maxItems: { init_image: 4 },
		output: IMAGE,
	}),
	generation('image_editing', '/v6/image_editing/qwen_edit', {
		required: ['prompt', 'init_image'],
		trackId: 'integer',
		enums: { model_id: ['qwen-edit-2509', 'qwen-edit-2511'] },
		shapes: { init_image: 'stringOrStringArray' },
		maxItems: { init_image: 4 },
		output: IMAGE,
	}),
	// The OA also marks prompt required; the reference calls that a schema error.
	generation('image_editing', '/v6/image_editing/caption', {
		required: ['init_image'],
		trackId: 'integer',
		enums: { length: ['short', 'normal', 'long'] },
		output: IMAGE,
	}),

	// §3.5 face swap (integer track_id)
	generation('faceswap', '/v6/faceswap/single_face_swap', {
		required: ['init_image', 'target_image', 'reference_image'],
		trackId: 'integer',
		output: IMAGE,
	}),
	generation('faceswap', '/v6/faceswap/multiple_face_swap', {
		required: ['init_image', 'target_image'],
		trackId: 'integer',
		output: IMAGE,
	}),
	generation('faceswap', '/v6/faceswap/single_video_swap', {
		required: ['init_image', 'init_video'],
		trackId: 'integer',
		output: VIDEO_SWAP,
	}),
	generation('faceswap', '/v6/faceswap/specific_video_swap', {
		required: ['init_image', 'init_video', 'reference_image'],
		trackId: 'integer',
		output: VIDEO_SWAP,
	}),

	// §3.9 interior (integer track_id everywhere)
	...['make', 'room_decorator', 'floor_planning', 'sketch_rendering', 'exterior_restorer'].map(
		(name) =>
			generation('interior', `/v6/interior/${name}`, {
				required: ['init_image', 'prompt'],
				trackId: 'integer',
				output: IMAGE,
			}),
	),
	generation('interior', '/v6/interior/scenario_changer', {
		required: ['init_image', 'scenario', 'prompt'],
		trackId: 'integer',
		enums: { scenario: SCENARIOS },
		output: IMAGE,
	}),
	generation('interior', '/v6/interior/object_removal', {
		required: ['init_image', 'object_name'],
		trackId: 'integer',
		output: IMAGE,
	}),
	generation('interior', '/v6/interior/interior_mixer', {
		required: ['init_image', 'object_image', 'prompt'],
		trackId: 'integer',
		output: IMAGE,
	}),

	// §3.6 training (no track_id; errors use `messege`)
	{
		path: '/v3/lora_fine_tune',
		kind: 'training',
		required: ['instance_prompt', 'class_prompt', 'images', 'training_type', 'max_train_steps'],
		trackId: 'none',
		enums: {
			training_type: TRAINING_TYPES,
			base_model_type: ['normal', 'sdxl'],
			lora_type: ['lora', 'lycoris'],
		},
		shapes: { images: 'stringArray', max_train_steps: 'string' },
		errorField: 'messege',
	},
	// Legacy endpoint without `*` marks; these four are what a DreamBooth run cannot do without.
	{
		path: '/v3/fine_tune',
		kind: 'training',
		required: ['instance_prompt', 'class_prompt', 'base_model_id', 'images'],
		trackId: 'none',
		enums: { training_type: TRAINING_TYPES },
		shapes: { images: 'stringArray' },
		errorField: 'messege',
	},
];

export const ENDPOINT_RULES_BY_PATH: ReadonlyMap<string, EndpointRule> = new Map(
	ENDPOINT_RULES.map((rule) => [rule.path, rule]),
);

/** `POST` path (under the origin) of a family's fetch endpoint, without the id. */
export function fetchPath(family: FetchFamily): string {
	return family.startsWith('v7/') ? `/api/${family}/fetch` : `/api/v6/${family}/fetch`;
}

/** Fetch families with a `POST /api/v6/<family>/fetch/{id}` endpoint. */
export const FETCH_FAMILIES: readonly FetchFamily[] = [
	'images',
	'realtime',
	'video',
	'voice',
	'3d',
	'image_editing',
	'faceswap',
	'interior',
];

/** `base64_to_url` (§2 "Inputs", §3.8): one data-URI field per family, 5 MB decoded at most. */
export interface UploadRule {
	/** Path under `/api`. */
	path: string;
	family: UploadFamily;
	/** The body field holding `data:<mime>;base64,<data>`. */
	field: string;
	/** MIME types the family takes, matched case-insensitively. */
	mime: RegExp;
	/** How an error names `mime`. */
	mimeWording: string;
}

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
/** "The URL expires in 24 hours" (general-api/base64-to-url.mdx). */
export const UPLOAD_LIFETIME_MS = 24 * 60 * 60 * 1000;

export const UPLOAD_RULES: readonly UploadRule[] = [
	// "Convert base64 strings of image, audio, video and 3d object file to a valid URL."
	{
		path: '/v6/base64_to_url',
		family: 'general',
		field: 'base64_string',
		mime: /^(image|audio|video|model)\/[\w.+-]+$/i,
		mimeWording: 'an image, audio, video or 3D (model/…) type',
	},
	{
		path: '/v6/image_editing/base64_to_url',
		family: 'image_editing',
		field: 'init_image',
		mime: /^image\/[\w.+-]+$/i,
		mimeWording: 'an image type (image/…)',
	},
	// "MP3 or WAV only".
	{
		path: '/v6/voice/base64_to_url',
		family: 'voice',
		field: 'init_audio',
		mime: /^audio\/(mpeg|mp3|wav|x-wav|wave)$/i,
		mimeWording: 'MP3 or WAV audio (audio/mpeg, audio/wav)',
	},
	// The field is `init_obj`, not `init_video` (OA required list and doc example).
	{
		path: '/v6/video/base64_to_url',
		family: 'video',
		field: 'init_obj',
		mime: /^video\/[\w.+-]+$/i,
		mimeWording: 'a video type (video/…)',
	},
	// The OA pattern: the value starts with `data:model/<alphanumerics>;base64,`.
	{
		path: '/v6/3d/base64_to_url',
		family: '3d',
		field: 'init_obj',
		mime: /^model\/[a-z0-9]+$/i,
		mimeWording: 'a 3D type model/<letters and digits> (e.g. model/glb)',
	},
];
