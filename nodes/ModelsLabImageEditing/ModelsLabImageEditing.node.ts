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
import { imageEditingCategory } from '../shared/catalog/imageEditing';
import { handleResumeCallback } from '../shared/completion/resumeWebhook';

export class ModelsLabImageEditing implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ModelsLab Image Editing',
		name: 'modelsLabImageEditing',
		icon: { light: 'file:modelslab.svg', dark: 'file:modelslab.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description:
			'Edit images with ModelsLab: background removal, upscaling, outpainting, try-on, headshots, face swap and more',
		defaults: { name: 'ModelsLab Image Editing' },
		usableAsTool: true,
		...actionNodeParts(imageEditingCategory),
	};

	methods = nodeMethods(imageEditingCategory);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperation.call(this, imageEditingCategory);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleResumeCallback.call(this, imageEditingCategory);
	}
}
