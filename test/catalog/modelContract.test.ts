import {
	NodeHelpers,
	type IDataObject,
	type INode,
	type INodeParameters,
	type INodeProperties,
} from 'n8n-workflow';

import { allEndpoints, getEndpoint } from '../../nodes/shared/catalog';
import {
	endpointForModel,
	hasModelChoice,
	modelOptionName,
	OTHER_MODEL,
	type ModelChoiceEndpoint,
} from '../../nodes/shared/catalog/modelChoice';
import type { Category, FieldSpec } from '../../nodes/shared/catalog/types';
import { PICKER_VERSION } from '../../nodes/shared/description/fieldVariants';
import { fieldProperty } from '../../nodes/shared/description/properties';
import { parameterName } from '../../nodes/shared/parameters/fieldNames';
import {
	binaryPropertyParameter,
	inputTypeParameter,
} from '../../nodes/shared/parameters/fileInputs';
import { buildRequestBody, InvalidParameterError } from '../../nodes/shared/parameters/requestBody';
import { requestSchema } from '../../nodes/shared/parameters/requestSchema';
import { V7_OPERATIONS } from '../simulator/v7endpoints';
import { ACTION_NODES } from '../support/actionNodes';
import { CONTRACT_OPERATIONS } from '../support/contractOperations';

/**
 * The catalog contract of the provider-model (v7) operations, for every operation × model
 * (and "Other Model (by ID)"): the panel resolves exactly that model's fields and no other's,
 * the model's example body validates, and a missing required field is refused by name.
 */
const modelOperations = Object.entries(CONTRACT_OPERATIONS).flatMap(([category, { operations }]) =>
	operations
		.map((operation) => getEndpoint(category as Category, operation))
		.filter(
			(endpoint): endpoint is ModelChoiceEndpoint =>
				endpoint.type === 'submit' && hasModelChoice(endpoint),
		),
);

const cases = modelOperations.flatMap((endpoint) =>
	[...endpoint.models.map((model) => model.id), OTHER_MODEL].map(
		(choice) => [endpoint.category, endpoint.operation, choice] as const,
	),
);

/** The fields a choice shows (without model_id, which is the choice itself). */
function ownFields(endpoint: ModelChoiceEndpoint, choice: string): FieldSpec[] {
	return endpointForModel(endpoint, choice).fields.filter((field) => field.name !== 'model_id');
}

/** A value of the parameter's own type, as the panel would hold it. */
function someValue(field: FieldSpec): unknown {
	switch (field.kind) {
		case 'integer':
		case 'number':
		case 'numericString':
			return field.min ?? 1;
		case 'boolean':
		case 'yesNo':
		case 'trueFalseString':
			return true;
		case 'options':
		case 'integerOptions':
			return field.options?.[0];
		case 'json':
			return '{"a":1}';
		case 'jsonArray':
			return '[1]';
		default:
			return `value of ${field.name}`;
	}
}

const SHARED = ['operation', 'modelId', 'trackId', 'completion', 'options', 'additionalFields'];

/** The node versions a category's node has (Image and Audio: 1 and 1.1, with pickers from 1.1). */
const versionsOf = (category: Category): number[] => {
	const { version } = ACTION_NODES[category].description;
	return Array.isArray(version) ? version : [version];
};

it('covers every v7 operation of the contract and each has models or documented fields', () => {
	expect(modelOperations.map((endpoint) => endpoint.operation).sort()).toEqual(
		Object.values(CONTRACT_OPERATIONS)
			.flatMap(({ operations }) => operations)
			.filter((operation) => operation.startsWith('v7_'))
			.sort(),
	);
	for (const endpoint of modelOperations) {
		expect(endpoint.path).toMatch(/^\/v7\/(images|video-fusion|voice)\//);
		expect(endpoint.fetchPath).toBe(`${endpoint.path.replace(/\/[^/]+$/, '')}/fetch/{id}`);
		expect(endpoint.models.length + endpoint.fields.length).toBeGreaterThan(0);
		const ids = endpoint.models.map((model) => model.id);
		expect(new Set(ids).size).toBe(ids.length);
	}
});

it("offers the research's models for each operation, with the same fields, required as there", () => {
	// The simulator's table was generated from the same research (ModelsLab's Python SDK).
	const marked = (name: string, required: boolean) => `${name}${required ? '*' : ''}`;
	for (const endpoint of modelOperations) {
		const table = V7_OPERATIONS.find((operation) => operation.path === endpoint.path);
		expect(table).toBeDefined();
		// Where the sources disagree (the table's required sets), the catalog requires every set's
		// fields, so the request holds whichever set the server checks.
		const inSets = (name: string) => (table?.requiredSets ?? []).some((set) => set.includes(name));
		const researched = Object.entries(table?.models ?? {}).map(([id, fields]) => [
			id,
			...Object.entries(fields)
				.map(([name, field]) => marked(name, field.required || inSets(name)))
				.sort(),
		]);
		const catalog = endpoint.models.map((model) => [
			model.id,
			...model.fields.map((field) => marked(field.name, field.required === true)).sort(),
		]);
		expect(catalog.sort()).toEqual(researched.sort());
	}
});

describe.each(modelOperations.map((endpoint) => [endpoint.operation, endpoint] as const))(
	'%s model choice',
	(_operation, endpoint) => {
		const description = ACTION_NODES[endpoint.category].description;
		const selector = description.properties.find(
			(property) =>
				property.name === 'modelId' &&
				property.displayOptions?.show?.operation?.includes(endpoint.operation),
		) as INodeProperties;

		it('lists the models as "<Provider>: <Model>", sorted, with Other Model (by ID) last', () => {
			const options = (selector.options ?? []) as Array<{ name: string; value: string }>;
			const names = endpoint.models.map(modelOptionName).sort((a, b) => a.localeCompare(b));
			expect(options.map((option) => option.name)).toEqual([...names, 'Other Model (by ID)']);
			expect(options.at(-1)?.value).toBe(OTHER_MODEL);
			expect(selector.default).toBe(endpoint.models[0]?.id ?? OTHER_MODEL);
		});
	},
);

describe.each(cases)('%s %s, model %s', (category, operation, choice) => {
	const endpoint = getEndpoint(category, operation) as ModelChoiceEndpoint;
	const description = ACTION_NODES[category].description;
	const chosen = endpointForModel(endpoint, choice);
	const fields = ownFields(endpoint, choice);
	const custom = choice === OTHER_MODEL;

	/** Every field of every choice of the operation filled in, top level and in the collection. */
	function everyChoiceFilledIn(): INodeParameters {
		const parameters: IDataObject = {
			operation,
			modelId: choice,
			customModelId: { __rl: true, mode: 'id', value: 'some-model' },
			customModelFields: '{"prompt":"p"}',
		};
		const additionalFields: IDataObject = { extraFields: '{}' };
		for (const other of [...endpoint.models.map((model) => model.id), OTHER_MODEL]) {
			for (const field of ownFields(endpoint, other)) {
				const target = field.required ? parameters : additionalFields;
				target[parameterName(field.name)] ??= someValue(field) as IDataObject[string];
			}
		}
		return { ...parameters, additionalFields } as INodeParameters;
	}

	const node = (parameters: INodeParameters, typeVersion = 1): INode => ({
		id: 'n1',
		name: 'ModelsLab',
		type: description.name,
		typeVersion,
		position: [0, 0],
		parameters,
	});

	it("resolves exactly this model's fields in the panel, and no other model's", () => {
		const values = everyChoiceFilledIn();
		const resolved = NodeHelpers.getNodeParameters(
			description.properties,
			values,
			true,
			false,
			node(values),
			description,
		) as IDataObject;
		const notices = new Set(
			description.properties.filter((p) => p.type === 'notice').map((p) => p.name),
		);
		const topLevel = Object.keys(resolved).filter(
			(name) => !SHARED.includes(name) && !notices.has(name),
		);
		const required = fields.filter((field) => field.required);
		expect(topLevel.sort()).toEqual(
			[
				...required.map((field) => parameterName(field.name)),
				// A file field's input type (URL by default, so no binary property yet).
				...required.filter((field) => field.file).map(inputTypeParameter),
				...(custom ? ['customModelId', 'customModelFields'] : []),
			].sort(),
		);
		expect(resolved.modelId).toBe(choice);
		const optional = fields.filter((field) => !field.required).map((f) => parameterName(f.name));
		const expectedAdditional = [...optional, ...(custom ? [] : ['extraFields'])].sort();
		expect(Object.keys((resolved.additionalFields as IDataObject) ?? {}).sort()).toEqual(
			expectedAdditional,
		);
	});

	it.each(versionsOf(category))(
		'node version %s: shows each of its parameters once (modelId the model list), and nothing flagged but empty required fields',
		(typeVersion) => {
			const values = { operation, modelId: choice } as INodeParameters;
			const resolved = NodeHelpers.getNodeParameters(
				description.properties,
				values,
				true,
				false,
				node(values, typeVersion),
				description,
			) as INodeParameters;
			const shown = description.properties.filter((property) =>
				NodeHelpers.displayParameter(resolved, property, node(resolved, typeVersion), description),
			);
			const names = shown.map((property) => property.name);
			expect(new Set(names).size).toBe(names.length);
			// Never the v6 Image picker of the same name: the v7 model list, its value the choice.
			expect(shown.find((property) => property.name === 'modelId')?.type).toBe('options');
			expect(resolved.modelId).toBe(choice);
			const issues = NodeHelpers.getNodeParametersIssues(
				description.properties,
				node(resolved, typeVersion),
				description,
			);
			for (const messages of Object.values(issues?.parameters ?? {}))
				for (const message of messages) expect(message).toMatch(/is required/i);
		},
	);

	const fileFields = fields.filter((field) => field.required && field.file);
	if (fileFields.length) {
		it.each(fileFields.map((field) => [field.name, field] as const))(
			'takes %s as a URL or from binary data (Binary File hides the field, shows the property)',
			(_name, field) => {
				const name = parameterName(field.name);
				const values = {
					operation,
					modelId: choice,
					[inputTypeParameter(field)]: 'binary',
				} as INodeParameters;
				const resolved = NodeHelpers.getNodeParameters(
					description.properties,
					values,
					true,
					false,
					node(values),
					description,
				) as INodeParameters;
				expect(resolved).not.toHaveProperty(name);
				expect(resolved[binaryPropertyParameter(field)]).toBe('data');
				const shown = description.properties.filter(
					(property) =>
						property.name === binaryPropertyParameter(field) &&
						NodeHelpers.displayParameter(resolved, property, node(resolved), description),
				);
				expect(shown).toHaveLength(1);
				expect(shown[0].description).toMatch(
					field.file?.list ? /^Comma-separated names/ : /^Name of the binary property/,
				);
			},
		);
	}

	it("validates the model's example body and sends model_id as chosen", () => {
		const example = custom ? endpoint.example : chosen.example;
		if (custom && endpoint.models.length) {
			// Other Model with catalog models: its fields are JSON, so only model_id is checked.
			expect(requestSchema(chosen).safeParse({ model_id: 'any-model' }).success).toBe(true);
			return;
		}
		const { body } = buildRequestBody(chosen, example);
		expect(body).toEqual(example);
		expect(body.model_id).toBe(custom ? endpoint.example.model_id : choice);
	});

	const required = [
		'model_id',
		...fields.filter((field) => field.required).map((field) => field.name),
	];
	it.each(required)('refuses a body without %s, naming it', (missing) => {
		const incomplete = { ...chosen.example } as IDataObject;
		delete incomplete[missing];
		expect(() => buildRequestBody(chosen, incomplete)).toThrow(InvalidParameterError);
		try {
			buildRequestBody(chosen, incomplete);
		} catch (error) {
			expect((error as InvalidParameterError).field).toBe(missing);
			expect((error as Error).message).toContain(missing);
			expect((error as Error).message).toMatch(/is required\. Set "/);
		}
	});
});

/**
 * `modelId` has two meanings in one node: the v6 Image operations' model picker (a string on
 * version 1, a resource locator from 1.1) and the v7 operations' model list. The panel shows at
 * most one of them, the one of the chosen operation, on every node version.
 */
describe.each(
	(['image', 'video', 'audio'] as const).flatMap((category) =>
		versionsOf(category).map((version) => [category, version] as const),
	),
)('%s node version %s: modelId', (category, typeVersion) => {
	const description = ACTION_NODES[category].description;
	const endpoints = allEndpoints().filter((endpoint) => endpoint.category === category);

	it.each(endpoints.map((endpoint) => [endpoint.operation, endpoint] as const))(
		'%s shows at most one modelId, of the kind the operation takes',
		(operation, endpoint) => {
			const values = { operation } as INodeParameters;
			const target: INode = {
				id: 'n1',
				name: 'ModelsLab',
				type: description.name,
				typeVersion,
				position: [0, 0],
				parameters: values,
			};
			const resolved = NodeHelpers.getNodeParameters(
				description.properties,
				values,
				true,
				false,
				target,
				description,
			) as INodeParameters;
			const shown = description.properties.filter(
				(property) =>
					property.name === 'modelId' &&
					NodeHelpers.displayParameter(resolved, property, target, description),
			);
			const v7 = endpoint.type === 'submit' && hasModelChoice(endpoint);
			// A v6 operation's own top-level model_id: a picker (Image), or a plain field (Video).
			const own = endpoint.fields.find((field) => field.name === 'model_id' && field.required);
			const ownType = !own
				? undefined
				: own.picker
					? typeVersion >= PICKER_VERSION
						? 'resourceLocator'
						: 'string'
					: fieldProperty(own).type;
			const expected = v7 ? 'options' : ownType;
			expect(shown.map((property) => property.type)).toEqual(expected ? [expected] : []);
			if (v7) expect(typeof resolved.modelId).toBe('string');
			if (expected === 'resourceLocator')
				expect(resolved.modelId).toEqual({ __rl: true, mode: 'list', value: '' });
		},
	);

	it('has both kinds where the node has both (Image), each shown only for its own operations', () => {
		const kinds = new Set(
			description.properties
				.filter((property) => property.name === 'modelId')
				.map((property) => property.type),
		);
		if (category === 'image')
			expect([...kinds].sort()).toEqual(['options', 'resourceLocator', 'string']);
		else expect(kinds.has('options')).toBe(true);
	});
});
