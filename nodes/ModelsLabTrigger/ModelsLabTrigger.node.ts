import {
	NodeConnectionTypes,
	NodeOperationError,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/transport/context';
import { handleTriggerCallback } from './handleCallback';
import { refuse } from './responses';
import { triggerProperties } from './triggerProperties';
import {
	configurationProblem,
	guessablePathWarning,
	readTriggerSettings,
	withCredentialSettings,
} from './triggerSettings';
import { ownWebhookPath, webhookPathField } from './webhookPath';

export class ModelsLabTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ModelsLab Trigger',
		name: 'modelsLabTrigger',
		icon: { light: 'file:modelslab.svg', dark: 'file:modelslab.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves as 1. n8n evaluates an expression (a Webhook-node option) for every request to
		// a version-1 webhook node; from 1.1 it does not, so an ignored callback can cost n8n 2.x no
		// expression isolate (with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true).
		// 1.2: the path defaults to the node's own webhook id instead of "modelslab".
		version: [1, 1.1, 1.2],
		defaultVersion: 1.2,
		subtitle: '={{$parameter["trackId"] ? "track_id " + $parameter["trackId"] : "all jobs"}}',
		description: 'Starts the workflow when ModelsLab calls back with a job result',
		defaults: { name: 'ModelsLab Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Optional: its Trigger Secret, Verify With ModelsLab, and the output hosts of Download Outputs.
		credentials: [{ name: CREDENTIAL_TYPE, required: false }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// Without it n8n answers the literal text "firstEntryJson".
				responseData: '',
				...webhookPathField(),
				isFullPath: true,
			},
		],
		properties: triggerProperties,
	};

	// ModelsLab takes the callback URL with each request (`webhook`), so there is nothing to
	// register or remove on its side. checkExists only refuses to activate a workflow whose
	// settings would make every callback fail, so the user sees why at once.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const settings = readTriggerSettings(this);
				const problem = configurationProblem(settings, this.getNode());
				if (problem) throw new NodeOperationError(this.getNode(), problem);
				const warning = guessablePathWarning(
					ownWebhookPath(this),
					(await withCredentialSettings(this, settings)).secret,
				);
				if (warning) this.logger.warn(`ModelsLab Trigger "${this.getNode().name}": ${warning}`);
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		try {
			return await handleTriggerCallback.call(this);
		} catch (error) {
			// A throw here would make n8n answer 500 and still record a failed execution.
			const message = error instanceof Error ? error.message : String(error);
			this.logger.error(`ModelsLab Trigger: ${message}`);
			return refuse(this, { statusCode: 500, reason: 'internal_error', detail: message });
		}
	}
}
