import { normaliseBaseUrl } from './context';

/**
 * A job's `fetch_result` (docs/modelslab-api.md §4 "Processing"): the URL ModelsLab names for
 * reading the job, sometimes under another path family than the catalog's (`/v6/deepfake/fetch`,
 * `/v6/whisper/fetch` in the 2025 examples). Every example names `https://modelslab.com/api/...`.
 *
 * It is trusted only on the credential Base URL's origin or on ModelsLab's own hosts
 * (`modelslab.com` and its subdomains, over HTTPS). `stablediffusionapi.com`, ModelsLab's legacy
 * host (§1), is not: no current source names it in a `fetch_result`. Even then only its path is
 * used, under the Base URL: the key goes where every other request goes (a proxy in front of
 * ModelsLab stays in front), never to a host the answer names.
 */

/** `modelslab.com` and its subdomains. */
export function isModelsLabHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	return host === 'modelslab.com' || host.endsWith('.modelslab.com');
}

/** `/v6/<family>/fetch/<id>`, `/v7/video-fusion/fetch/<id>`: a version, segments, `fetch`, an id. */
const FETCH_PATH = /^\/v\d+(?:\/[A-Za-z0-9_.-]+)*\/fetch\/[A-Za-z0-9_-]+$/;

function parseUrl(text: string | undefined): URL | undefined {
	if (!text) return undefined;
	try {
		return new URL(text.trim());
	} catch {
		return undefined;
	}
}

/**
 * The path under the Base URL to read the job at (`/v6/deepfake/fetch/123`), or undefined when the
 * `fetch_result` is on another host, is not a fetch path, or carries a query.
 */
export function fetchResultPath(
	fetchResult: string | undefined,
	baseUrl: string | undefined,
): string | undefined {
	const url = parseUrl(fetchResult);
	const base = parseUrl(normaliseBaseUrl(baseUrl));
	if (!url || !base || url.search || url.hash || url.username || url.password) return undefined;
	let prefix: string;
	if (url.origin === base.origin) prefix = base.pathname.replace(/\/+$/, '');
	else if (url.protocol === 'https:' && isModelsLabHost(url.hostname)) prefix = '/api';
	else return undefined;
	if (!url.pathname.startsWith(`${prefix}/`)) return undefined;
	const path = url.pathname.slice(prefix.length);
	return FETCH_PATH.test(path) && !path.split('/').includes('..') ? path : undefined;
}

/** The job id a `fetch_result` ends in, from any host (reading it sends nothing anywhere). */
export function idFromFetchResult(fetchResult: string | undefined): string | undefined {
	const url = parseUrl(fetchResult);
	if (!url) return undefined;
	const segments = url.pathname.split('/').filter(Boolean);
	if (segments.length < 2 || segments[segments.length - 2] !== 'fetch') return undefined;
	const id = segments[segments.length - 1];
	return /^[A-Za-z0-9_-]{1,128}$/.test(id) ? id : undefined;
}
