import { startSimulator, type JsonObject, type Simulator } from './index';

/** `<origin>/api-meta`: fetch answers that echo the request in `meta` (metaEcho.ts). */
let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ callbackDelayMs: 50 });
});
afterAll(async () => await sim.stop());

async function post(url: string, body: JsonObject): Promise<JsonObject> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return (await response.json()) as JsonObject;
}

it('answers a fetch under /api-meta with the request in meta (key left out), under /api without', async () => {
	const webhook = 'http://127.0.0.1:9/webhook/trigger-path?token=t';
	const submitted = await post(`${sim.baseUrl}/v6/images/text2img`, {
		key: sim.apiKey,
		model_id: 'flux',
		prompt: 'a red apple',
		width: 512,
		height: 512,
		samples: 1,
		webhook,
		track_id: 'customer-42',
	});
	const id = String(submitted.id);
	const lean = await post(`${sim.baseUrl}/v6/images/fetch/${id}`, { key: sim.apiKey });
	expect(lean).not.toHaveProperty('meta');
	const echoed = await post(`${sim.origin}/api-meta/v6/images/fetch/${id}`, { key: sim.apiKey });
	expect(echoed).toMatchObject({
		meta: { prompt: 'a red apple', webhook, track_id: 'customer-42' },
	});
	expect(JSON.stringify(echoed)).not.toContain(sim.apiKey);
	expect(await post(`${sim.origin}/api-meta/v6/video/fetch/${id}`, { key: sim.apiKey })).toEqual({
		status: 'error',
		message: `Request not found: ${id}`,
	});
	expect(
		await post(`${sim.origin}/api-meta/v6/images/fetch/${id}`, { key: 'wrong' }),
	).toMatchObject({ status: 'error' });
});
