import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { FieldPicker, FieldSpec } from '../catalog/types';
import { DEFAULT_BINARY_PROPERTY } from '../parameters/commonParameters';
import { displayNameOf } from '../parameters/fieldNames';
import {
	binaryPropertyParameter,
	FILE_INPUT_TYPE,
	inputTypeParameter,
	isFileField,
	type FileField,
} from '../parameters/fileInputs';
import { MAX_UPLOAD_BYTES } from '../transport/uploads';
import { LIST_SEARCH_METHOD } from './listSearch';

/** The node version from which pickers are resource locators; version 1 keeps plain strings. */
export const PICKER_VERSION = 1.1;

/**
 * The parameters one catalog field becomes beside its own property (`base`): a picker is a plain
 * string on version 1 and a resource locator from 1.1 (saved workflows keep their string and the
 * editor shows it as it was), a file field gets its two companions and hides while it is fed
 * from binary data. Display options here are relative to where the field sits: the top level or
 * Additional Fields; the caller adds the operation.
 */
export function fieldVariants(field: FieldSpec, base: INodeProperties): INodeProperties[] {
	if (field.picker) return pickerVariants(field, field.picker, base);
	if (!isFileField(field)) return [base];
	return [
		withDisplay(base, { hide: { [inputTypeParameter(field)]: [FILE_INPUT_TYPE.binary] } }),
		inputTypeProperty(field),
		binaryPropertyProperty(field),
	];
}

/** Merges display conditions (both must hold). */
export function withDisplay(property: INodeProperties, extra: IDisplayOptions): INodeProperties {
	const current = property.displayOptions ?? {};
	const show = { ...(current.show ?? {}), ...(extra.show ?? {}) };
	const hide = { ...(current.hide ?? {}), ...(extra.hide ?? {}) };
	return {
		...property,
		displayOptions: {
			...(Object.keys(show).length ? { show } : {}),
			...(Object.keys(hide).length ? { hide } : {}),
		},
	};
}

const PICKED: Record<FieldPicker, string> = {
	models: 'model',
	voices: 'voice',
	loraModels: 'LoRA model',
	workflows: 'workflow',
};

function pickerVariants(
	field: FieldSpec,
	picker: FieldPicker,
	base: INodeProperties,
): INodeProperties[] {
	const noun = PICKED[picker];
	const locator: INodeProperties = {
		displayName: base.displayName,
		name: base.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		...(base.required ? { required: true } : {}),
		description:
			picker === 'loraModels'
				? `${field.description}. Pick one from the list, or enter one or more IDs separated by commas.`
				: base.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select a ${noun}...`,
				typeOptions: { searchListMethod: LIST_SEARCH_METHOD[picker], searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: base.placeholder ?? (picker === 'loraModels' ? 'e.g. lora-one,lora-two' : ''),
			},
		],
	};
	return [
		withDisplay(base, { show: { '@version': [1] } }),
		withDisplay(locator, { show: { '@version': [{ _cnd: { gte: PICKER_VERSION } }] } }),
	];
}

function inputTypeProperty(field: FileField): INodeProperties {
	const label = displayNameOf(field);
	const files = field.file.list ? 'files' : 'file';
	return {
		displayName: `${label} Input Type`,
		name: inputTypeParameter(field),
		type: 'options',
		options: [
			{
				name: 'Binary File',
				value: FILE_INPUT_TYPE.binary,
				description: `The ${files} in binary data of the input item (e.g. from HTTP Request or Read/Write Files from Disk), uploaded to ModelsLab first`,
			},
			{
				name: 'URL',
				value: FILE_INPUT_TYPE.url,
				description: `A public URL or a data URI (data:MIME-type;base64,...) in "${label}"`,
			},
		],
		// A literal: n8n's lint reads defaults from the source.
		default: 'url',
		description: `Where the ${files} of "${label}" come${field.file.list ? '' : 's'} from`,
	};
}

function binaryPropertyProperty(field: FileField): INodeProperties {
	const label = displayNameOf(field);
	const limit = `${MAX_UPLOAD_BYTES / 1_048_576} MB`;
	return {
		displayName: `${label} Binary Property`,
		name: binaryPropertyParameter(field),
		type: 'string',
		default: DEFAULT_BINARY_PROPERTY,
		required: field.required === true,
		placeholder: field.file.list ? 'data, data_1, data_2' : DEFAULT_BINARY_PROPERTY,
		description: field.file.list
			? `Comma-separated names of the binary properties that hold the files, one per file (at most ${limit} each)`
			: `Name of the binary property that holds the file (at most ${limit})`,
		displayOptions: { show: { [inputTypeParameter(field)]: [FILE_INPUT_TYPE.binary] } },
	};
}
