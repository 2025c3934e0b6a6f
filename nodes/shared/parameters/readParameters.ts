import type { IDataObject, IExecuteFunctions, ISupplyDataFunctions } from 'n8n-workflow';

import type { EndpointSpec } from '../catalog/types';
import { PARAM } from './commonParameters';
import { parameterName } from './fieldNames';
import { fileSourceOf, fromCollection, isFileField, type FileField } from './fileInputs';
import { locatorValue } from './resourceLocator';
import { isObject } from '../transport/schemas';
import { InvalidParameterError } from './requestBody';

/** A file field whose file comes from the item's binary data. */
export interface BinaryInput {
	field: FileField;
	propertyNames: string[];
}

export interface EndpointValues {
	/** UI values keyed by API field name, not yet coerced. Binary inputs are not among them. */
	values: Record<string, unknown>;
	/** The "Extra Body Fields (JSON)" object. */
	extra: IDataObject;
	/** File fields set to "Binary File", in catalog order. */
	binaryInputs: BinaryInput[];
}

/** Reads one item's values of an operation's catalog fields from the node parameters. */
export function readEndpointValues(
	context: IExecuteFunctions | ISupplyDataFunctions,
	endpoint: EndpointSpec,
	itemIndex: number,
): EndpointValues {
	const values: Record<string, unknown> = {};
	const binaryInputs: BinaryInput[] = [];
	const additional =
		endpoint.type === 'submit'
			? (context.getNodeParameter(PARAM.additionalFields, itemIndex, {}) as IDataObject)
			: {};
	// Companions absent from the node (parameters saved before they existed) read as unset.
	const topLevel = (parameter: string): unknown =>
		context.getNodeParameter(parameter, itemIndex, '');
	for (const field of endpoint.fields) {
		const name = parameterName(field.name);
		if (isFileField(field)) {
			const source = fileSourceOf(field, field.required ? topLevel : fromCollection(additional));
			if (source.type === 'binary') {
				binaryInputs.push({ field, propertyNames: source.propertyNames });
				continue;
			}
		}
		if (!field.required && !(name in additional)) continue;
		// A picker holds a resource locator from node version 1.1, a plain string before.
		const raw = !field.required
			? additional[name]
			: context.getNodeParameter(name, itemIndex, undefined, { extractValue: !!field.picker });
		values[field.name] = field.picker ? locatorValue(raw) : raw;
	}
	return { values, extra: parseExtraFields(additional[PARAM.extraFields]), binaryInputs };
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
