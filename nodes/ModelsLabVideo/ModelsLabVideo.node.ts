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
import { videoCategory } from '../shared/catalog/video';
import { handleResumeCallback } from '../shared/completion/resumeWebhook';

export class ModelsLabVideo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ModelsLab Video',
		name: 'modelsLabVideo',
		icon: { light: 'file:modelslab.svg', dark: 'file:modelslab.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Generate videos with ModelsLab from text or an image',
		defaults: { name: 'ModelsLab Video' },
		usableAsTool: true,
		...actionNodeParts(videoCategory),
	};

	methods = nodeMethods(videoCategory);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperation.call(this, videoCategory);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleResumeCallback.call(this, videoCategory);
	}
}
