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
import { imageCategory } from '../shared/catalog/image';
import { handleResumeCallback } from '../shared/completion/resumeWebhook';

export class ModelsLabImage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ModelsLab Image',
		name: 'modelsLabImage',
		icon: { light: 'file:modelslab.svg', dark: 'file:modelslab.dark.svg' },
		group: ['transform'],
		// 1.1 offers the account's models, voices or workflows as resource locators; version 1
		// nodes keep their plain-string IDs (docs/public-names.md §4).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["operation"]}}',
		description:
			'Generate images with ModelsLab: text to image, image to image, inpainting and ControlNet',
		defaults: { name: 'ModelsLab Image' },
		usableAsTool: true,
		...actionNodeParts(imageCategory),
	};

	methods = nodeMethods(imageCategory);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperation.call(this, imageCategory);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleResumeCallback.call(this, imageCategory);
	}
}
