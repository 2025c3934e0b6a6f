import { z } from 'zod';

import type {
	FieldSpec,
	SubmitEndpointSpec,
	ReadEndpointSpec,
	TrackIdStyle,
} from '../catalog/types';

/**
 * The zod schema of an operation's request body, derived from its catalog entry. Fields the
 * catalog lacks pass through (the extra-fields JSON); `key`, `webhook` and `track_id` are
 * checked here too so a wrong type never reaches ModelsLab.
 */
export function requestSchema(
	endpoint: SubmitEndpointSpec | ReadEndpointSpec,
): z.ZodObject<z.ZodRawShape> {
	const shape: z.ZodRawShape = {};
	for (const field of endpoint.fields) {
		if (endpoint.pathFields?.includes(field.name) && endpoint.type === 'read') {
			shape[field.name] = fieldSchema(field);
			continue;
		}
		shape[field.name] = field.required ? fieldSchema(field) : fieldSchema(field).optional();
	}
	if (endpoint.type === 'submit') {
		shape.track_id = trackIdSchema(endpoint.trackId).optional();
		if (endpoint.webhook)
			shape.webhook = z.string().url('must be an absolute http(s) URL').optional();
	}
	return z.object(shape).passthrough();
}

function trackIdSchema(style: TrackIdStyle): z.ZodTypeAny {
	if (style === 'integer')
		return z
			.number({ invalid_type_error: 'must be an integer for this endpoint' })
			.int()
			.nonnegative();
	if (style === 'string') return z.string().min(1);
	return z.never();
}

export function fieldSchema(field: FieldSpec): z.ZodTypeAny {
	let schema: z.ZodTypeAny;
	switch (field.kind) {
		case 'integer':
		case 'number': {
			let number = z.number({ invalid_type_error: 'must be a number' });
			if (field.kind === 'integer') number = number.int('must be a whole number');
			if (field.min !== undefined) number = number.min(field.min, `must be at least ${field.min}`);
			if (field.max !== undefined) number = number.max(field.max, `must be at most ${field.max}`);
			schema = number;
			break;
		}
		case 'numericString':
			schema = z
				.string({ invalid_type_error: 'must be a number' })
				.regex(/^-?\d+(\.\d+)?$/, 'must be a number')
				.refine(
					(value) => field.min === undefined || Number(value) >= field.min,
					`must be at least ${field.min}`,
				)
				.refine(
					(value) => field.max === undefined || Number(value) <= field.max,
					`must be at most ${field.max}`,
				);
			break;
		case 'boolean':
			schema = z.boolean({ invalid_type_error: 'must be true or false' });
			break;
		case 'yesNo':
			schema = z.enum(['yes', 'no'], { errorMap: () => ({ message: 'must be "yes" or "no"' }) });
			break;
		case 'trueFalseString':
			schema = z.enum(['true', 'false'], {
				errorMap: () => ({ message: 'must be "true" or "false"' }),
			});
			break;
		case 'options': {
			const allowed = field.options ?? [];
			schema = z
				.string()
				.refine((value) => allowed.includes(value), `must be one of: ${allowed.join(', ')}`);
			break;
		}
		case 'integerOptions': {
			const allowed = (field.options ?? []).map(Number);
			schema = z
				.number({ invalid_type_error: 'must be a number' })
				.refine((value) => allowed.includes(value), `must be one of: ${allowed.join(', ')}`);
			break;
		}
		case 'stringList':
			schema = z
				.array(z.string().min(1), { invalid_type_error: 'must be a list' })
				.min(1, 'needs at least one entry');
			if (field.max !== undefined)
				schema = (schema as z.ZodArray<z.ZodString>).max(
					field.max,
					`takes at most ${field.max} entries`,
				);
			break;
		case 'stringOrList':
			schema = z.union(
				[
					z.string().min(1),
					z
						.array(z.string().min(1))
						.min(1)
						.max(field.max ?? Number.MAX_SAFE_INTEGER),
				],
				{
					errorMap: () => ({ message: 'must be a text or a list of texts' }),
				},
			);
			break;
		case 'json':
			schema = z.record(z.unknown(), { invalid_type_error: 'must be a JSON object' });
			break;
		case 'jsonArray':
			schema = z
				.array(z.unknown(), { invalid_type_error: 'must be a JSON array' })
				.min(1, 'needs at least one entry');
			break;
		default: {
			let text = z.string({ invalid_type_error: 'must be text', required_error: 'is required' });
			if (field.required) text = text.min(1, 'is required');
			if (field.maxLength !== undefined)
				text = text.max(field.maxLength, `must be at most ${field.maxLength} characters`);
			schema = field.options
				? text.refine(
						(value) => field.options?.includes(value),
						`must be one of: ${field.options.join(', ')}`,
					)
				: text;
		}
	}
	return field.nullable ? schema.nullable() : schema;
}
