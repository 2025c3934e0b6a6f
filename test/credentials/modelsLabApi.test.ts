import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { request } from 'undici';
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { ModelsLabApi } from '../../credentials/ModelsLabApi.credentials';
import { TestCredentialsHelper } from '../support/credentialsHelper';
import { startSimulator, type Simulator } from '../simulator';

/**
 * Runs the credential's own test request the way n8n's credential tester does: resolve the
 * request against the credential, apply `authenticate`, send it, then fail on a non-2xx answer
 * or on any `rules` match.
 */
async function testCredential(
	apiKey: string,
	baseUrl: string,
): Promise<{ ok: boolean; message: string }> {
	const credential = new ModelsLabApi();
	const { request: testRequest, rules } = credential.test;
	const resolvedBase = String(testRequest.baseURL).replace('={{$credentials.baseUrl}}', baseUrl);
	const options = await new TestCredentialsHelper({}).authenticate(
		{ apiKey, baseUrl },
		'modelsLabApi',
		{
			url: String(testRequest.url),
			method: testRequest.method,
			body: { ...(testRequest.body as IDataObject) },
			headers: {},
		} as IHttpRequestOptions,
	);
	const url = resolvedBase.replace(/\/+$/, '') + options.url;
	const answer = await request(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(options.headers as Record<string, string>) },
		body: JSON.stringify(options.body),
	});
	const body = (await answer.body.json()) as IDataObject;
	if (answer.statusCode >= 300) return { ok: false, message: `HTTP ${answer.statusCode}` };
	for (const rule of rules ?? []) {
		if (
			rule.type === 'responseSuccessBody' &&
			body[rule.properties.key] === rule.properties.value
		) {
			return { ok: false, message: rule.properties.message };
		}
	}
	return { ok: true, message: 'Connection tested successfully' };
}

let sim: Simulator;
beforeAll(async () => (sim = await startSimulator()));
afterAll(async () => await sim.stop());

describe('ModelsLab API credential', () => {
	it('declares the contract fields: apiKey (password) and baseUrl with the production default', () => {
		const credential = new ModelsLabApi();
		expect(credential.name).toBe('modelsLabApi');
		const [apiKey, baseUrl] = credential.properties;
		expect(apiKey).toMatchObject({
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
		});
		expect(baseUrl).toMatchObject({
			name: 'baseUrl',
			type: 'string',
			default: 'https://modelslab.com/api',
		});
	});

	it('passes its test with the right key, on a real authenticated endpoint', async () => {
		expect(await testCredential(sim.apiKey, sim.baseUrl)).toEqual({
			ok: true,
			message: 'Connection tested successfully',
		});
		expect(await testCredential(sim.apiKey, `${sim.baseUrl}/`)).toMatchObject({ ok: true });
		const probe = sim.requests.find((entry) => entry.path === '/api/v6/processing/request_count');
		expect(probe?.body).toEqual({ key: '***' });
	});

	it('fails its test with a wrong key', async () => {
		expect(await testCredential('wrong-key', sim.baseUrl)).toMatchObject({ ok: false });
	});

	it('fails on an HTTP-200 body with status "error" through its rule', async () => {
		// Some ModelsLab endpoints answer a bad key with HTTP 200 and an error envelope.
		const server = createServer((_request, response) => {
			response.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
			response.end(JSON.stringify({ status: 'error', messege: 'Invalid API key' }));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		try {
			expect(await testCredential('any', `http://127.0.0.1:${port}/api`)).toEqual({
				ok: false,
				message: 'ModelsLab rejected the API key: check it at modelslab.com/dashboard/api-keys',
			});
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});
});
