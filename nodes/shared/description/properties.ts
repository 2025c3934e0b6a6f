import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { hasModelChoice } from '../catalog/modelChoice';
import type { CategorySpec, EndpointSpec, FieldSpec, SubmitEndpointSpec } from '../catalog/types';
import {
	DEFAULT_BINARY_PROPERTY,
	DEFAULT_MAX_DOWNLOAD_MB,
	OPTION,
	PARAM,
} from '../parameters/commonParameters';
import { displayNameOf, parameterName } from '../parameters/fieldNames';
import { fieldVariants, withDisplay } from './fieldVariants';
import {
	customModelFieldsProperty,
	modelFieldGroups,
	modelSelectorProperties,
	type FieldGroup,
} from './modelProperties';

/**
 * Derives a node's whole parameter list from its catalog category: the operation selector, each
 * operation's required fields at top level, its optional fields in "Additional Fields" (file
 * fields with their input-type and binary-property companions, pickers as resource locators),
 * and the completion settings. No per-endpoint property is written by hand.
 */
export function describeCategory(category: CategorySpec): INodeProperties[] {
	const submitOperations = category.endpoints
		.filter((endpoint) => endpoint.type === 'submit')
		.map((e) => e.operation);
	const readOperations = category.endpoints
		.filter((endpoint) => endpoint.type === 'read')
		.map((e) => e.operation);
	const properties: INodeProperties[] = [operationSelector(category)];
	for (const endpoint of category.endpoints) properties.push(...endpointProperties(endpoint));
	if (submitOperations.length) properties.push(...completionProperties(category, submitOperations));
	properties.push(optionsCollection(category, submitOperations, readOperations));
	return properties;
}

function operationSelector(category: CategorySpec): INodeProperties {
	const options: INodePropertyOptions[] = category.endpoints.map((endpoint) => ({
		name: endpoint.displayName,
		value: endpoint.operation,
		action: endpoint.action,
		description: endpoint.description,
	}));
	options.sort((a, b) => a.name.localeCompare(b.name));
	const firstOperation = category.endpoints[0].operation;
	return {
		displayName: 'Operation',
		name: PARAM.operation,
		type: 'options',
		noDataExpression: true,
		options,
		default: firstOperation,
	};
}

function endpointProperties(endpoint: EndpointSpec): INodeProperties[] {
	const show = { [PARAM.operation]: [endpoint.operation] };
	const properties: INodeProperties[] = [];
	if (endpoint.type === 'submit' && endpoint.notice) {
		properties.push({
			displayName: endpoint.notice,
			name: `${endpoint.operation}Notice`,
			type: 'notice',
			default: '',
			displayOptions: { show },
		});
	}
	if (endpoint.type === 'submit' && hasModelChoice(endpoint)) {
		// Each model's fields carry displayOptions on operation + modelId, so the many properties of
		// one name (prompt, additionalFields, ...) are never shown two at once.
		const groups = modelFieldGroups(endpoint);
		properties.push(...modelSelectorProperties(endpoint));
		for (const group of groups) properties.push(...requiredFieldProperties(group));
		properties.push(customModelFieldsProperty(endpoint), ...trackIdProperties(endpoint));
		for (const group of groups) {
			const additional = additionalFieldsProperty(group);
			if (additional) properties.push(additional);
		}
		return properties;
	}
	const group: FieldGroup = { show, fields: endpoint.fields, extraFields: true };
	properties.push(...requiredFieldProperties(group));
	if (endpoint.type !== 'submit') return properties;
	properties.push(...trackIdProperties(endpoint));
	const additional = additionalFieldsProperty(group);
	if (additional) properties.push(additional);
	return properties;
}

/** The group's notice, then its required fields, each a top-level parameter. */
function requiredFieldProperties(group: FieldGroup): INodeProperties[] {
	const displayOptions = { show: group.show };
	const notice: INodeProperties[] = group.notice
		? [
				{
					displayName: group.notice,
					name: 'modelNotice',
					type: 'notice',
					default: '',
					displayOptions,
				},
			]
		: [];
	return [
		...notice,
		// File fields get their input-type and binary-property companions, pickers their versions.
		...group.fields
			.filter((field) => field.required)
			.flatMap((field) => fieldVariants(field, { ...fieldProperty(field), required: true }))
			.map((property) => withDisplay(property, displayOptions)),
	];
}

/** The group's optional fields in an "Additional Fields" collection; none when it would be empty. */
function additionalFieldsProperty(group: FieldGroup): INodeProperties | undefined {
	const options = group.fields
		.filter((field) => !field.required)
		.flatMap((field) => fieldVariants(field, fieldProperty(field)));
	if (group.extraFields) {
		options.push({
			displayName: 'Extra Body Fields (JSON)',
			name: PARAM.extraFields,
			type: 'json',
			default: '{}',
			description:
				'Fields this node does not list yet, as a JSON object merged into the request body (they override the fields above)',
		});
	}
	if (!options.length) return undefined;
	return {
		displayName: 'Additional Fields',
		name: PARAM.additionalFields,
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
		displayOptions: { show: group.show },
	};
}

function trackIdProperties(endpoint: SubmitEndpointSpec): INodeProperties[] {
	if (endpoint.trackId === 'none') return [];
	return [
		{
			displayName: 'Track ID',
			name: PARAM.trackId,
			type: 'string',
			default: '',
			description:
				endpoint.trackId === 'integer'
					? 'Your correlation ID, sent as track_id and echoed in the result. This endpoint takes digits only. Empty = a unique one is generated.'
					: 'Your correlation ID, sent as track_id and echoed in the result (the ModelsLab Trigger can filter on it). Empty = a unique one is generated.',
			displayOptions: { show: { [PARAM.operation]: [endpoint.operation] } },
		},
	];
}

/** One catalog field as an n8n parameter, named after it in camelCase. */
export function fieldProperty(field: FieldSpec): INodeProperties {
	const base = {
		displayName: displayNameOf(field),
		name: parameterName(field.name),
		description: field.description,
		...(field.placeholder ? { placeholder: field.placeholder } : {}),
	};
	switch (field.kind) {
		case 'number':
		case 'integer':
		case 'numericString':
			return {
				...base,
				type: 'number',
				default: numberDefault(field),
				typeOptions: {
					...(field.min !== undefined ? { minValue: field.min } : {}),
					...(field.max !== undefined ? { maxValue: field.max } : {}),
					numberPrecision: field.kind === 'integer' ? 0 : 2,
				},
			};
		case 'boolean':
		case 'yesNo':
		case 'trueFalseString':
			return { ...base, type: 'boolean', default: field.default === true };
		case 'options':
		case 'integerOptions':
			return {
				...base,
				type: 'options',
				options: (field.options ?? []).map((value) => ({ name: value, value })),
				default: String(field.default ?? field.options?.[0] ?? ''),
			};
		case 'stringList':
		case 'stringOrList':
			return {
				...base,
				type: 'string',
				default: '',
				typeOptions: { rows: 3 },
				description: `${field.description}. One per line or comma-separated.`,
			};
		case 'json':
			return { ...base, type: 'json', default: '{}' };
		case 'jsonArray':
			return { ...base, type: 'json', default: '[]' };
		default:
			return {
				...base,
				type: 'string',
				default: typeof field.default === 'string' ? field.default : '',
				...(field.multiline ? { typeOptions: { rows: 4 } } : {}),
			};
	}
}

function numberDefault(field: FieldSpec): number {
	if (typeof field.default === 'number') return field.default;
	if (
		typeof field.default === 'string' &&
		field.default.trim() !== '' &&
		!Number.isNaN(Number(field.default))
	) {
		return Number(field.default);
	}
	return field.min ?? 0;
}

function completionProperties(
	category: CategorySpec,
	submitOperations: string[],
): INodeProperties[] {
	const show = { displayOptions: { show: { [PARAM.operation]: submitOperations } } };
	return [
		{
			displayName: 'Completion',
			name: PARAM.completion,
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Wait for Callback',
					value: 'callback',
					description:
						'Submit, then park the execution until ModelsLab calls back (no polling, no worker held). Needs a public WEBHOOK_URL.',
				},
				{
					name: 'Poll',
					value: 'poll',
					description:
						'Submit, then ask ModelsLab for the result until it is ready (works without a public URL)',
				},
				{
					name: 'Submit Only',
					value: 'submit',
					description:
						'Return the request ID at once; receive the result with the ModelsLab Trigger or Get Result',
				},
			],
			default: 'callback',
			...show,
		},
		{
			displayName:
				`The execution waits until ModelsLab calls back or the wait limit (default ${category.defaultWaitMinutes} min) passes. ` +
				"ModelsLab must reach this n8n: set WEBHOOK_URL to a public URL. While it points at localhost or a private address and the credential's Base URL is public, the node stops before submitting and says so. If the limit passes first, each job still running comes out as an error naming its request ID, for Get Result; the execution's custom data (modelslab_*) keeps the IDs too.",
			name: 'callbackNotice',
			type: 'notice',
			default: '',
			displayOptions: {
				show: { [PARAM.operation]: submitOperations, [PARAM.completion]: ['callback'] },
			},
		},
	];
}

function optionsCollection(
	category: CategorySpec,
	submitOperations: string[],
	readOperations: string[],
): INodeProperties {
	const defaultWaitMinutes = category.defaultWaitMinutes;
	const waitOptions: INodeProperties[] = submitOperations.length
		? [
				{
					displayName: 'Wait Limit (Minutes)',
					name: OPTION.waitLimit,
					type: 'number',
					default: defaultWaitMinutes,
					typeOptions: { minValue: 1 },
					description:
						'Longest time to wait for the result. Callback mode: n8n resumes the execution by itself when it passes. Poll mode: polling stops with an error naming the request IDs.',
				},
				{
					displayName: 'Max Concurrent Jobs',
					name: OPTION.maxConcurrentJobs,
					type: 'number',
					default: 0,
					typeOptions: { minValue: 0, numberPrecision: 0 },
					description:
						"How many of this node's jobs may run at ModelsLab at once. 0 = as many as your plan's queue takes (5, 10 or 15): the node learns it from ModelsLab's answers and submits the rest as running jobs finish.",
				},
				{
					displayName: 'Result Webhook URL',
					name: OPTION.resultWebhookUrl,
					type: 'string',
					default: '',
					placeholder: 'https://n8n.example.com/webhook/modelslab',
					description:
						'Submit Only mode: where ModelsLab posts the result, e.g. the production URL of a ModelsLab Trigger. Endpoints without callbacks ignore it.',
				},
				{
					displayName: 'Poll Interval (Seconds)',
					name: OPTION.pollInterval,
					type: 'number',
					default: 0,
					typeOptions: { minValue: 0 },
					description:
						"Poll mode: seconds between checks. 0 = start from ModelsLab's ETA and back off up to 30 s.",
				},
			]
		: [];
	return {
		displayName: 'Options',
		name: PARAM.options,
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { [PARAM.operation]: [...submitOperations, ...readOperations] } },
		options: (
			[
				...waitOptions,
				{
					displayName: 'Download Outputs',
					name: OPTION.downloadOutputs,
					type: 'boolean',
					default: false,
					description: 'Whether to download each output file into a binary property of the item',
				},
				{
					displayName: 'Binary Property',
					name: OPTION.binaryPropertyName,
					type: 'string',
					default: DEFAULT_BINARY_PROPERTY,
					description:
						'Name of the binary property of the first output; later outputs get a suffix such as _1 or _2',
				},
				{
					displayName: 'Max Download Size (MB)',
					name: OPTION.maxDownloadSizeMb,
					type: 'number',
					default: DEFAULT_MAX_DOWNLOAD_MB,
					typeOptions: { minValue: 1 },
					description: 'A larger output file fails the item instead of filling memory',
				},
			] as INodeProperties[]
		).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}
