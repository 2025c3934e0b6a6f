import { NodeApiError, type IBinaryKeyData } from 'n8n-workflow';

import { getEndpoint } from '../../nodes/shared/catalog';
import type { SubmitEndpointSpec } from '../../nodes/shared/catalog/types';
import {
	prepareItemRequests,
	type ItemRequestResult,
} from '../../nodes/shared/parameters/itemRequests';
import { readEndpointValues } from '../../nodes/shared/parameters/readParameters';
import {
	API_KEY,
	executeContext,
	fakeApi,
	testNode,
	TINY_PNG,
	type ApiResponder,
} from '../support/mockContexts';

/**
 * prepareItemRequests with a scripted ModelsLab: how uploads fail (an item's error, counted as a
 * call), inline files, and reading pickers saved as plain strings or as resource locators.
 */
const origin = { executionId: '77', nodeId: 'node-1', runIndex: 0 };
const png = (): IBinaryKeyData => ({
	data: { data: TINY_PNG.toString('base64'), mimeType: 'image/png', fileName: 'a.png' },
});

function submitEndpoint(category: 'image' | 'training', operation: string): SubmitEndpointSpec {
	const endpoint = getEndpoint(category, operation);
	if (endpoint.type !== 'submit') throw new Error(`${operation} is no submit`);
	return endpoint;
}

const img2img = submitEndpoint('image', 'img2img');
const binaryImg2img = {
	operation: 'img2img',
	modelId: 'realistic-vision-51',
	initImageInputType: 'binary',
	initImageBinaryPropertyName: 'data',
	additionalFields: {},
};

async function prepare(
	respond: ApiResponder,
	items: number,
	options: { continueOnFail?: boolean; binaries?: Array<IBinaryKeyData | undefined> } = {},
	parameters: Record<string, unknown> = binaryImg2img,
	endpoint: SubmitEndpointSpec = img2img,
): Promise<{ results: ItemRequestResult[]; calls: ReturnType<typeof fakeApi>['calls'] }> {
	const api = fakeApi(respond);
	const context = executeContext({
		node: testNode(parameters),
		items: Array.from({ length: items }, () => ({})),
		binaries: options.binaries ?? Array.from({ length: items }, png),
		parameters,
		api,
		continueOnFail: options.continueOnFail,
	});
	const results = await prepareItemRequests(context, endpoint, items, origin, () => undefined);
	return { results, calls: api.calls };
}

let uploads = 0;
const uploadsThenFail =
	(failOn: number): ApiResponder =>
	({ path }) => {
		if (!path.endsWith('/base64_to_url')) throw new Error(`unexpected ${path}`);
		uploads++;
		return uploads === failOn
			? { statusCode: 200, body: { status: 'error', message: 'Upload failed: storage busy' } }
			: {
					body: {
						status: 'success',
						id: uploads,
						output: [`https://cdn.test/temp/${uploads}.png`],
					},
				};
	};
beforeEach(() => {
	uploads = 0;
});

describe('uploads', () => {
	it('puts the URL of each upload into its item body, one call per file', async () => {
		const { results, calls } = await prepare(uploadsThenFail(0), 2);
		expect(calls.map((call) => call.path)).toEqual(['/v6/base64_to_url', '/v6/base64_to_url']);
		expect(calls[0].body).toEqual({
			key: API_KEY,
			base64_string: `data:image/png;base64,${TINY_PNG.toString('base64')}`,
		});
		expect(results.map((entry) => 'request' in entry && entry.request.body.init_image)).toEqual([
			'https://cdn.test/temp/1.png',
			'https://cdn.test/temp/2.png',
		]);
	});

	it("an upload ModelsLab refuses is that item's error, and the run sends nothing after it", async () => {
		const { results, calls } = await prepare(uploadsThenFail(2), 3);
		expect(calls).toHaveLength(2);
		expect('request' in results[0]).toBe(true);
		const failed = results[1] as { error: Error };
		expect(failed.error).toBeInstanceOf(NodeApiError);
		expect(failed.error.message).toBe('ModelsLab: Upload failed: storage busy');
		expect((failed.error as NodeApiError).description).toContain(
			'uploading init_image from binary property "data" of input item 1 (/v6/base64_to_url)',
		);
		// Not uploaded: the run stops at item 1, so item 2 is never sent.
		expect('request' in results[2]).toBe(true);
	});

	it('with On Error: Continue, the other items are still uploaded', async () => {
		const { results, calls } = await prepare(uploadsThenFail(1), 3, { continueOnFail: true });
		expect(calls).toHaveLength(3);
		expect('error' in results[0]).toBe(true);
		expect(
			results.slice(1).map((entry) => 'request' in entry && entry.request.body.init_image),
		).toEqual(['https://cdn.test/temp/2.png', 'https://cdn.test/temp/3.png']);
	});

	it('an upload answer without a URL is an error naming output[0]', async () => {
		const { results } = await prepare(
			() => ({ body: { status: 'success', id: 5, output: [] } }),
			1,
		);
		const failed = results[0] as { error: Error };
		expect(failed.error.message).toContain(
			'answered the upload without a URL (field "output[0]" is missing',
		);
		expect(failed.error.message).not.toContain(API_KEY);
	});

	it('Extra Body Fields that set the field win, and nothing is uploaded for it', async () => {
		const { results, calls } = await prepare(
			uploadsThenFail(0),
			1,
			{},
			{
				...binaryImg2img,
				additionalFields: { extraFields: '{"init_image": "https://example.com/mine.png"}' },
			},
		);
		expect(calls).toHaveLength(0);
		expect(
			(results[0] as { request: { body: Record<string, unknown> } }).request.body.init_image,
		).toBe('https://example.com/mine.png');
	});

	it('a field marked inline is sent as a data URI without an upload', async () => {
		const inline: SubmitEndpointSpec = {
			...img2img,
			fields: img2img.fields.map((field) =>
				field.name === 'init_image'
					? { ...field, file: { kind: 'image', upload: 'inline' } }
					: field,
			),
		};
		const { results, calls } = await prepare(uploadsThenFail(0), 1, {}, binaryImg2img, inline);
		expect(calls).toHaveLength(0);
		expect(
			(results[0] as { request: { body: Record<string, unknown> } }).request.body.init_image,
		).toBe(`data:image/png;base64,${TINY_PNG.toString('base64')}`);
	});

	it('a file stored as application/octet-stream is typed by its file name', async () => {
		const { calls } = await prepare(uploadsThenFail(0), 1, {
			binaries: [
				{
					data: {
						data: TINY_PNG.toString('base64'),
						mimeType: 'application/octet-stream',
						fileName: 'photo.PNG',
					},
				},
			],
		});
		expect(String(calls[0].body.base64_string)).toMatch(/^data:image\/png;base64,/);
	});
});

describe('pickers accept a plain string (version 1) and a resource locator (version 1.1)', () => {
	const api = fakeApi(() => ({ body: {} }));
	const read = (
		parameters: Record<string, unknown>,
		operation = 'text2img',
		category = 'image',
	) => {
		const endpoint = getEndpoint(category as 'image', operation);
		const context = executeContext({ node: testNode(parameters), items: [{}], parameters, api });
		return readEndpointValues(context, endpoint, 0).values;
	};

	it.each([
		['a plain string', 'flux'],
		['a list pick', { __rl: true, mode: 'list', value: 'flux', cachedResultName: 'Flux' }],
		['an ID typed in', { __rl: true, mode: 'id', value: 'flux' }],
	])('modelId as %s', (_how, modelId) => {
		expect(
			read({ operation: 'text2img', modelId, prompt: 'x', additionalFields: {} }).model_id,
		).toBe('flux');
	});

	it.each([
		['a plain string', 'lora-a,lora-b'],
		['a resource locator', { __rl: true, mode: 'id', value: 'lora-a,lora-b' }],
	])('loraModel in Additional Fields as %s', (_how, loraModel) => {
		expect(
			read({ operation: 'text2img', modelId: 'flux', prompt: 'x', additionalFields: { loraModel } })
				.lora_model,
		).toBe('lora-a,lora-b');
	});

	it.each([
		['a plain string', 'madison'],
		['a resource locator', { __rl: true, mode: 'list', value: 'madison' }],
	])('voiceId as %s', (_how, voiceId) => {
		expect(
			read(
				{
					operation: 'text_to_speech',
					prompt: 'Hi',
					voiceId,
					language: 'american english',
					additionalFields: {},
				},
				'text_to_speech',
				'audio',
			).voice_id,
		).toBe('madison');
	});

	it.each([
		['a plain string', 'wf-1'],
		['a resource locator', { __rl: true, mode: 'list', value: 'wf-1' }],
	])('workflowId of Get Run as %s', (_how, workflowId) => {
		expect(
			read({ operation: 'getRun', workflowId, executionId: '5' }, 'getRun', 'workflow').workflow_id,
		).toBe('wf-1');
	});
});

describe("a provider-model (v7) operation: the chosen model's file fields", () => {
	const v7 = getEndpoint('image', 'v7_image_to_image') as SubmitEndpointSpec;
	const nanoBanana = {
		operation: 'v7_image_to_image',
		modelId: 'nano-banana',
		prompt: 'make it night',
		initImageInputType: 'binary',
		initImageBinaryPropertyName: 'data',
		initImage2: 'https://example.com/second.png',
		trackId: '',
		additionalFields: {},
	};

	it('uploads the binary file of the model and sends its URL with the model_id', async () => {
		const { results, calls } = await prepare(uploadsThenFail(0), 1, {}, nanoBanana, v7);
		expect(calls.map((call) => call.path)).toEqual(['/v6/base64_to_url']);
		const { body } = (results[0] as { request: { body: Record<string, unknown> } }).request;
		expect(body).toMatchObject({
			model_id: 'nano-banana',
			prompt: 'make it night',
			init_image: 'https://cdn.test/temp/1.png',
			init_image_2: 'https://example.com/second.png',
		});
	});

	it('a list field of the model (Nano Banana Pro) sends one URL per binary property', async () => {
		const { results, calls } = await prepare(
			uploadsThenFail(0),
			1,
			{ binaries: [{ ...png(), data_1: png().data }] },
			{ ...nanoBanana, modelId: 'nano-banana-pro', initImageBinaryPropertyName: 'data, data_1' },
			v7,
		);
		expect(calls).toHaveLength(2);
		const { body } = (results[0] as { request: { body: Record<string, unknown> } }).request;
		expect(body.init_image).toEqual(['https://cdn.test/temp/1.png', 'https://cdn.test/temp/2.png']);
		// initImage2 is no field of Nano Banana Pro: not sent, though the parameter is still saved.
		expect(body).not.toHaveProperty('init_image_2');
	});

	it('a missing binary property stops the item before any upload, naming the model field', async () => {
		const { results, calls } = await prepare(
			uploadsThenFail(0),
			1,
			{ binaries: [undefined] },
			nanoBanana,
			v7,
		);
		expect(calls).toHaveLength(0);
		expect((results[0] as { error: Error }).error.message).toContain(
			'Invalid parameter "Init Image" (init_image)',
		);
	});

	it('a modelId left as a resource locator by a v6 operation of the node is read by its value', async () => {
		const { results } = await prepare(
			uploadsThenFail(0),
			1,
			{},
			{ ...nanoBanana, modelId: { __rl: true, mode: 'list', value: 'nano-banana' } },
			v7,
		);
		expect(
			(results[0] as { request: { body: Record<string, unknown> } }).request.body.model_id,
		).toBe('nano-banana');
		const { results: unknown } = await prepare(
			uploadsThenFail(0),
			1,
			{},
			{ ...nanoBanana, modelId: { __rl: true, mode: 'list', value: 'flux' } },
			v7,
		);
		expect((unknown[0] as { error: Error }).error.message).toContain(
			'"flux" is not a model of Image to Image (Provider Models)',
		);
	});
});
