import { failedExchange } from '../../nodes/shared/transport/exchange';
import {
	fetchResultPath,
	idFromFetchResult,
	isModelsLabHost,
} from '../../nodes/shared/transport/fetchResult';
import { saysNotFound } from '../../nodes/shared/transport/jobAnswers';
import {
	isRateLimited,
	statedWaitSeconds,
	waitBeforeRetry,
} from '../../nodes/shared/transport/rateLimit';
import { withoutErrorCodes } from '../../nodes/shared/transport/errors';

/** The pure readings behind the transport's answer forms and failure policy. */
const NOW = Date.parse('2026-12-07T10:00:00Z');

describe('the wait ModelsLab asked for', () => {
	it.each([
		['body retry_after', {}, { retry_after: 30 }, 30],
		['body retry_after as text', {}, { retry_after: '7' }, 7],
		['Retry-After seconds', { 'retry-after': '2' }, {}, 2],
		['Retry-After as an HTTP date', { 'retry-after': 'Mon, 07 Dec 2026 10:00:05 GMT' }, {}, 5],
		['Retry-After date in the past', { 'retry-after': 'Mon, 07 Dec 2026 09:00:00 GMT' }, {}, 0],
		['X-RateLimit-Reset epoch seconds', { 'x-ratelimit-reset': String(NOW / 1000 + 9) }, {}, 9],
		['X-RateLimit-Reset as seconds from now', { 'x-ratelimit-reset': '4' }, {}, 4],
		['the longest of several', { 'retry-after': '3' }, { retry_after: 10 }, 10],
		['a header list', { 'retry-after': ['6'] }, {}, 6],
		['none', {}, { status: 'error' }, undefined],
		['nonsense', { 'retry-after': 'soon' }, { retry_after: 'later' }, undefined],
	])('%s', (_case, headers, body, expected) => {
		expect(statedWaitSeconds(headers, body, NOW)).toBe(expected);
	});

	it('without a stated wait, backs off 1, 2, 4 s; waits are capped at 60 s', () => {
		expect([0, 1, 2].map((retry) => waitBeforeRetry(undefined, retry))).toEqual([1, 2, 4]);
		expect(waitBeforeRetry(1, 2)).toBe(1);
		expect(waitBeforeRetry(3600, 0)).toBe(60);
	});

	it('a rate limit is HTTP 429, or HTTP 200 {status: "error"} with retry_after', () => {
		expect(isRateLimited(429, 'Too many requests')).toBe(true);
		expect(isRateLimited(200, { status: 'error', message: 'Rate limit', retry_after: 5 })).toBe(
			true,
		);
		expect(isRateLimited(200, { status: 'error', message: 'prompt is required' })).toBe(false);
		expect(isRateLimited(200, { status: 'processing', retry_after: 5 })).toBe(false);
	});
});

describe('fetch_result', () => {
	const base = 'https://modelslab.com/api';
	it.each([
		[
			'ModelsLab, another family',
			'https://modelslab.com/api/v6/deepfake/fetch/117356534',
			base,
			'/v6/deepfake/fetch/117356534',
		],
		[
			'ModelsLab, whisper',
			'https://modelslab.com/api/v6/whisper/fetch/330711',
			base,
			'/v6/whisper/fetch/330711',
		],
		[
			'a ModelsLab subdomain, through a proxy Base URL',
			'https://api.modelslab.com/api/v7/voice/fetch/9',
			'https://proxy.example/modelslab',
			'/v7/voice/fetch/9',
		],
		[
			'the Base URL origin and path',
			'http://127.0.0.1:4010/api/v6/images/fetch/5',
			'http://127.0.0.1:4010/api/',
			'/v6/images/fetch/5',
		],
		[
			'the Base URL origin, another prefix',
			'http://127.0.0.1:4010/other/v6/images/fetch/5',
			'http://127.0.0.1:4010/api',
			undefined,
		],
		['another host', 'https://evil.example/api/v6/images/fetch/5', base, undefined],
		[
			'a look-alike host',
			'https://modelslab.com.evil.example/api/v6/images/fetch/5',
			base,
			undefined,
		],
		[
			'ModelsLab over plain HTTP',
			'http://modelslab.com/api/v6/images/fetch/5',
			'https://proxy.example/api',
			undefined,
		],
		['the legacy host', 'https://stablediffusionapi.com/api/v6/images/fetch/5', base, undefined],
		['not a fetch path', 'https://modelslab.com/api/v6/images/text2img', base, undefined],
		['a path that climbs', 'https://modelslab.com/api/v6/../v3/fetch/5', base, '/v3/fetch/5'],
		['a query', 'https://modelslab.com/api/v6/images/fetch/5?key=x', base, undefined],
		['not a URL', 'processing', base, undefined],
	])('%s', (_case, fetchResult, baseUrl, expected) => {
		// URL parsing resolves `..` before the path is looked at: only the resolved path counts.
		expect(fetchResultPath(fetchResult, baseUrl)).toBe(expected);
	});

	it('ModelsLab hosts are modelslab.com and its subdomains', () => {
		expect(
			['modelslab.com', 'MODELSLAB.COM.', 'assets.modelslab.com'].map(isModelsLabHost),
		).toEqual([true, true, true]);
		expect(
			['modelslab.ai', 'evilmodelslab.com', 'modelslab.com.evil'].map(isModelsLabHost),
		).toEqual([false, false, false]);
	});

	it('names the id a submit answered with id: null', () => {
		expect(idFromFetchResult('https://modelslab.com/api/v6/images/fetch/134701497')).toBe(
			'134701497',
		);
		expect(idFromFetchResult('https://anywhere.example/api/v7/video-fusion/fetch/abc-12')).toBe(
			'abc-12',
		);
		expect(idFromFetchResult('https://modelslab.com/api/v6/images/text2img')).toBeUndefined();
		expect(idFromFetchResult(undefined)).toBeUndefined();
	});
});

describe('"not found" in an error answer', () => {
	it.each([
		['Request not found: 123', '123', true],
		['Execution 12 not found for workflow wf', '12', true],
		['Invalid request id: 42 does not exist', '42', true],
		['No such job', undefined, true],
		['Model not found: flux-9', '77', false],
		['NSFW content detected', '77', false],
		[undefined, '77', false],
	])('%s', (message, id, expected) => {
		expect(saysNotFound(message, id)).toBe(expected);
	});
});

describe('a request that failed on the wire', () => {
	const codeError = (code: string, message = code) => Object.assign(new Error(message), { code });
	it.each([
		['connection refused', codeError('ECONNREFUSED'), 'notSent'],
		['DNS', codeError('ENOTFOUND'), 'notSent'],
		['TLS', codeError('ERR_TLS_CERT_ALTNAME_INVALID'), 'notSent'],
		['a certificate', codeError('CERT_HAS_EXPIRED'), 'notSent'],
		['a reset after sending', codeError('ECONNRESET', 'socket hang up'), 'lost'],
		['axios timeout', codeError('ECONNABORTED', 'timeout of 120000ms exceeded'), 'lost'],
		[
			'cancelled',
			Object.assign(new Error('canceled'), { name: 'CanceledError', code: 'ERR_CANCELED' }),
			'cancelled',
		],
		['something unknown', new Error('boom'), 'lost'],
		[
			'wrapped by n8n (the cause holds the code)',
			Object.assign(new Error('The service refused the connection'), {
				cause: codeError('ECONNREFUSED'),
			}),
			'notSent',
		],
	])('%s', (_case, error, expected) => {
		expect(failedExchange(error, undefined, 'sk-key').outcome).toBe(expected);
	});

	it('says what happened without the key, and without words n8n would replace', () => {
		const failed = failedExchange(
			codeError('ECONNRESET', 'read ECONNRESET sk-key'),
			undefined,
			'sk-key',
		);
		expect(failed.reason).not.toContain('sk-key');
		expect(withoutErrorCodes(failed.reason)).toBe('read connection reset ***');
	});
});
