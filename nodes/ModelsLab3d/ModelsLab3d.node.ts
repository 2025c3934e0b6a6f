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
import { threeDCategory } from '../shared/catalog/threeD';
import { handleResumeCallback } from '../shared/completion/resumeWebhook';

export class ModelsLab3d implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ModelsLab 3D',
		name: 'modelsLab3d',
		icon: { light: 'file:modelslab.svg', dark: 'file:modelslab.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Generate 3D models with ModelsLab from text or an image',
		defaults: { name: 'ModelsLab 3D' },
		usableAsTool: true,
		...actionNodeParts(threeDCategory),
	};

	methods = nodeMethods(threeDCategory);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperation.call(this, threeDCategory);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleResumeCallback.call(this, threeDCategory);
	}
}
