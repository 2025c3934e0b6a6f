import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import {
	defaultModelChoice,
	modelOptionName,
	OTHER_MODEL,
	type ModelChoiceEndpoint,
} from '../catalog/modelChoice';
import type { FieldSpec } from '../catalog/types';
import { MODEL_PARAM, PARAM } from '../parameters/commonParameters';

/** Fields shown together: one operation's, or one model's of a provider-model operation. */
export interface FieldGroup {
	show: IDisplayOptions['show'];
	fields: readonly FieldSpec[];
	/** Whether Additional Fields ends with "Extra Body Fields (JSON)". */
	extraFields: boolean;
	notice?: string;
}

const showFor = (endpoint: ModelChoiceEndpoint, choice?: string): IDisplayOptions['show'] => ({
	[PARAM.operation]: [endpoint.operation],
	...(choice === undefined ? {} : { [MODEL_PARAM.modelId]: [choice] }),
});

/**
 * The model choice: `modelId` lists the operation's models as "<Provider>: <Model>", sorted (n8n
 * options have no groups, so the provider prefix groups them), then "Other Model (by ID)", which
 * shows `customModelId`.
 */
export function modelSelectorProperties(endpoint: ModelChoiceEndpoint): INodeProperties[] {
	const options = endpoint.models
		.map((model) => ({ name: modelOptionName(model), value: model.id }))
		.sort((a, b) => a.name.localeCompare(b.name));
	const custom = {
		name: 'Other Model (by ID)',
		value: OTHER_MODEL,
		description: 'A model this list does not have yet, with its fields as JSON',
	};
	const only = endpoint.models.length === 0;
	return [
		{
			displayName: 'Model',
			name: MODEL_PARAM.modelId,
			type: 'options',
			noDataExpression: true,
			options: [...options, custom],
			default: defaultModelChoice(endpoint),
			description: only
				? "ModelsLab's SDK names no model for this operation yet: give the model's ID below"
				: 'Provider model to run; the fields below are its own',
			displayOptions: { show: showFor(endpoint) },
		},
		{
			displayName: 'Model ID',
			name: MODEL_PARAM.customModelId,
			type: 'resourceLocator',
			required: true,
			default: { mode: 'list', value: '' },
			description: "The model's model_id, as ModelsLab names it",
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					typeOptions: { searchListMethod: MODEL_PARAM.searchMethod, searchable: true },
				},
				{
					displayName: 'By ID',
					name: 'id',
					type: 'string',
					placeholder: String(endpoint.example.model_id ?? ''),
				},
			],
			displayOptions: { show: showFor(endpoint, OTHER_MODEL) },
		},
	];
}

/** One group per catalog model, then the one of "Other Model" (the operation's own fields). */
export function modelFieldGroups(endpoint: ModelChoiceEndpoint): FieldGroup[] {
	return [
		...endpoint.models.map((model) => ({
			show: showFor(endpoint, model.id),
			fields: model.fields,
			extraFields: true,
			notice: model.notice,
		})),
		// Its body JSON takes what Extra Body Fields would.
		{ show: showFor(endpoint, OTHER_MODEL), fields: endpoint.fields, extraFields: false },
	];
}

/** "Other Model (by ID)": the model's body fields as JSON. */
export function customModelFieldsProperty(endpoint: ModelChoiceEndpoint): INodeProperties {
	return {
		displayName: 'Model Fields (JSON)',
		name: MODEL_PARAM.customModelFields,
		type: 'json',
		default: '{}',
		description:
			'The model\'s request fields as a JSON object, e.g. {"prompt": "a red apple"}; the node adds model_id, the key, the webhook and the track ID',
		displayOptions: { show: showFor(endpoint, OTHER_MODEL) },
	};
}
