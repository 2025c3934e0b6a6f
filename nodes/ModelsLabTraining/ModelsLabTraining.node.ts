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
import { trainingCategory } from '../shared/catalog/training';
import { handleResumeCallback } from '../shared/completion/resumeWebhook';

export class ModelsLabTraining implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ModelsLab Training',
		name: 'modelsLabTraining',
		icon: { light: 'file:modelslab.svg', dark: 'file:modelslab.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Train LoRA and DreamBooth models on ModelsLab and wait until they are ready',
		defaults: { name: 'ModelsLab Training' },
		usableAsTool: true,
		...actionNodeParts(trainingCategory),
	};

	methods = nodeMethods(trainingCategory);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperation.call(this, trainingCategory);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleResumeCallback.call(this, trainingCategory);
	}
}
