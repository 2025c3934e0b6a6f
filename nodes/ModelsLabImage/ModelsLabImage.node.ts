import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { actionNodeParts } from '../shared/completion/nodeParts';
import { routeOperation } from '../shared/completion/router';
import { imageCategory } from '../shared/catalog/image';
import { handleResumeCallback } from '../shared/completion/resumeWebhook';

export class ModelsLabImage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ModelsLab Image',
		name: 'modelsLabImage',
		icon: { light: 'file:modelslab.svg', dark: 'file:modelslab.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description:
			'Generate images with ModelsLab: text to image, image to image, inpainting and ControlNet',
		defaults: { name: 'ModelsLab Image' },
		usableAsTool: true,
		...actionNodeParts(imageCategory),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperation.call(this, imageCategory);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleResumeCallback.call(this, imageCategory);
	}
}
