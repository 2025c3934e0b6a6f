import { NodeApiError } from 'n8n-workflow';

import { getEndpoint } from '../../nodes/shared/catalog';
import type { SubmitEndpointSpec } from '../../nodes/shared/catalog/types';
import { fetchJob, submitJob } from '../../nodes/shared/transport/jobs';
import { listWorkflows } from '../../nodes/shared/transport/lists';
import { inNodeContext } from '../support/probe';
import { sendJson, startStubServer, type StubServer } from './support/stubServer';

/**
 * No request that carries the API key follows a redirect to another origin (issue 23 item 4):
 * n8n's helpers follow redirects and keep custom headers, and the body on 307/308. A Base URL
 * that redirects elsewhere must not hand the key to the other origin; redirects within the Base
 * URL's origin are followed.
 */
const API_KEY = 'sk-redirect-test-7c41d2e9';
const text2img = getEndpoint('image', 'text2img') as SubmitEndpointSpec;
const body = { model_id: 'flux', prompt: 'a red apple', width: 512, height: 512, track_id: 'r-1' };

let elsewhere: StubServer;
let redirecting: StubServer;
let status = 307;

beforeAll(async () => {
	// Another origin that records whatever reaches it, and answers like ModelsLab would.
	elsewhere = await startStubServer((_request, response) =>
		sendJson(response, 200, { status: 'processing', id: 1, eta: 1, output: [], workflows: [] }),
	);
	redirecting = await startStubServer((request, response) => {
		response.writeHead(status, { location: `${elsewhere.origin}${request.url}` });
		response.end();
	});
});
afterAll(async () => {
	await redirecting.stop();
	await elsewhere.stop();
});
beforeEach(() => {
	elsewhere.requests.length = 0;
	redirecting.requests.length = 0;
});

function leaked(): string[] {
	return elsewhere.requests
		.filter((request) => JSON.stringify(request).includes(API_KEY))
		.map((request) => `${request.method} ${request.url}`);
}

const credentials = () => ({ apiKey: API_KEY, baseUrl: `${redirecting.origin}/api` });

describe.each([307, 308, 302])('a Base URL answering %s to another origin', (code) => {
	beforeEach(() => {
		status = code;
	});

	it('a submit through the credential: refused, the key never arrives there', async () => {
		const { error } = await inNodeContext(credentials(), async function () {
			return await submitJob.call(this, text2img, body, {}, 0);
		});
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error?.message).toMatch(
			/redirect to http:\/\/127\.0\.0\.1:\d+\/api\/v6\/images\/text2img, another origin/,
		);
		expect(error?.message).not.toContain(API_KEY);
		expect(redirecting.requests).toHaveLength(1);
		expect(elsewhere.requests).toEqual([]);
	});

	it('background work sending the key itself (after a resume webhook answered): the same', async () => {
		const { error } = await inNodeContext(credentials(), async function () {
			return await fetchJob.call(this, 'generation', text2img.fetchPath, { id: '5' }, 0, {
				credentials: credentials(),
			});
		});
		expect(error).toBeInstanceOf(NodeApiError);
		expect(leaked()).toEqual([]);
		expect(elsewhere.requests).toEqual([]);
	});

	it('a list (GET, key in the header): the same', async () => {
		const { error } = await inNodeContext(credentials(), async function () {
			return await listWorkflows.call(this);
		});
		expect(error).toBeInstanceOf(NodeApiError);
		expect(elsewhere.requests).toEqual([]);
	});
});

describe('redirects within the Base URL origin', () => {
	let moved: StubServer;
	beforeAll(async () => {
		moved = await startStubServer((request, response, origin) => {
			if (request.url === '/api/v6/images/text2img') {
				response.writeHead(308, { location: `${origin}/api/v6/images/text2img-moved` });
				response.end();
				return;
			}
			if (request.url === '/api/loop') {
				response.writeHead(307, { location: '/api/loop' });
				response.end();
				return;
			}
			const sent = JSON.parse(request.body || '{}') as { key?: string; prompt?: string };
			if (sent.key !== API_KEY || sent.prompt !== 'a red apple')
				return sendJson(response, 400, { status: 'error', message: 'the body did not follow' });
			sendJson(response, 200, { status: 'processing', id: 4242, eta: 3, output: [] });
		});
	});
	afterAll(async () => await moved.stop());

	it('are followed, keeping the method and body of a 308', async () => {
		const { result, error } = await inNodeContext(
			{ apiKey: API_KEY, baseUrl: `${moved.origin}/api` },
			async function () {
				return await submitJob.call(this, text2img, body, {}, 0);
			},
		);
		expect(error).toBeUndefined();
		expect(result).toMatchObject({ id: '4242', phase: 'pending' });
		expect(moved.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
			'POST /api/v6/images/text2img',
			'POST /api/v6/images/text2img-moved',
		]);
	});

	it('a redirect loop ends after a few hops with an error', async () => {
		moved.requests.length = 0;
		const { error } = await inNodeContext(
			{ apiKey: API_KEY, baseUrl: `${moved.origin}/api` },
			async function () {
				return await fetchJob.call(this, 'generation', '/loop', { id: '1' });
			},
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(moved.requests.length).toBeLessThanOrEqual(6);
	});
});
