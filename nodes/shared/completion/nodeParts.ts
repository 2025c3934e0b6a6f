import { NodeConnectionTypes, type INodeTypeDescription } from 'n8n-workflow';

import type { CategorySpec } from '../catalog/types';
import { RESUME_WEBHOOKS } from './resumeWebhook';
import { CREDENTIAL_TYPE } from '../transport/context';
import { describeCategory } from '../description/properties';

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
