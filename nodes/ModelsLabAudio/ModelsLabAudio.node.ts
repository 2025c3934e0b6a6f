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
import { audioCategory } from '../shared/catalog/audio';
import { handleResumeCallback } from '../shared/completion/resumeWebhook';

export class ModelsLabAudio implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ModelsLab Audio',
		name: 'modelsLabAudio',
		icon: { light: 'file:modelslab.svg', dark: 'file:modelslab.dark.svg' },
		group: ['transform'],
		// 1.1 offers the account's models, voices or workflows as resource locators; version 1
		// nodes keep their plain-string IDs (docs/public-names.md §4).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Generate speech, voice conversions, music and songs with ModelsLab',
		defaults: { name: 'ModelsLab Audio' },
		usableAsTool: true,
		...actionNodeParts(audioCategory),
	};

	methods = nodeMethods(audioCategory);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperation.call(this, audioCategory);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleResumeCallback.call(this, audioCategory);
	}
}
