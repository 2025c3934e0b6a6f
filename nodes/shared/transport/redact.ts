import type { IDataObject } from 'n8n-workflow';

/**
 * The API key must never reach an output item, an error or a log line. ModelsLab echoes request
 * parameters in `meta`, and errors may quote request bodies, so everything leaving the transport
 * passes through here.
 */
const SECRET_FIELD = /^(key|api_?key|authorization)$/i;

export function withoutSecrets<T>(value: T): T {
	if (Array.isArray(value)) return value.map((entry) => withoutSecrets(entry)) as T;
	if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
		const clean: IDataObject = {};
		for (const [field, entry] of Object.entries(value as IDataObject)) {
			if (SECRET_FIELD.test(field)) continue;
			clean[field] = withoutSecrets(entry) as IDataObject[string];
		}
		return clean as T;
	}
	return value;
}

/** Replaces every occurrence of the key in free text (error messages quoting a request). */
export function redactText(text: string, apiKey: string | undefined): string {
	if (!apiKey || apiKey.length < 4) return text;
	return text.split(apiKey).join('***');
}
