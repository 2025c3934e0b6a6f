import {
	downloadOutput,
	MODELSLAB_OUTPUT_HOSTS,
	outputHostsOf,
	type DownloadLimits,
} from '../../nodes/shared/transport/download';
import {
	hostAllowed,
	isPrivateHost,
	refusedRedirect,
} from '../../nodes/shared/transport/downloadHosts';
import { inNodeContext } from '../support/probe';
import { startFileHost, type FileHost } from '../simulator/fileHosts';

/**
 * downloadOutput against real file hosts through n8n-core's own request helper (issue 23 item 1,
 * issue 21 item 5): every redirect hop is checked, and transient failures are tried again.
 */
let allowed: FileHost;
/** Another host to an allowlist (127.0.0.2), standing in for a service inside the network. */
let internal: FileHost;

beforeAll(async () => {
	[allowed, internal] = await Promise.all([startFileHost('127.0.0.1'), startFileHost('127.0.0.2')]);
});
afterAll(async () => await Promise.all([allowed.close(), internal.close()]));

const QUICK_RETRIES = [20, 40, 80];

async function download(url: string, limits: Partial<DownloadLimits> = {}) {
	return await inNodeContext({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9/api' }, async function () {
		return await downloadOutput.call(this, url, 'fallback', {
			maxBytes: 1_000_000,
			timeoutMs: 10_000,
			retryDelaysMs: QUICK_RETRIES,
			...limits,
		});
	});
}

const requestsTo = (host: FileHost, prefix: string): number =>
	host.requests.filter((request) => request.path.startsWith(prefix)).length;

describe('redirects of a download from an allowlist (an unverified trigger callback)', () => {
	it('an open redirect on an allowed host to another host is refused: 0 requests reach it', async () => {
		const before = requestsTo(internal, '/file/');
		const { result, error } = await download(allowed.redirectTo(internal.url('/file/admin.png')), {
			allowedHosts: ['127.0.0.1'],
		});
		expect(result).toBeUndefined();
		expect(error?.message).toMatch(
			/was not downloaded: it redirects to 127\.0\.0\.2:\d+, which is not one of ModelsLab's output hosts$/,
		);
		expect(requestsTo(internal, '/file/') - before).toBe(0);
	});

	it('a redirect to an allowed host is followed, with 301, 302, 303, 307 and 308', async () => {
		for (const status of [301, 302, 303, 307, 308]) {
			const { result, error } = await download(
				allowed.redirectTo(allowed.url(`/file/moved-${status}.png`), status),
				{ allowedHosts: ['127.0.0.1'] },
			);
			expect(error).toBeUndefined();
			expect(result).toMatchObject({ mimeType: 'image/png' });
		}
	});

	it('the hop check holds at every hop of a chain, and a chain is bounded', async () => {
		const deep = allowed.redirectTo(allowed.redirectTo(internal.url('/file/deep.png')));
		const before = requestsTo(internal, '/file/');
		expect((await download(deep, { allowedHosts: ['127.0.0.1'] })).error?.message).toMatch(
			/redirects to 127\.0\.0\.2/,
		);
		expect(requestsTo(internal, '/file/') - before).toBe(0);

		let chain = allowed.url('/file/end.png');
		for (let hop = 0; hop < 7; hop++) chain = allowed.redirectTo(chain);
		expect((await download(chain)).error?.message).toMatch(/redirects more than 5 times/);
	});
});

describe('redirects without an allowlist (action nodes, verified callbacks)', () => {
	it('a private host may redirect within private addresses (a local proxy, the simulator)', async () => {
		const { result, error } = await download(allowed.redirectTo(internal.url('/file/local.png')));
		expect(error).toBeUndefined();
		expect(result).toMatchObject({ mimeType: 'image/png' });
	});

	it('a public host may not redirect to a private address', () => {
		for (const target of [
			'http://127.0.0.1/x',
			'http://10.0.0.8/x',
			'http://169.254.169.254/latest/meta-data',
			'http://[::1]:8080/x',
			'http://[::ffff:192.168.1.1]/x',
			'http://localhost:5678/rest',
		]) {
			expect({
				target,
				refusal: refusedRedirect('https://cdn.example.com/a.png', target, undefined),
			}).toEqual({
				target,
				refusal: expect.stringMatching(/from a public host to the private address/),
			});
		}
		expect(
			refusedRedirect('https://cdn.example.com/a', 'https://cdn2.example.net/b', undefined),
		).toBeUndefined();
		expect(refusedRedirect('https://cdn.example.com/a', 'file:///etc/passwd', undefined)).toMatch(
			/not http/,
		);
	});
});

describe('retries of transient failures', () => {
	it('503 twice, then the file: three requests, downloaded', async () => {
		const { result, error } = await download(allowed.url('/flaky/a?fail=2&with=503'));
		expect(error).toBeUndefined();
		expect(result).toMatchObject({ mimeType: 'image/png' });
		expect(requestsTo(allowed, '/flaky/a')).toBe(3);
	});

	it('a reset connection and a file cut off mid-way are tried again', async () => {
		expect((await download(allowed.url('/flaky/b?fail=1&with=reset'))).error).toBeUndefined();
		expect(requestsTo(allowed, '/flaky/b')).toBe(2);
		expect((await download(allowed.url('/flaky/c?fail=1&with=truncate'))).error).toBeUndefined();
		expect(requestsTo(allowed, '/flaky/c')).toBe(2);
	});

	it('429 waits what Retry-After asks, then the file', async () => {
		const started = Date.now();
		const { error } = await download(allowed.url('/flaky/d?fail=1&with=429&retryAfter=1'));
		expect(error).toBeUndefined();
		const [first, second] = allowed.requests.filter((r) => r.path.startsWith('/flaky/d'));
		expect(second.at - first.at).toBeGreaterThanOrEqual(990);
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	it('gives up after the last retry, saying how often it tried', async () => {
		const { error } = await download(allowed.url('/flaky/e?fail=9&with=503'));
		expect(error?.message).toMatch(/could not be downloaded: HTTP 503 \(tried 4 times\)$/);
		expect(requestsTo(allowed, '/flaky/e')).toBe(4);
	});

	it('no retry for a 4xx, the size cap or a refused host', async () => {
		expect((await download(allowed.url('/status/404'))).error?.message).toMatch(
			/status\/404 could not be downloaded: HTTP 404$/,
		);
		expect(requestsTo(allowed, '/status/404')).toBe(1);
		expect((await download(allowed.url('/file/big.png'), { maxBytes: 10 })).error).toBeInstanceOf(
			RangeError,
		);
		expect(requestsTo(allowed, '/file/big.png')).toBe(1);
		expect(
			(await download(internal.url('/file/refused.png'), { allowedHosts: ['127.0.0.1'] })).error
				?.message,
		).toMatch(/is not on one of ModelsLab's output hosts/);
		expect(requestsTo(internal, '/file/refused.png')).toBe(0);
	});

	it('retries stay within the time limit', async () => {
		const { error } = await download(allowed.url('/flaky/f?fail=9&with=503'), {
			timeoutMs: 500,
			retryDelaysMs: [300, 300, 300],
		});
		expect(error?.message).toMatch(/HTTP 503/);
		expect(requestsTo(allowed, '/flaky/f')).toBe(2);
	});
});

describe('the default output hosts', () => {
	it("name ModelsLab's own hosts, no public namespace", () => {
		expect(MODELSLAB_OUTPUT_HOSTS.some((host) => host.includes('*'))).toBe(false);
		const hosts = outputHostsOf(undefined, 'https://modelslab.com/api');
		const url = (host: string) => `https://${host}/generations/x.png`;
		expect(hostAllowed(url('pub-3626123a908346a7a8be8d9295f44e26.r2.dev'), hosts)).toBe(true);
		expect(hostAllowed(url('assets.modelslab.ai'), hosts)).toBe(true);
		expect(hostAllowed(url('modelslab-bom.s3.amazonaws.com'), hosts)).toBe(true);
		expect(hostAllowed(url('modelslab.com'), hosts)).toBe(true);
		expect(hostAllowed(url('pub-0123456789abcdef0123456789abcdef.r2.dev'), hosts)).toBe(false);
		expect(hostAllowed(url('attacker.s3.amazonaws.com'), hosts)).toBe(false);
	});

	it("take the Base URL's origin with its port; listed hosts replace the defaults", () => {
		const local = outputHostsOf(undefined, 'http://127.0.0.1:4010/api');
		expect(hostAllowed('http://127.0.0.1:4010/files/1.png', local)).toBe(true);
		expect(hostAllowed('http://127.0.0.1:5678/rest/login', local)).toBe(false);
		const listed = outputHostsOf(
			'cdn.example.com, *.files.example.net',
			'http://127.0.0.1:4010/api',
		);
		expect(listed).toEqual(['cdn.example.com', '*.files.example.net']);
		expect(hostAllowed('https://cdn.example.com:8443/a.png', listed)).toBe(true);
		expect(hostAllowed('https://eu.files.example.net/a.png', listed)).toBe(true);
		expect(hostAllowed('https://files.example.net.evil.com/a.png', listed)).toBe(false);
		expect(hostAllowed('ftp://cdn.example.com/a.png', listed)).toBe(false);
	});

	it('private addresses as the URL parser writes them', () => {
		const host = (url: string) => new URL(url).hostname;
		for (const url of [
			'http://0x7f.1/',
			'http://2130706433/',
			'http://[::1]/',
			'http://[fd00::1]/',
			'http://a.localhost/',
		])
			expect({ url, private: isPrivateHost(host(url)) }).toEqual({ url, private: true });
		for (const url of ['http://8.8.8.8/', 'http://[2001:db8::1]/', 'http://cdn.modelslab.com/'])
			expect({ url, private: isPrivateHost(host(url)) }).toEqual({ url, private: false });
	});
});
