/**
 * Keeps the API key out of everything the simulator records or logs: the body field `key`, the
 * `key` / `authorization` headers, a `key` query parameter, and any other place the key text appears.
 */
import type { IncomingHttpHeaders } from 'node:http';

import type { JsonValue } from './types';

export const REDACTED = '***';

const SECRET_HEADERS = new Set(['key', 'authorization', 'x-api-key']);

export function redactText(text: string, apiKey: string): string {
	return apiKey === '' ? text : text.split(apiKey).join(REDACTED);
}

function redactStrings(value: JsonValue, apiKey: string): JsonValue {
	if (typeof value === 'string') return redactText(value, apiKey);
	if (Array.isArray(value)) return value.map((item) => redactStrings(item, apiKey));
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([name, item]) => [name, redactStrings(item, apiKey)]),
		);
	}
	return value;
}

/** The top-level `key` is replaced whatever it holds (a wrong key is a secret too). */
export function redactBody(body: JsonValue, apiKey: string): JsonValue {
	const redacted = redactStrings(body, apiKey);
	if (
		redacted !== null &&
		typeof redacted === 'object' &&
		!Array.isArray(redacted) &&
		'key' in redacted
	) {
		return { ...redacted, key: REDACTED };
	}
	return redacted;
}

export function redactHeaders(
	headers: IncomingHttpHeaders,
	apiKey: string,
): Record<string, string | string[]> {
	const result: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		if (SECRET_HEADERS.has(name.toLowerCase())) result[name] = REDACTED;
		else
			result[name] = Array.isArray(value)
				? value.map((item) => redactText(item, apiKey))
				: redactText(value, apiKey);
	}
	return result;
}

export function redactQuery(
	params: URLSearchParams,
	apiKey: string,
): Record<string, string | string[]> {
	const result: Record<string, string | string[]> = {};
	for (const name of new Set(params.keys())) {
		const values = params
			.getAll(name)
			.map((value) => (name === 'key' ? REDACTED : redactText(value, apiKey)));
		result[name] = values.length === 1 ? values[0] : values;
	}
	return result;
}
