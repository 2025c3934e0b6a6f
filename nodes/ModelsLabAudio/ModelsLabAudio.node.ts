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
import { audioCategory } from '../shared/catalog/audio';
import { handleResumeCallback } from '../shared/completion/resumeWebhook';

export class ModelsLabAudio implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ModelsLab Audio',
		name: 'modelsLabAudio',
		icon: { light: 'file:modelslab.svg', dark: 'file:modelslab.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Generate speech, voice conversions, music and songs with ModelsLab',
		defaults: { name: 'ModelsLab Audio' },
		usableAsTool: true,
		...actionNodeParts(audioCategory),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperation.call(this, audioCategory);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleResumeCallback.call(this, audioCategory);
	}
}
