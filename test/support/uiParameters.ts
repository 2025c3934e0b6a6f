import type { IDataObject } from 'n8n-workflow';

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
			return JSON.stringify(wireValue);
		default:
			return wireValue;
	}
}

/** Node parameters that make the operation send the reference's minimal example body. */
export function parametersFromExample(
	endpoint: EndpointSpec,
	extra: IDataObject = {},
): IDataObject {
	const parameters: IDataObject = { operation: endpoint.operation };
	const additionalFields: IDataObject = {};
	for (const [name, wireValue] of Object.entries(endpoint.example)) {
		const field = endpoint.fields.find((entry) => entry.name === name);
		if (!field) continue;
		const value = uiValue(field, wireValue) as IDataObject[string];
		if (field.required) parameters[parameterName(name)] = value;
		else additionalFields[parameterName(name)] = value;
	}
	if (endpoint.type === 'submit') parameters.additionalFields = additionalFields;
	return { ...parameters, ...extra };
}

/**
 * The example's parameters with some file fields (API names) fed from binary properties instead:
 * `${F}InputType` binary and `${F}BinaryPropertyName` the given names (comma-separated for lists).
 */
export function binaryParameters(
	endpoint: EndpointSpec,
	fields: Record<string, string>,
	extra: IDataObject = {},
): IDataObject {
	const parameters = parametersFromExample(endpoint, extra);
	const additional = { ...((parameters.additionalFields as IDataObject | undefined) ?? {}) };
	for (const [apiName, properties] of Object.entries(fields)) {
		const field = endpoint.fields.find((entry) => entry.name === apiName);
		if (!field?.file) throw new Error(`${apiName} is no file field of ${endpoint.operation}`);
		const name = parameterName(apiName);
		const target = field.required ? parameters : additional;
		delete target[name];
		target[`${name}InputType`] = 'binary';
		target[`${name}BinaryPropertyName`] = properties;
	}
	return { ...parameters, additionalFields: additional };
}
