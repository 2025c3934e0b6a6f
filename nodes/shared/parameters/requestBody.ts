import type { IDataObject } from 'n8n-workflow';

import type { FieldSpec, ReadEndpointSpec, SubmitEndpointSpec } from '../catalog/types';
import { displayNameOf, parameterName } from './fieldNames';
import { unmetRequirement } from './fieldRequirements';
import { requestSchema } from './requestSchema';

/** A parameter that would make a wrong request; names the field and what to do. */
export class InvalidParameterError extends Error {
	constructor(
		readonly field: string,
		readonly parameter: string,
		detail: string,
	) {
		super(`Invalid parameter "${parameter}" (${field}): ${detail}`);
		this.name = 'InvalidParameterError';
	}
}

/** Labels of the body fields the framework adds, for errors that name them. */
const FRAMEWORK_FIELD_LABELS: Record<string, { label: string; parameter: string }> = {
	track_id: { label: 'Track ID', parameter: 'trackId' },
	webhook: { label: 'Result Webhook URL', parameter: 'options.resultWebhookUrl' },
};

/** The special `json` field whose object is spread into the body (Workflows run inputs). */
export const SPREAD_FIELD = 'inputs';

/**
 * Converts raw UI values (keyed by API name) into what the endpoint declares on the wire:
 * yes/no strings, numeric strings, lists from comma/newline text, parsed JSON.
 */
export function coerceValue(field: FieldSpec, value: unknown): unknown {
	if (value === undefined || value === null) return value;
	switch (field.kind) {
		case 'integer':
		case 'number':
		case 'integerOptions':
			return typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))
				? Number(value)
				: value;
		case 'numericString':
			return typeof value === 'number'
				? String(value)
				: typeof value === 'string'
					? value.trim()
					: value;
		case 'boolean':
			return asBoolean(value);
		case 'yesNo': {
			const flag = asBoolean(value);
			return typeof flag === 'boolean' ? (flag ? 'yes' : 'no') : value;
		}
		case 'trueFalseString': {
			const flag = asBoolean(value);
			return typeof flag === 'boolean' ? String(flag) : value;
		}
		case 'options':
			return typeof value === 'number' ? String(value) : value;
		case 'stringList':
			return asList(value);
		case 'stringOrList': {
			// A list stays a list; text naming one entry is sent as plain text.
			const list = asList(value);
			return typeof value === 'string' && Array.isArray(list) && list.length === 1 ? list[0] : list;
		}
		case 'json':
		case 'jsonArray':
			return asJson(value, field);
		default:
			return typeof value === 'number' ? String(value) : value;
	}
}

function asBoolean(value: unknown): unknown {
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'yes') return true;
	if (value === 'false' || value === 'no') return false;
	return value;
}

function asList(value: unknown): unknown {
	if (Array.isArray(value))
		return value
			.map((entry) => (typeof entry === 'string' ? entry.trim() : entry))
			.filter((e) => e !== '');
	if (typeof value !== 'string') return value;
	return value
		.split(/[\n,]/)
		.map((entry) => entry.trim())
		.filter(Boolean);
}

function asJson(value: unknown, field: FieldSpec): unknown {
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return field.kind === 'jsonArray' ? [] : {};
	let problem: string | undefined;
	try {
		return JSON.parse(value) as unknown;
	} catch (error) {
		problem = (error as Error).message;
	}
	throw new InvalidParameterError(
		field.name,
		displayNameOf(field),
		`is not valid JSON (${problem})`,
	);
}

/** True for values that mean "not set" in an optional UI field. */
function isUnset(field: FieldSpec, value: unknown): boolean {
	if (value === undefined || value === null) return !field.nullable || value === undefined;
	if (typeof value === 'string' && value.trim() === '' && field.kind !== 'json') return true;
	return false;
}

/**
 * Builds and validates the request body of one item from UI values keyed by API field name.
 * Throws InvalidParameterError naming the first bad field. `extra` (the Extra Body Fields JSON)
 * is merged last so it can override.
 */
export function buildRequestBody(
	endpoint: SubmitEndpointSpec | ReadEndpointSpec,
	values: Readonly<Record<string, unknown>>,
	extra: IDataObject = {},
): { body: IDataObject; pathValues: IDataObject } {
	const candidate: IDataObject = {};
	for (const field of endpoint.fields) {
		const value = values[field.name];
		if (!field.required && isUnset(field, value)) continue;
		candidate[field.name] = coerceValue(field, value) as IDataObject[string];
	}
	for (const [name, value] of Object.entries(values)) {
		if (
			!(name in candidate) &&
			!endpoint.fields.some((field) => field.name === name) &&
			value !== undefined
		) {
			candidate[name] = value as IDataObject[string];
		}
	}
	const parsed = requestSchema(endpoint).safeParse(candidate);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const fieldName = String(issue.path[0] ?? '');
		const field = endpoint.fields.find((f) => f.name === fieldName);
		const framework = FRAMEWORK_FIELD_LABELS[fieldName];
		const parameter = field ? displayNameOf(field) : (framework?.label ?? fieldName);
		const internalName = framework?.parameter ?? parameterName(fieldName);
		const detail =
			issue.code === 'invalid_type' && issue.received === 'undefined'
				? 'is required'
				: issue.message;
		throw new InvalidParameterError(
			fieldName,
			parameter,
			`${detail}. Set "${parameter}" (${internalName}) and run again.`,
		);
	}
	const body: IDataObject = { ...(parsed.data as IDataObject) };
	const pathValues: IDataObject = {};
	for (const name of endpoint.pathFields ?? []) {
		pathValues[name] = body[name];
		delete body[name];
	}
	const spread = body[SPREAD_FIELD];
	if (
		endpoint.fields.some((f) => f.name === SPREAD_FIELD && f.kind === 'json') &&
		spread &&
		typeof spread === 'object'
	) {
		delete body[SPREAD_FIELD];
		Object.assign(body, spread);
	}
	for (const field of endpoint.fields) {
		if (!(field.name in body)) continue;
		for (const alias of field.alsoSendAs ?? []) body[alias] = body[field.name];
	}
	const merged = { ...body, ...extra };
	const unmet =
		endpoint.type === 'submit'
			? unmetRequirement(endpoint.requirements ?? [], endpoint.fields, merged)
			: undefined;
	if (unmet)
		throw new InvalidParameterError(unmet.field, unmet.label, `${unmet.detail} and run again.`);
	return { body: merged, pathValues };
}
