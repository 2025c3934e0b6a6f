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
