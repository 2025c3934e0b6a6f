import type { FieldSpec } from '../catalog/types';

/**
 * `negative_prompt` → `negativePrompt`: the parameter name docs/public-names.md fixes for a field.
 * Spaces count as underscores (ElevenLabs' sound effect key "time in seconds" → `timeInSeconds`).
 */
export function parameterName(apiName: string): string {
	return apiName.replace(/[_ ]([a-z0-9])/g, (_match, next: string) => next.toUpperCase());
}

const WORD_CASE: Record<string, string> = {
	id: 'ID',
	url: 'URL',
	ids: 'IDs',
	api: 'API',
	gpu: 'GPU',
	mp4: 'MP4',
	nsfw: 'NSFW',
};

/** `negative_prompt` → "Negative Prompt", unless the catalog names it. */
export function displayNameOf(field: Pick<FieldSpec, 'name' | 'displayName'>): string {
	if (field.displayName) return field.displayName;
	return field.name
		.split(/[_ ]/)
		.filter(Boolean)
		.map((word) => WORD_CASE[word] ?? word.charAt(0).toUpperCase() + word.slice(1))
		.join(' ');
}
