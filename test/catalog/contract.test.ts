import { NodeHelpers, type INodeProperties } from 'n8n-workflow';

import { buildRequestBody, InvalidParameterError } from '../../nodes/shared/parameters/requestBody';
import { describeCategory } from '../../nodes/shared/description/properties';
import { parameterName } from '../../nodes/shared/parameters/fieldNames';
import { allEndpoints, CATEGORIES, getEndpoint } from '../../nodes/shared/catalog';
import { hasModelChoice } from '../../nodes/shared/catalog/modelChoice';
import type { Category } from '../../nodes/shared/catalog/types';
import { CONTRACT_OPERATIONS, contractDocuments } from '../support/contractOperations';
import { ACTION_NODES } from '../support/actionNodes';

const cases = Object.entries(CONTRACT_OPERATIONS).flatMap(([category, { operations }]) =>
	operations.map((operation) => [category as Category, operation] as const),
);

describe('the contract list matches the documents that fix the public names', () => {
	const documents = contractDocuments();
	it('reads docs/public-names.md at least', () => {
		expect(documents.map((document) => document.name).join()).toContain('public-names.md');
	});
	it.each(documents.map((document) => [document.name, document.text]))(
		'%s names every node type and operation',
		(_name, text) => {
			for (const { nodeType, operations } of Object.values(CONTRACT_OPERATIONS)) {
				const rows = text.split('\n').filter((line) => line.startsWith(`| \`${nodeType}\``));
				expect(rows.length).toBeGreaterThan(0);
				for (const operation of operations) expect(rows.join('\n')).toContain(`\`${operation}\``);
			}
		},
	);
});

describe('catalog covers the contract exactly', () => {
	it('has no operation the contract does not name', () => {
		const named = new Set(cases.map(([category, operation]) => `${category}:${operation}`));
		const extra = allEndpoints().filter(
			(endpoint) => !named.has(`${endpoint.category}:${endpoint.operation}`),
		);
		expect(extra.map((endpoint) => `${endpoint.category}:${endpoint.operation}`)).toEqual([]);
	});
});

describe.each(cases)('%s %s', (category, operation) => {
	const endpoint = getEndpoint(category, operation);
	const description = ACTION_NODES[category].description;
	const properties = description.properties;

	it('has a catalog entry with a path and fields', () => {
		expect(endpoint.operation).toBe(operation);
		expect(endpoint.category).toBe(category);
		expect(endpoint.path).toMatch(/^\/v\d\//);
		if (endpoint.type === 'submit') expect(endpoint.fetchPath).toMatch(/\{id\}/);
	});

	it('generates properties n8n-workflow accepts, with every required field at top level', () => {
		const node = {
			id: 'n1',
			name: 'ModelsLab',
			type: 'test',
			typeVersion: 1,
			position: [0, 0] as [number, number],
			parameters: { operation },
		};
		const resolved = NodeHelpers.getNodeParameters(
			properties,
			{ operation },
			true,
			false,
			node,
			description,
		);
		expect(resolved).not.toBeNull();
		expect(resolved?.operation).toBe(operation);
		for (const field of endpoint.fields.filter((f) => f.required)) {
			expect(resolved).toHaveProperty(parameterName(field.name));
		}
		const issues = NodeHelpers.getNodeParametersIssues(
			properties,
			{ ...node, parameters: resolved ?? {} },
			description,
		);
		// Only "required parameter is empty" issues are acceptable for an untouched node.
		for (const messages of Object.values(issues?.parameters ?? {})) {
			for (const message of messages) expect(message).toMatch(/is required/i);
		}
	});

	it('validates the reference minimal body', () => {
		const { body, pathValues } = buildRequestBody(endpoint, endpoint.example);
		for (const name of endpoint.pathFields ?? [])
			expect(pathValues[name]).toBe(endpoint.example[name]);
		for (const [name, value] of Object.entries(endpoint.example)) {
			if (endpoint.pathFields?.includes(name)) continue;
			if (name === 'inputs') continue;
			expect(body[name]).toEqual(value);
		}
	});

	const required = endpoint.fields.filter(
		(field) => field.required && !(field.nullable && endpoint.example[field.name] === null),
	);
	const requiredNames = required.map((field) => field.name);
	if (!requiredNames.length && endpoint.type === 'submit' && endpoint.requirements?.length) {
		it('requires no field on its own, but an empty body misses a requirement between fields', () => {
			expect(() => buildRequestBody(endpoint, {})).toThrow(InvalidParameterError);
		});
		return;
	}
	if (!requiredNames.length) {
		it('requires no field: an empty body validates', () => {
			expect(buildRequestBody(endpoint, {}).body).toEqual({});
		});
		return;
	}
	it.each(requiredNames)('rejects a body without %s, naming it', (missing) => {
		const incomplete = { ...endpoint.example };
		delete incomplete[missing];
		expect(() => buildRequestBody(endpoint, incomplete)).toThrow(InvalidParameterError);
		try {
			buildRequestBody(endpoint, incomplete);
		} catch (error) {
			expect((error as InvalidParameterError).field).toBe(missing);
			expect((error as Error).message).toContain(missing);
			expect((error as Error).message).toMatch(/Set "/);
		}
	});
});

describe('request body coercion', () => {
	it('sends yes/no strings, integer track ids and lists as each endpoint declares', () => {
		const controlnet = getEndpoint('image', 'controlnet');
		const { body } = buildRequestBody(controlnet, {
			model_id: 'm',
			controlnet_model: 'canny',
			controlnet_type: 'canny',
			init_image: 'https://example.com/a.png',
			auto_hint: true,
			guess_mode: false,
			track_id: 42,
			num_inference_steps: '21',
		});
		expect(body).toMatchObject({
			auto_hint: 'yes',
			guess_mode: 'no',
			track_id: 42,
			num_inference_steps: 21,
		});
	});

	it('rejects a string track id on an integer endpoint', () => {
		const controlnet = getEndpoint('image', 'controlnet');
		expect(() => buildRequestBody(controlnet, { ...controlnet.example, track_id: 'abc' })).toThrow(
			/Track ID/,
		);
	});

	it('splits list fields written as text', () => {
		const mixer = getEndpoint('imageEditing', 'img_mixer');
		const { body } = buildRequestBody(mixer, {
			prompt: 'p',
			init_image: 'https://a.example/1.png,\nhttps://a.example/2.png',
		});
		expect(body.init_image).toEqual(['https://a.example/1.png', 'https://a.example/2.png']);
	});

	it('enforces limits with a message naming the field and the fix', () => {
		const text2img = getEndpoint('image', 'text2img');
		expect(() => buildRequestBody(text2img, { ...text2img.example, width: 4096 })).toThrow(
			/Invalid parameter "Width" \(width\): must be at most 1024\. Set "Width"/,
		);
	});

	it("spreads a workflow run's inputs into the body and keeps the workflow id for the path", () => {
		const run = getEndpoint('workflow', 'run');
		const { body, pathValues } = buildRequestBody(run, {
			workflow_id: 'wf1',
			inputs: '{"prompt":"A sunset","width":1024}',
		});
		expect(body).toEqual({ prompt: 'A sunset', width: 1024 });
		expect(pathValues).toEqual({ workflow_id: 'wf1' });
	});

	it('merges extra fields last', () => {
		const text2img = getEndpoint('image', 'text2img');
		const { body } = buildRequestBody(text2img, text2img.example, { samples: 2, new_field: 'x' });
		expect(body).toMatchObject({ samples: 2, new_field: 'x' });
	});
});

describe('properties', () => {
	it('each node type is named as the contract says and shows every operation', () => {
		for (const [category, { nodeType, operations }] of Object.entries(CONTRACT_OPERATIONS)) {
			const description = ACTION_NODES[category as Category].description;
			expect(description.name).toBe(nodeType);
			const selector = description.properties.find((p) => p.name === 'operation');
			expect((selector?.options ?? []).map((o) => (o as { value: string }).value).sort()).toEqual(
				[...operations].sort(),
			);
			expect(description.properties).toEqual(describeCategory(CATEGORIES[category as Category]));
		}
	});

	/** Whether a property is shown on node version 1 or 1.1 (pickers differ between the two). */
	const onVersion = (property: INodeProperties, version: number): boolean => {
		const versions = property.displayOptions?.show?.['@version'];
		if (!versions) return true;
		return versions.some((entry) =>
			typeof entry === 'number'
				? entry === version
				: 'gte' in entry._cnd && version >= Number(entry._cnd.gte),
		);
	};

	it('puts optional fields into Additional Fields and no field twice per operation and version', () => {
		for (const category of Object.values(CATEGORIES)) {
			const properties = describeCategory(category);
			for (const endpoint of category.endpoints) {
				// Provider-model operations show one model's fields at a time: tested per model below.
				if (endpoint.type === 'submit' && hasModelChoice(endpoint)) continue;
				const visible = properties.filter((p: INodeProperties) =>
					p.displayOptions?.show?.operation?.includes(endpoint.operation),
				);
				for (const version of [1, 1.1]) {
					const names = visible.filter((p) => onVersion(p, version)).map((p) => p.name);
					expect(new Set(names).size).toBe(names.length);
				}
				const additional = visible.find((p) => p.name === 'additionalFields');
				for (const field of endpoint.fields.filter((f) => !f.required)) {
					expect((additional?.options as INodeProperties[]).map((o) => o.name)).toContain(
						parameterName(field.name),
					);
				}
			}
		}
	});
});
