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
import { workflowCategory } from '../shared/catalog/workflow';
import { handleResumeCallback } from '../shared/completion/resumeWebhook';

export class ModelsLabWorkflow implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ModelsLab Workflow',
		name: 'modelsLabWorkflow',
		icon: { light: 'file:modelslab.svg', dark: 'file:modelslab.dark.svg' },
		group: ['transform'],
		// 1.1 offers the account's models, voices or workflows as resource locators; version 1
		// nodes keep their plain-string IDs (docs/public-names.md §4).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Run ModelsLab Workflows and read their runs',
		defaults: { name: 'ModelsLab Workflow' },
		usableAsTool: true,
		...actionNodeParts(workflowCategory),
	};

	methods = nodeMethods(workflowCategory);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperation.call(this, workflowCategory);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleResumeCallback.call(this, workflowCategory);
	}
}
