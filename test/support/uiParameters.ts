import type { IDataObject } from 'n8n-workflow';

import {
	defaultModelChoice,
	endpointForModel,
	hasModelChoice,
	OTHER_MODEL,
	type ModelChoiceEndpoint,
} from '../../nodes/shared/catalog/modelChoice';
import { parameterName } from '../../nodes/shared/parameters/fieldNames';
import type { EndpointSpec, FieldSpec } from '../../nodes/shared/catalog/types';

/** What a user would type into the node panel to send `wireValue` for this field. */
function uiValue(field: FieldSpec, wireValue: unknown): unknown {
	switch (field.kind) {
		case 'yesNo':
			return wireValue === 'yes';
		case 'trueFalseString':
			return wireValue === 'true';
		case 'numericString':
			return Number(wireValue);
		case 'integerOptions':
			return String(wireValue);
		case 'stringList':
		case 'stringOrList':
			return Array.isArray(wireValue) ? wireValue.join('\n') : wireValue;
		case 'json':
		case 'jsonArray':
			return JSON.stringify(wireValue);
		default:
			return wireValue;
	}
}

/**
 * Node parameters that make the operation send the reference's minimal example body. On a
 * provider-model operation `choice` picks the model (default: the operation's default model);
 * OTHER_MODEL sends the first model's example through "Other Model (by ID)" and its JSON.
 */
export function parametersFromExample(
	endpoint: EndpointSpec,
	extra: IDataObject = {},
	choice?: string,
): IDataObject {
	if (endpoint.type === 'submit' && hasModelChoice(endpoint))
		return { ...modelParameters(endpoint, choice ?? defaultModelChoice(endpoint)), ...extra };
	return { ...fieldParameters(endpoint, endpoint.fields, endpoint.example), ...extra };
}

function fieldParameters(
	endpoint: EndpointSpec,
	fields: readonly FieldSpec[],
	example: Readonly<Record<string, unknown>>,
): IDataObject {
	const parameters: IDataObject = { operation: endpoint.operation };
	const additionalFields: IDataObject = {};
	for (const [name, wireValue] of Object.entries(example)) {
		const field = fields.find((entry) => entry.name === name);
		if (!field) continue;
		const value = uiValue(field, wireValue) as IDataObject[string];
		if (field.required) parameters[parameterName(name)] = value;
		else additionalFields[parameterName(name)] = value;
	}
	if (endpoint.type === 'submit') parameters.additionalFields = additionalFields;
	return parameters;
}

function modelParameters(endpoint: ModelChoiceEndpoint, choice: string): IDataObject {
	const chosen = endpointForModel(endpoint, choice);
	const fields = chosen.fields.filter((field) => field.name !== 'model_id');
	const parameters: IDataObject = {
		...fieldParameters(endpoint, fields, chosen.example),
		modelId: choice,
	};
	if (choice !== OTHER_MODEL) return parameters;
	const { model_id: modelId, ...body } = endpoint.example;
	parameters.customModelId = { __rl: true, mode: 'id', value: String(modelId) };
	// With catalog models, the first one's example travels as the JSON of "Other Model".
	if (endpoint.models.length) parameters.customModelFields = JSON.stringify(body);
	return parameters;
}

/**
 * The example's parameters with some file fields (API names) fed from binary properties instead:
 * `${F}InputType` binary and `${F}BinaryPropertyName` the given names (comma-separated for lists).
 * On a provider-model operation `choice` picks the model whose file fields these are.
 */
export function binaryParameters(
	endpoint: EndpointSpec,
	fields: Record<string, string>,
	extra: IDataObject = {},
	choice?: string,
): IDataObject {
	const parameters = parametersFromExample(endpoint, extra, choice);
	const additional = { ...((parameters.additionalFields as IDataObject | undefined) ?? {}) };
	const own =
		endpoint.type === 'submit' && hasModelChoice(endpoint)
			? endpointForModel(endpoint, choice ?? defaultModelChoice(endpoint)).fields
			: endpoint.fields;
	for (const [apiName, properties] of Object.entries(fields)) {
		const field = own.find((entry) => entry.name === apiName);
		if (!field?.file) throw new Error(`${apiName} is no file field of ${endpoint.operation}`);
		const name = parameterName(apiName);
		const target = field.required ? parameters : additional;
		delete target[name];
		target[`${name}InputType`] = 'binary';
		target[`${name}BinaryPropertyName`] = properties;
	}
	return { ...parameters, additionalFields: additional };
}
