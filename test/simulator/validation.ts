/**
 * Checks a submit body against its endpoint rule. Returns the first problem as the API would
 * word it, or undefined when the body is acceptable. Unknown extra fields are accepted, as the
 * real API does.
 */
import type { EndpointRule, FieldShape } from './endpoints';
import type { JsonObject, JsonValue } from './types';
import type { V7Field, V7Fields, V7Operation } from './v7endpoints';

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

/** The checks every submit shares (§2): track_id typed as declared, webhook an absolute URL. */
function commonProblem(body: JsonObject, trackId: EndpointRule['trackId']): string | undefined {
	const value = body.track_id;
	if (value !== undefined && value !== null) {
		if (trackId === 'string' && typeof value !== 'string') return 'track_id must be a string';
		if (trackId === 'integer' && !(typeof value === 'number' && Number.isInteger(value)))
			return 'track_id must be an integer';
	}
	if (body.webhook !== undefined && body.webhook !== null && !isAbsoluteHttpUrl(body.webhook))
		return 'webhook must be an absolute http(s) URL';
	return undefined;
}

/** The rule as it applies to this body: a model with its own schema replaces parts of it. */
function ruleFor(body: JsonObject, base: EndpointRule): EndpointRule {
	const modelId = body.model_id;
	const own = typeof modelId === 'string' ? base.byModel?.[modelId] : undefined;
	return own ? { ...base, ...own } : base;
}

export function validateSubmitBody(body: JsonObject, base: EndpointRule): string | undefined {
	const rule = ruleFor(body, base);
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

	const common = commonProblem(body, rule.trackId);
	if (common !== undefined) return common;

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

function rangeWording(field: V7Field): string {
	if (field.min !== undefined && field.max !== undefined)
		return `between ${field.min} and ${field.max}`;
	return field.min !== undefined ? `at least ${field.min}` : `at most ${String(field.max)}`;
}

/** The problem with one present v7 field, if any. */
function v7FieldProblem(name: string, value: JsonValue, field: V7Field): string | undefined {
	switch (field.type) {
		case 'string':
			if (typeof value !== 'string') return `${name} must be a string`;
			if (field.maxLength !== undefined && value.length > field.maxLength)
				return `${name} must be at most ${field.maxLength} characters`;
			return undefined;
		case 'fileList':
			if (!matchesShape(value, 'stringOrStringArray'))
				return `${name} must be a string or an array of strings`;
			if (field.maxItems !== undefined && Array.isArray(value) && value.length > field.maxItems)
				return `${name} takes at most ${field.maxItems} items`;
			return undefined;
		case 'integer':
		case 'number': {
			const ok = typeof value === 'number' && (field.type === 'number' || Number.isInteger(value));
			if (!ok) return `${name} must be ${field.type === 'integer' ? 'an integer' : 'a number'}`;
			if (
				(field.min !== undefined && value < field.min) ||
				(field.max !== undefined && value > field.max)
			)
				return `${name} must be ${rangeWording(field)}`;
			return undefined;
		}
		case 'boolean':
			return typeof value === 'boolean' ? undefined : `${name} must be a boolean`;
		case 'enum': {
			const values = field.values ?? [];
			return isListedValue(value, values)
				? undefined
				: `${name} must be one of: ${values.join(', ')}`;
		}
		case 'array':
			return Array.isArray(value) ? undefined : `${name} must be an array`;
	}
}

/**
 * A v7 body: `model_id` first (one the operation lists, else "Model not found: <id>"), then that
 * model's fields in table order, then track_id (a string, as the SDK types it) and webhook.
 */
export function validateV7Body(body: JsonObject, operation: V7Operation): string | undefined {
	const modelId = body.model_id;
	if (isMissing(modelId)) return 'model_id is required';
	if (typeof modelId !== 'string') return 'model_id must be a string';
	const fields: V7Fields | undefined = operation.anyModel ?? operation.models[modelId];
	if (!fields) return `Model not found: ${modelId}`;
	for (const [name, field] of Object.entries(fields)) {
		const value = body[name];
		if (isMissing(value)) {
			if (field.required) return `${name} is required`;
			continue;
		}
		const problem = value === undefined ? undefined : v7FieldProblem(name, value, field);
		if (problem !== undefined) return problem;
	}
	for (const alternatives of operation.requiredOneOf ?? []) {
		if (alternatives.every((name) => isMissing(body[name])))
			return `${alternatives[0]} is required`;
	}
	const sets = operation.requiredSets ?? [];
	if (sets.length && !sets.some((set) => set.every((name) => !isMissing(body[name])))) {
		const missing = sets[0].find((name) => isMissing(body[name]));
		return `${String(missing)} is required`;
	}
	return commonProblem(body, 'string');
}
