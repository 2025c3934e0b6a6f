/**
 * Checks a submit body against its endpoint rule. Returns the first problem as the API would
 * word it, or undefined when the body is acceptable. Unknown extra fields are accepted, as the
 * real API does.
 */
import type { EndpointRule, FieldShape } from './endpoints';
import type { JsonObject, JsonValue } from './types';

/** Missing means absent, null, an empty string or an empty array. */
export function isMissing(value: JsonValue | undefined): boolean {
	return (
		value === undefined ||
		value === null ||
		value === '' ||
		(Array.isArray(value) && value.length === 0)
	);
}

export function isAbsoluteHttpUrl(value: JsonValue | undefined): boolean {
	if (typeof value !== 'string') return false;
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}

function matchesShape(value: JsonValue, shape: FieldShape): boolean {
	const isStringArray = Array.isArray(value) && value.every((item) => typeof item === 'string');
	switch (shape) {
		case 'string':
			return typeof value === 'string';
		case 'stringArray':
			return isStringArray;
		case 'stringOrStringArray':
			return typeof value === 'string' || isStringArray;
	}
}

const SHAPE_WORDING: Record<FieldShape, string> = {
	string: 'a string',
	stringArray: 'an array of strings',
	stringOrStringArray: 'a string or an array of strings',
};

function isListedValue(value: JsonValue, options: readonly (string | number)[]): boolean {
	if (typeof value !== 'string' && typeof value !== 'number') return false;
	return options.some((option) => String(option) === String(value));
}

/** `lyrics_generation` and similar flags may come as a boolean or its string form. */
function sameFlagValue(value: JsonValue | undefined, expected: string | boolean): boolean {
	if (typeof expected === 'boolean') return value === expected || value === String(expected);
	return value === expected;
}

export function validateSubmitBody(body: JsonObject, rule: EndpointRule): string | undefined {
	for (const field of rule.required) {
		if (isMissing(body[field])) return `${field} is required`;
	}
	for (const field of rule.requiredNullable ?? []) {
		if (!(field in body)) return `${field} is required`;
	}
	for (const alternatives of rule.requiredOneOf ?? []) {
		if (alternatives.every((field) => isMissing(body[field])))
			return `${alternatives[0]} is required`;
	}
	for (const condition of rule.requiredWhen ?? []) {
		const actual = body[condition.field] ?? condition.absentMeans;
		if (actual === undefined || !sameFlagValue(actual, condition.equals)) continue;
		for (const field of condition.require) {
			if (isMissing(body[field]))
				return `${field} is required when ${condition.field} is ${String(condition.equals)}`;
		}
	}

	const trackId = body.track_id;
	if (trackId !== undefined && trackId !== null) {
		if (rule.trackId === 'string' && typeof trackId !== 'string')
			return 'track_id must be a string';
		if (rule.trackId === 'integer' && !(typeof trackId === 'number' && Number.isInteger(trackId))) {
			return 'track_id must be an integer';
		}
	}

	if (body.webhook !== undefined && body.webhook !== null && !isAbsoluteHttpUrl(body.webhook)) {
		return 'webhook must be an absolute http(s) URL';
	}

	for (const field of rule.yesNo ?? []) {
		const value = body[field];
		if (value !== undefined && value !== 'yes' && value !== 'no')
			return `${field} must be "yes" or "no"`;
	}
	for (const field of rule.trueFalseStrings ?? []) {
		const value = body[field];
		if (value !== undefined && value !== 'true' && value !== 'false')
			return `${field} must be "true" or "false"`;
	}

	for (const [field, options] of Object.entries(rule.enums ?? {})) {
		const value = body[field];
		if (value === undefined || value === null) continue;
		const parts =
			rule.commaListEnums?.includes(field) && typeof value === 'string'
				? value.split(',').map((part) => part.trim())
				: [value];
		if (!parts.every((part) => isListedValue(part, options))) {
			return `${field} must be one of: ${options.join(', ')}`;
		}
	}

	for (const [field, shape] of Object.entries(rule.shapes ?? {})) {
		const value = body[field];
		if (value !== undefined && value !== null && !matchesShape(value, shape))
			return `${field} must be ${SHAPE_WORDING[shape]}`;
	}
	for (const [field, max] of Object.entries(rule.maxItems ?? {})) {
		const value = body[field];
		if (Array.isArray(value) && value.length > max) return `${field} takes at most ${max} items`;
	}
	return undefined;
}
