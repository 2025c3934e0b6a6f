import type { IDataObject, IExecuteFunctions, ISupplyDataFunctions } from 'n8n-workflow';

import {
	defaultModelChoice,
	endpointForModel,
	findModel,
	hasModelChoice,
	OTHER_MODEL,
} from '../catalog/modelChoice';
import type { SubmitEndpointSpec } from '../catalog/types';
import { MODEL_PARAM } from './commonParameters';
import { parseJsonObject } from './readParameters';
import { InvalidParameterError } from './requestBody';
import { locatorValue } from './resourceLocator';

/** One item's model: the fields its request follows and the `model_id` it sends. */
export interface ChosenModel {
	/** The operation with the chosen model's fields; the operation itself when it has no models. */
	endpoint: SubmitEndpointSpec;
	/** The `model_id` to send, for an operation with a model choice. */
	modelId?: string;
	/** "Other Model (by ID)": its body fields (Model Fields JSON). */
	bodyFields: IDataObject;
}

/**
 * Reads the model choice of one item (docs/public-names.md §4: `modelId`): a catalog model's own
 * fields, or for "Other Model" the `customModelId` and its JSON body fields.
 */
export function readModelChoice(
	context: IExecuteFunctions | ISupplyDataFunctions,
	endpoint: SubmitEndpointSpec,
	itemIndex: number,
): ChosenModel {
	if (!hasModelChoice(endpoint)) return { endpoint, bodyFields: {} };
	// The Image node's v6 operations have a `modelId` picker too (a resource locator from node
	// version 1.1); a node switched from one of them to a v7 operation keeps that value.
	const choice = String(
		locatorValue(
			context.getNodeParameter(MODEL_PARAM.modelId, itemIndex, defaultModelChoice(endpoint)),
		) ?? '',
	);
	if (choice === OTHER_MODEL) {
		const id = String(
			context.getNodeParameter(MODEL_PARAM.customModelId, itemIndex, '', { extractValue: true }) ??
				'',
		).trim();
		if (!id) {
			throw new InvalidParameterError(
				'model_id',
				'Model ID',
				`is required for Other Model (by ID). Set "Model ID" (${MODEL_PARAM.customModelId}) and run again.`,
			);
		}
		const raw = context.getNodeParameter(MODEL_PARAM.customModelFields, itemIndex, '{}');
		return {
			endpoint: endpointForModel(endpoint, OTHER_MODEL),
			modelId: id,
			bodyFields: parseJsonObject(raw, MODEL_PARAM.customModelFields, 'Model Fields (JSON)'),
		};
	}
	if (!findModel(endpoint, choice)) {
		throw new InvalidParameterError(
			'model_id',
			'Model',
			`"${choice}" is not a model of ${endpoint.displayName}. Choose one from "Model" (${MODEL_PARAM.modelId}), or Other Model (by ID) for a model the list does not have.`,
		);
	}
	return { endpoint: endpointForModel(endpoint, choice), modelId: choice, bodyFields: {} };
}
