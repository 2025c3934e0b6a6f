import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { actionNodeParts, nodeMethods } from '../shared/completion/nodeParts';
import { routeOperation } from '../shared/completion/router';
import { interiorCategory } from '../shared/catalog/interior';
import { handleResumeCallback } from '../shared/completion/resumeWebhook';

export class ModelsLabInterior implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ModelsLab Interior',
		name: 'modelsLabInterior',
		icon: { light: 'file:modelslab.svg', dark: 'file:modelslab.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description:
			'Redesign rooms and buildings with ModelsLab: interior design, decoration, floor plans, surroundings, sketches and more',
		defaults: { name: 'ModelsLab Interior' },
		usableAsTool: true,
		...actionNodeParts(interiorCategory),
	};

	methods = nodeMethods(interiorCategory);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperation.call(this, interiorCategory);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleResumeCallback.call(this, interiorCategory);
	}
}
