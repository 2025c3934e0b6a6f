import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import type { CategorySpec } from '../catalog/types';
import { RESUME_WEBHOOKS } from './resumeWebhook';
import { CREDENTIAL_TYPE } from '../transport/context';
import { describeCategory } from '../description/properties';
import { listSearchMethods } from '../description/listSearch';

/** What every action node's description shares; each node file adds its names and icon. */
export function actionNodeParts(
	category: CategorySpec,
): Pick<
	INodeTypeDescription,
	'inputs' | 'outputs' | 'credentials' | 'webhooks' | 'properties' | 'waitingNodeTooltip'
> {
	return {
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		webhooks: RESUME_WEBHOOKS,
		waitingNodeTooltip:
			'Waiting for ModelsLab to call back with the result. Request IDs are in the execution custom data (modelslab_*).',
		properties: describeCategory(category),
	};
}

/**
 * What every action node's `methods` share: the list searches behind its resource locators
 * (pickers of the catalog, and searchModels for the v7 operations' "Other Model (by ID)").
 */
export function nodeMethods(category: CategorySpec): NonNullable<INodeType['methods']> {
	return { listSearch: listSearchMethods(category) };
}
