/**
 * The fixed catalogue the list endpoints serve (§3.8; /work/research/list-endpoints.md): public
 * models, the account's voices and the account's trained models. Data only; lists.ts answers.
 * v7 provider ids are ones the research lists (modelslab-py providers); the v6 ids come from the
 * API reference's examples; the two public LoRAs and the trained ids are the simulator's own.
 */

/** `feature` values of the REST model search (the underscore forms of §1e of the research). */
export type ModelFeature = 'imagen' | 'video_fusion' | 'audio_gen';

export interface CatalogueModel {
	model_id: string;
	name: string;
	provider: string;
	feature: ModelFeature;
	/** What the model does, e.g. `text-to-image`. */
	model_type: string;
	/** e.g. `lora`, `flux`, `stable_diffusion`, `provider`. */
	model_subcategory: string;
	base_model: string | null;
	description: string;
	/** `model_category` of the legacy `model_list`. */
	category: string;
	/** Trigger words (`instance_prompt` of `model_list`); LoRAs only. */
	instance_prompt?: string;
	/** ISO-8601. */
	created_at: string;
}

const model = (
	model_id: string,
	name: string,
	fields: Omit<CatalogueModel, 'model_id' | 'name' | 'created_at'> & { created_at?: string },
): CatalogueModel => ({ model_id, name, created_at: '2025-06-01T00:00:00.000Z', ...fields });

const community = {
	provider: 'modelslab',
	feature: 'imagen',
	category: 'stable_diffusion',
} as const;

export const CATALOGUE_MODELS: readonly CatalogueModel[] = [
	// v6 community models (§3.1)
	model('flux', 'Flux', {
		...community,
		model_type: 'text-to-image',
		model_subcategory: 'flux',
		base_model: 'flux',
		description: 'Flux dev, full HD in 4-5 s.',
	}),
	model('sdxl', 'SDXL', {
		...community,
		model_type: 'text-to-image',
		model_subcategory: 'stable_diffusion',
		base_model: 'sdxl',
		description: 'Stable Diffusion XL 1.0.',
	}),
	model('realistic-vision-51', 'Realistic Vision 5.1', {
		...community,
		model_type: 'text-to-image',
		model_subcategory: 'stable_diffusion',
		base_model: 'sd1.5',
		description: 'Photorealistic Stable Diffusion 1.5 checkpoint.',
	}),
	model('lazymixv4-inpaint', 'LazyMix v4 Inpaint', {
		...community,
		model_type: 'inpaint',
		model_subcategory: 'stable_diffusion',
		base_model: 'sd1.5',
		description: 'Inpainting checkpoint.',
	}),
	// Public LoRAs (model_subcategory `lora`)
	model('sim-watercolor-lora', 'Watercolor Style LoRA', {
		...community,
		model_type: 'text-to-image',
		model_subcategory: 'lora',
		base_model: 'sdxl',
		description: 'Simulated public LoRA: soft watercolor washes.',
		instance_prompt: 'watercolor style',
	}),
	model('sim-pixel-art-lora', 'Pixel Art LoRA', {
		...community,
		model_type: 'text-to-image',
		model_subcategory: 'lora',
		base_model: 'sd1.5',
		description: 'Simulated public LoRA: 16-bit pixel art.',
		instance_prompt: 'pixel art',
	}),
	// v6 video (§3.2)
	model('wan2.2', 'Wan 2.2', {
		provider: 'modelslab',
		feature: 'video_fusion',
		category: 'video',
		model_type: 'text-to-video',
		model_subcategory: 'video',
		base_model: null,
		description: 'Text and image to video, up to 720p.',
	}),
	// v7 provider models
	model('imagen-4', 'Google Imagen 4', {
		provider: 'google',
		feature: 'imagen',
		category: 'Imagen',
		model_type: 'text-to-image',
		model_subcategory: 'provider',
		base_model: null,
		description: 'Google Imagen 4 text to image.',
	}),
	model('nano-banana', 'Google Nano Banana', {
		provider: 'google',
		feature: 'imagen',
		category: 'Imagen',
		model_type: 'image-to-image',
		model_subcategory: 'provider',
		base_model: null,
		description: 'Google Nano Banana: edit with two input images.',
	}),
	model('seedance-t2v', 'Seedance (text to video)', {
		provider: 'byteplus',
		feature: 'video_fusion',
		category: 'VideoFusion',
		model_type: 'text-to-video',
		model_subcategory: 'provider',
		base_model: null,
		description: 'BytePlus Seedance text to video, 480p or 720p.',
	}),
	model('kling-v2-5-turbo-t2v', 'Kling 2.5 Turbo (text to video)', {
		provider: 'klingai',
		feature: 'video_fusion',
		category: 'VideoFusion',
		model_type: 'text-to-video',
		model_subcategory: 'provider',
		base_model: null,
		description: 'Kling 2.5 Turbo, 5 or 10 s.',
	}),
	model('sora-2', 'OpenAI Sora 2', {
		provider: 'openai',
		feature: 'video_fusion',
		category: 'VideoFusion',
		model_type: 'text-to-video',
		model_subcategory: 'provider',
		base_model: null,
		description: 'OpenAI Sora 2, 4 to 12 s.',
	}),
	model('eleven_multilingual_v2', 'ElevenLabs Multilingual v2', {
		provider: 'elevenlabs',
		feature: 'audio_gen',
		category: 'Audiogen',
		model_type: 'text-to-speech',
		model_subcategory: 'provider',
		base_model: null,
		description: 'ElevenLabs text to speech in 29 languages.',
	}),
	model('music_v1', 'ElevenLabs Music v1', {
		provider: 'elevenlabs',
		feature: 'audio_gen',
		category: 'Audiogen',
		model_type: 'music-gen',
		model_subcategory: 'provider',
		base_model: null,
		description: 'ElevenLabs music from a prompt.',
	}),
	model('scribe_v1', 'ElevenLabs Scribe v1', {
		provider: 'elevenlabs',
		feature: 'audio_gen',
		category: 'Audiogen',
		model_type: 'speech-to-text',
		model_subcategory: 'provider',
		base_model: null,
		description: 'ElevenLabs speech to text.',
	}),
];

export interface CatalogueVoice {
	voice_id: string;
	name: string;
	language: string;
}

/** `voice_list` types (OA:voice-cloning `VoiceListRequest`); `manual` is the default. */
export const VOICE_LIST_TYPES = ['manual', 'trained', 'voice_cover'] as const;
export type VoiceListType = (typeof VOICE_LIST_TYPES)[number];

/**
 * The pretrained v6 voices the text_to_speech docs name (madison; the emotion-capable tara, leo,
 * dan) under `manual`; the simulated account has no trained or cover voices.
 */
export const CATALOGUE_VOICES: Readonly<Record<VoiceListType, readonly CatalogueVoice[]>> = {
	manual: [
		{ voice_id: 'madison', name: 'Madison', language: 'english' },
		{ voice_id: 'tara', name: 'Tara', language: 'english' },
		{ voice_id: 'leo', name: 'Leo', language: 'english' },
		{ voice_id: 'dan', name: 'Dan', language: 'english' },
	],
	trained: [],
	voice_cover: [],
};

/**
 * The account's trained LoRAs `finetune_list` always reports (training-id form, like the docs'
 * `F5jvdzGnYi`); trainings that reach `model_ready` in the simulator are listed after them.
 */
export const TRAINED_MODEL_IDS: readonly string[] = ['F5jvdzGnYi', 'Lq7R2mXw9T'];
