import type { IDataObject } from 'n8n-workflow';

/**
 * The API key and the secrets of callback URLs must never reach an output item, an error or a log
 * line. ModelsLab echoes request parameters in `meta` (the `webhook` URL included), and errors may
 * quote request bodies, so everything leaving the transport passes through here.
 */
const SECRET_FIELD = /^(key|api_?key|authorization)$/i;

/**
 * Query parameters that authenticate a callback URL: n8n's resume token (2.14+), this package's
 * callback MAC, and the ModelsLab Trigger's shared secret.
 */
export const URL_SECRET_PARAMS = ['signature', 'mlmac', 'token'] as const;
const URL_SECRET = new RegExp(`([?&](?:${URL_SECRET_PARAMS.join('|')})=)[^&#\\s"']+`, 'gi');

/** Replaces the values of secret query parameters in any text (`?signature=***`). */
export function withoutUrlSecrets(text: string): string {
	return text.replace(URL_SECRET, '$1***');
}

export function withoutSecrets<T>(value: T): T {
	if (typeof value === 'string') return withoutUrlSecrets(value) as T;
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

/** Replaces every occurrence of the key, and every URL secret, in free text. */
export function redactText(text: string, apiKey: string | undefined): string {
	const clean = withoutUrlSecrets(text);
	if (!apiKey || apiKey.length < 4) return clean;
	return clean.split(apiKey).join('***');
}
