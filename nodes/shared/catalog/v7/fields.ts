import type { FieldSpec, FileInput } from '../types';

/**
 * Field builders for the v7 provider models (docs/modelslab-api.md §3.1 "v7 images", §3.2 "v7
 * video", §3.8 "v7 provider models"). The facts (names, types, required flags, enums, limits) are
 * those of ModelsLab's Python SDK (`ModelsLab/modelslab-py` providers at c060340); the words are
 * ours.
 *
 * File fields: the SDK types them `Any` and its texts say "URL or base64", but no ModelsLab page
 * confirms inline data for v7, so binary input takes the upload route (a URL, which every source
 * agrees on) and `upload` stays unset.
 */

type Extra = Partial<Omit<FieldSpec, 'name' | 'kind'>>;

export const prompt = (description: string, extra: Extra = {}): FieldSpec => ({
	name: 'prompt',
	kind: 'string',
	required: true,
	multiline: true,
	description,
	...extra,
});

/** One file (`list` false) or several (`list` true, sent as a JSON array). */
export function fileField(
	name: string,
	kind: FileInput['kind'],
	description: string,
	extra: Extra & { list?: boolean } = {},
): FieldSpec {
	const { list, ...rest } = extra;
	return {
		name,
		kind: list ? 'stringList' : 'string',
		required: true,
		description,
		file: list ? { kind, list: true } : { kind },
		...rest,
	};
}

export const image = (description: string, extra: Extra & { list?: boolean } = {}): FieldSpec =>
	fileField('init_image', 'image', description, extra);

export const audio = (description: string, extra: Extra = {}): FieldSpec =>
	fileField('init_audio', 'audio', description, extra);

export const video = (description: string, extra: Extra = {}): FieldSpec =>
	fileField('init_video', 'video', description, extra);

/** An aspect ratio from a closed list (the SDK's texts name the values). */
export const aspectRatio = (values: readonly string[], required: boolean): FieldSpec => ({
	name: 'aspect_ratio',
	kind: 'options',
	required,
	options: values,
	default: values[0],
	description: 'Shape of the output, width:height',
});

/** An aspect ratio the SDK leaves open (no list of values). */
export const freeAspectRatio = (required: boolean, placeholder = '16:9'): FieldSpec => ({
	name: 'aspect_ratio',
	kind: 'string',
	required,
	placeholder,
	description: 'Shape of the output as width:height, e.g. 16:9',
});

/** Clip length in seconds from a closed list, sent as a string ("5"), as the SDK does. */
export const seconds = (values: readonly string[], required: boolean): FieldSpec => ({
	name: 'duration',
	kind: 'options',
	required,
	options: values,
	default: values[0],
	description: 'Length of the clip in seconds',
});

export const pixels = (name: 'width' | 'height', min: number, max: number): FieldSpec => ({
	name,
	kind: 'integer',
	required: true,
	min,
	max,
	default: 1024,
	description: `${name === 'width' ? 'Width' : 'Height'} in pixels, ${min} to ${max}`,
});

export const voiceId = (description: string, placeholder: string): FieldSpec => ({
	name: 'voice_id',
	kind: 'string',
	required: true,
	displayName: 'Voice ID',
	placeholder,
	description,
});
