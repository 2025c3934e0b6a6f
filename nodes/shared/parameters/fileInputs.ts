import type { IDataObject } from 'n8n-workflow';

import type { FieldSpec, FileInput } from '../catalog/types';
import { DEFAULT_BINARY_PROPERTY } from './commonParameters';
import { parameterName } from './fieldNames';

/**
 * The two companions of a file field `F` (docs/public-names.md §4): `${F}InputType` says where
 * the file comes from, `${F}BinaryPropertyName` which binary properties of the item hold it.
 */
export const FILE_INPUT_TYPE = { url: 'url', binary: 'binary' } as const;
export type FileInputType = (typeof FILE_INPUT_TYPE)[keyof typeof FILE_INPUT_TYPE];

/** A catalog field that takes a file. */
export type FileField = FieldSpec & { file: FileInput };

export function isFileField(field: FieldSpec): field is FileField {
	return field.file !== undefined;
}

export function inputTypeParameter(field: Pick<FieldSpec, 'name'>): string {
	return `${parameterName(field.name)}InputType`;
}

export function binaryPropertyParameter(field: Pick<FieldSpec, 'name'>): string {
	return `${parameterName(field.name)}BinaryPropertyName`;
}

/** Where a file field's value comes from, for one item. */
export type FileSource = { type: 'url' } | { type: 'binary'; propertyNames: string[] };

/**
 * Reads a file field's companions. `read` returns a parameter's value or undefined when unset
 * (a top-level parameter, or an entry of Additional Fields the user did not add).
 */
export function fileSourceOf(field: FileField, read: (parameter: string) => unknown): FileSource {
	if (read(inputTypeParameter(field)) !== FILE_INPUT_TYPE.binary) return { type: 'url' };
	const raw = read(binaryPropertyParameter(field));
	const text = typeof raw === 'string' && raw.trim() !== '' ? raw : DEFAULT_BINARY_PROPERTY;
	const propertyNames = text
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	return { type: 'binary', propertyNames };
}

/** `read` for the entries of Additional Fields. */
export function fromCollection(collection: IDataObject): (parameter: string) => unknown {
	return (parameter) => collection[parameter];
}
