import type { IDataObject, IExecuteFunctions, ISupplyDataFunctions } from 'n8n-workflow';

import type { EndpointSpec } from '../catalog/types';
import { PARAM } from './commonParameters';
import { parameterName } from './fieldNames';
import { isObject } from '../transport/schemas';
import { InvalidParameterError } from './requestBody';

export interface EndpointValues {
	/** UI values keyed by API field name, not yet coerced. */
	values: Record<string, unknown>;
	/** The "Extra Body Fields (JSON)" object. */
	extra: IDataObject;
}

/** Reads one item's values of an operation's catalog fields from the node parameters. */
export function readEndpointValues(
	context: IExecuteFunctions | ISupplyDataFunctions,
	endpoint: EndpointSpec,
	itemIndex: number,
): EndpointValues {
	const values: Record<string, unknown> = {};
	const additional =
		endpoint.type === 'submit'
			? (context.getNodeParameter(PARAM.additionalFields, itemIndex, {}) as IDataObject)
			: {};
	for (const field of endpoint.fields) {
		const name = parameterName(field.name);
		if (field.required) values[field.name] = context.getNodeParameter(name, itemIndex, undefined);
		else if (name in additional) values[field.name] = additional[name];
	}
	return { values, extra: parseExtraFields(additional[PARAM.extraFields]) };
}

function parseExtraFields(raw: unknown): IDataObject {
	return parseJsonObject(raw, PARAM.extraFields, 'Extra Body Fields (JSON)');
}

/** A JSON-object parameter (text or object) as an object without `key`; empty = `{}`. */
export function parseJsonObject(raw: unknown, parameter: string, label: string): IDataObject {
	if (raw === undefined || raw === null || raw === '') return {};
	let parsed: unknown = raw;
	if (typeof raw === 'string') {
		let problem: string | undefined;
		try {
			parsed = JSON.parse(raw) as unknown;
		} catch (error) {
			problem = (error as Error).message;
		}
		if (problem !== undefined) {
			throw new InvalidParameterError(
				parameter,
				label,
				`is not valid JSON (${problem}). Enter a JSON object such as {"field": "value"}.`,
			);
		}
	}
	if (!isObject(parsed)) {
		throw new InvalidParameterError(
			parameter,
			label,
			'must be a JSON object such as {"field": "value"}',
		);
	}
	// The credential supplies the key; a key typed here would end up in saved workflows.
	const rest = { ...parsed };
	delete rest.key;
	return rest;
}
