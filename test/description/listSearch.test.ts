import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	NodeApiError,
	type IDataObject,
	type INodeListSearchResult,
	type INodeType,
} from 'n8n-workflow';

import { listSearchMethods } from '../../nodes/shared/description/listSearch';
import { imageCategory } from '../../nodes/shared/catalog';
import { NODE_TYPES } from '../support/n8nHarness';
import { inLoadOptionsContext } from '../support/loadOptions';
import {
	CATALOGUE_MODELS,
	DEFAULT_WORKFLOW_ID,
	startSimulator,
	TRAINED_MODEL_IDS,
	type Simulator,
} from '../simulator';

/**
 * The resource locators' list searches against the simulator over real HTTP, each called the way
 * n8n calls it for the editor (a LoadOptionsContext with the node's parameters and credential).
 */
let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(async () => await sim.stop());
beforeEach(() => sim.reset());

type Method = 'searchModels' | 'searchLoraModels' | 'searchVoices' | 'searchWorkflows';

async function search(
	type: string,
	method: Method,
	parameters: IDataObject,
	filter?: string,
	token?: string,
	credentials = { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
): Promise<INodeListSearchResult> {
	const listSearch = (NODE_TYPES[type] as INodeType).methods?.listSearch ?? {};
	return await inLoadOptionsContext(
		credentials,
		{ type, typeVersion: 1.1, parameters },
		async function () {
			return await listSearch[method].call(this, filter, token);
		},
	);
}

const values = (result: INodeListSearchResult): unknown[] =>
	result.results.map((item) => item.value);
const lastRequest = (path: string) =>
	[...sim.requests].reverse().find((request) => request.path === path);

describe('searchModels', () => {
	it("lists the v6 image models with readable names, the account's trained models first", async () => {
		const result = await search('modelslab.image', 'searchModels', { operation: 'text2img' });
		expect(values(result)).toEqual([
			...TRAINED_MODEL_IDS,
			'flux',
			'sdxl',
			'realistic-vision-51',
			'lazymixv4-inpaint',
		]);
		expect(result.results.find((item) => item.value === 'realistic-vision-51')).toMatchObject({
			name: 'Realistic Vision 5.1',
			description: 'ID: realistic-vision-51 (modelslab, text-to-image)',
		});
		expect(result.results[0].name).toBe(`Your trained model ${TRAINED_MODEL_IDS[0]}`);
		// LoRAs and v7 provider models do not fit a v6 model_id; the key went in the query only.
		expect(values(result)).not.toContain('sim-watercolor-lora');
		expect(values(result)).not.toContain('imagen-4');
		expect(result.paginationToken).toBeUndefined();
		expect(lastRequest('/api/v6/model-search')?.query).toMatchObject({
			feature: 'imagen',
			key: '***',
		});
	});

	it('searches on the server', async () => {
		const result = await search(
			'modelslab.image',
			'searchModels',
			{ operation: 'img2img' },
			'realistic',
		);
		expect(values(result)).toEqual(['realistic-vision-51']);
		expect(lastRequest('/api/v6/model-search')?.query).toMatchObject({ search: 'realistic' });
	});

	it("pages with n8n's pagination token until ModelsLab has no more", async () => {
		const methods = listSearchMethods(imageCategory, 2);
		const seen: unknown[] = [];
		let token: string | undefined;
		let pages = 0;
		do {
			const page = await inLoadOptionsContext(
				{ apiKey: sim.apiKey, baseUrl: sim.baseUrl },
				{ type: 'modelslab.image', typeVersion: 1.1, parameters: { operation: 'text2img' } },
				async function () {
					return await methods.searchModels.call(this, undefined, token);
				},
			);
			seen.push(...values(page));
			token = page.paginationToken;
			pages++;
		} while (token && pages < 10);
		// 8 imagen models, 2 per page; trained models on page 1 only.
		expect(pages).toBe(4);
		expect(seen).toEqual([
			...TRAINED_MODEL_IDS,
			'flux',
			'sdxl',
			'realistic-vision-51',
			'lazymixv4-inpaint',
		]);
	});

	it.each([
		['modelslab.image', 'v7_text_to_image', 'imagen'],
		['modelslab.video', 'v7_text_to_video', 'video_fusion'],
		['modelslab.audio', 'v7_text_to_speech', 'audio_gen'],
	])('%s %s lists the v7 models of feature %s', async (type, operation, feature) => {
		const result = await search(type, 'searchModels', { operation });
		expect(lastRequest('/api/v7/models')?.query).toMatchObject({ feature });
		const expected = CATALOGUE_MODELS.filter(
			(model) => model.feature === feature && model.model_subcategory !== 'lora',
		).map((model) => model.model_id);
		expect(values(result)).toEqual(expected);
		expect(expected.length).toBeGreaterThan(1);
	});
});

describe('the other lists', () => {
	it('searchLoraModels: trained models, then public LoRAs', async () => {
		const result = await search('modelslab.image', 'searchLoraModels', { operation: 'text2img' });
		expect(values(result)).toEqual([
			...TRAINED_MODEL_IDS,
			'sim-watercolor-lora',
			'sim-pixel-art-lora',
		]);
		expect(lastRequest('/api/v6/model-search')?.query).toMatchObject({ model_subcategory: 'lora' });
		const pixel = await search(
			'modelslab.image',
			'searchLoraModels',
			{ operation: 'text2img' },
			'pixel',
		);
		expect(values(pixel)).toEqual(['sim-pixel-art-lora']);
	});

	it('searchVoices: the voices with their language, filtered by the search', async () => {
		const result = await search('modelslab.audio', 'searchVoices', { operation: 'text_to_speech' });
		expect(result.results.map((item) => [item.name, item.value])).toEqual([
			['Madison (english)', 'madison'],
			['Tara (english)', 'tara'],
			['Leo (english)', 'leo'],
			['Dan (english)', 'dan'],
		]);
		expect(values(await search('modelslab.audio', 'searchVoices', {}, 'TA'))).toEqual(['tara']);
	});

	it("searchWorkflows: the account's API-enabled workflows by name", async () => {
		sim.defineWorkflow('wf-upscale', {
			name: 'Upscale and caption',
			parameters: [
				{ key: 'image', type: 'string', required: true, node_id: '1', node_name: 'Load Image' },
			],
		});
		const all = await search('modelslab.workflow', 'searchWorkflows', { operation: 'run' });
		expect(values(all)).toEqual([DEFAULT_WORKFLOW_ID, 'wf-upscale']);
		const found = await search(
			'modelslab.workflow',
			'searchWorkflows',
			{ operation: 'run' },
			'upscale',
		);
		expect(found.results).toEqual([
			expect.objectContaining({ name: 'Upscale and caption', value: 'wf-upscale' }),
		]);
		// The Workflows API wants the key in a header.
		expect(lastRequest('/api/v1/workflows')?.headers).toMatchObject({ key: '***' });
	});
});

describe('a list that cannot load says why, and that By ID still works', () => {
	it('a wrong key: NodeApiError with the HTTP code (n8n then offers the credential), no key in it', async () => {
		const wrongKey = 'sk-wrong-key-123456';
		const error = await search(
			'modelslab.image',
			'searchModels',
			{ operation: 'text2img' },
			undefined,
			undefined,
			{ apiKey: wrongKey, baseUrl: sim.baseUrl },
		).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeApiError);
		const apiError = error as NodeApiError;
		expect(apiError.message).toMatch(/^Could not load the models from ModelsLab: /);
		expect(apiError.httpCode).toBe('401');
		expect(apiError.description).toContain('Choose "By ID" and enter the model ID instead');
		expect(JSON.stringify({ ...apiError, message: apiError.message })).not.toContain(wrongKey);
	});

	it('ModelsLab unreachable', async () => {
		const error = await search('modelslab.audio', 'searchVoices', {}, undefined, undefined, {
			apiKey: sim.apiKey,
			baseUrl: 'http://127.0.0.1:9/api',
		}).catch((caught: unknown) => caught);
		expect((error as Error).message).toMatch(
			/^Could not load the voices from ModelsLab: could not reach http:\/\/127\.0\.0\.1:9\/api\/v6\/voice\/voice_list/,
		);
		expect((error as NodeApiError).description).toContain('enter the voice ID instead');
	});

	it('an answer without the list names the missing field', async () => {
		// A proxy (or a changed API) that answers success without a list.
		const server = createServer((_request, response) => {
			response.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
			response.end('{"status":"success"}');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
		try {
			const failure = async (type: string, method: Method): Promise<Error> =>
				(await search(type, method, {}, undefined, undefined, { apiKey: 'k-1234', baseUrl }).catch(
					(caught: unknown) => caught,
				)) as Error;
			expect((await failure('modelslab.workflow', 'searchWorkflows')).message).toBe(
				'Could not load the workflows from ModelsLab: unexpected answer: field "workflows" is missing',
			);
			expect((await failure('modelslab.image', 'searchModels')).message).toBe(
				'Could not load the models from ModelsLab: unexpected answer: field "data" is missing',
			);
			expect((await failure('modelslab.audio', 'searchVoices')).message).toBe(
				'Could not load the voices from ModelsLab: unexpected answer: field "voices" is missing',
			);
		} finally {
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});
});
