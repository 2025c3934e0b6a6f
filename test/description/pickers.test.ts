import {
	NodeHelpers,
	type INode,
	type INodeParameters,
	type INodeProperties,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { allEndpoints } from '../../nodes/shared/catalog';
import type { Category } from '../../nodes/shared/catalog/types';
import { parameterName } from '../../nodes/shared/parameters/fieldNames';
import { ACTION_NODES } from '../support/actionNodes';

/**
 * Pickers as the editor sees them (n8n-workflow's display and issue logic): version 1 nodes keep
 * the plain-string parameter a saved workflow holds, version 1.1 shows a resource locator with a
 * list and a By ID mode.
 */
const pickers = allEndpoints().flatMap((endpoint) =>
	endpoint.fields
		.filter((field) => field.picker)
		.map(
			(field) =>
				[`${endpoint.category} ${endpoint.operation} ${field.name}`, endpoint, field] as const,
		),
);

function node(
	description: INodeTypeDescription,
	parameters: INodeParameters,
	typeVersion: number,
): INode {
	return { id: 'n', name: 'n', type: description.name, typeVersion, position: [0, 0], parameters };
}

/** The property of this name n8n shows for these values (top level or in Additional Fields). */
function shown(
	description: INodeTypeDescription,
	name: string,
	parameters: INodeParameters,
	typeVersion: number,
	inCollection: boolean,
): INodeProperties | undefined {
	const target = node(description, parameters, typeVersion);
	const candidates = inCollection
		? description.properties
				.filter(
					(property) =>
						property.name === 'additionalFields' &&
						NodeHelpers.displayParameter(parameters, property, target, description),
				)
				.flatMap((property) => property.options as INodeProperties[])
		: description.properties;
	return candidates.find(
		(property) =>
			property.name === name &&
			NodeHelpers.displayParameterPath(
				parameters,
				property,
				inCollection ? 'additionalFields' : '',
				target,
				description,
			),
	);
}

it('has the pickers the contract names: model, LoRA, voice and workflow IDs', () => {
	expect(
		[...new Set(pickers.map(([, , field]) => `${field.name}:${field.picker}`))].sort(),
	).toEqual([
		'lora_model:loraModels',
		'model_id:models',
		'voice_id:voices',
		'workflow_id:workflows',
	]);
});

describe.each(pickers)('%s', (_name, endpoint, field) => {
	const description = ACTION_NODES[endpoint.category as Category].description;
	const name = parameterName(field.name);
	const parameters = { operation: endpoint.operation, additionalFields: {} };
	const inCollection = !field.required;

	it('is a plain string on version 1, a resource locator (list + By ID) from 1.1', () => {
		expect(shown(description, name, parameters, 1, inCollection)?.type).toBe('string');
		const locator = shown(description, name, parameters, 1.1, inCollection);
		expect(locator?.type).toBe('resourceLocator');
		expect(locator?.default).toEqual({ mode: 'list', value: '' });
		expect(locator?.modes?.map((mode) => [mode.name, mode.displayName])).toEqual([
			['list', 'From List'],
			['id', 'By ID'],
		]);
		expect(locator?.modes?.[0].typeOptions).toMatchObject({ searchable: true });
		expect(description.version).toEqual([1, 1.1]);
		expect(description.defaultVersion).toBe(1.1);
	});

	if (field.required) {
		it('a version 1 node with a saved string has no issue; an empty locator on 1.1 is flagged', () => {
			const saved = { ...parameters, [name]: 'saved-id' };
			const v1 = node(description, saved, 1);
			const v1Values = NodeHelpers.getNodeParameters(
				description.properties,
				saved,
				true,
				false,
				v1,
				description,
			);
			expect(v1Values?.[name]).toBe('saved-id');
			const v1Issues = NodeHelpers.getNodeParametersIssues(
				description.properties,
				{ ...v1, parameters: v1Values ?? {} },
				description,
			);
			expect(v1Issues?.parameters?.[name]).toBeUndefined();

			const fresh = node(description, parameters, 1.1);
			const freshValues = NodeHelpers.getNodeParameters(
				description.properties,
				parameters,
				true,
				false,
				fresh,
				description,
			);
			expect(freshValues?.[name]).toEqual({ __rl: true, mode: 'list', value: '' });
			const freshIssues = NodeHelpers.getNodeParametersIssues(
				description.properties,
				{ ...fresh, parameters: freshValues ?? {} },
				description,
			);
			expect(freshIssues?.parameters?.[name]).toBeDefined();
		});
	}
});

it('every action node offers the four list searches; searchModels is there for v7 operations too', () => {
	for (const nodeType of Object.values(ACTION_NODES))
		expect(Object.keys(nodeType.methods?.listSearch ?? {}).sort()).toEqual([
			'searchLoraModels',
			'searchModels',
			'searchVoices',
			'searchWorkflows',
		]);
});

it('nodes without pickers stay at version 1', () => {
	const withPickers = new Set(pickers.map(([, endpoint]) => endpoint.category));
	for (const [category, nodeType] of Object.entries(ACTION_NODES))
		if (!withPickers.has(category as Category)) expect(nodeType.description.version).toBe(1);
});
