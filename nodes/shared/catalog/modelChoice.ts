import type { FieldSpec, ModelVariant, SubmitEndpointSpec } from './types';

/** The `modelId` choice "Other Model (by ID)": a model the catalog does not list. */
export const OTHER_MODEL = '__custom';

/** An operation whose `model_id` is chosen from provider models (v7). */
export type ModelChoiceEndpoint = SubmitEndpointSpec & { models: readonly ModelVariant[] };

export function hasModelChoice(endpoint: SubmitEndpointSpec): endpoint is ModelChoiceEndpoint {
	return endpoint.models !== undefined;
}

/** The option name of a model: the provider first, so that sorted names group by provider. */
export function modelOptionName(model: ModelVariant): string {
	return `${model.provider}: ${model.displayName}`;
}

/** The model chosen by `choice`, or undefined for "Other Model" and unknown values. */
export function findModel(endpoint: ModelChoiceEndpoint, choice: string): ModelVariant | undefined {
	return endpoint.models.find((model) => model.id === choice);
}

/** The default choice: the first model, or "Other Model" when the catalog has none. */
export function defaultModelChoice(endpoint: ModelChoiceEndpoint): string {
	return endpoint.models[0]?.id ?? OTHER_MODEL;
}

/** `model_id` as the body of a model-choice operation carries it. */
export const MODEL_ID_FIELD: FieldSpec = {
	name: 'model_id',
	kind: 'string',
	required: true,
	displayName: 'Model ID',
	description: 'The provider model that runs the job',
};

/**
 * The operation as if the chosen model's fields were its own (for "Other Model": the operation's
 * documented fields), with `model_id` required: what the request body and its validation follow.
 */
export function endpointForModel(
	endpoint: ModelChoiceEndpoint,
	choice: string,
): SubmitEndpointSpec {
	const model = findModel(endpoint, choice);
	return {
		...endpoint,
		fields: [MODEL_ID_FIELD, ...(model ? model.fields : endpoint.fields)],
		example: model ? { model_id: model.id, ...model.example } : endpoint.example,
	};
}
