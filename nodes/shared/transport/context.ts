import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	ISupplyDataFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

/** Every n8n context the transport runs in: node runs, resume webhooks and AI-tool calls. */
export type ModelsLabContext = IExecuteFunctions | IWebhookFunctions | ISupplyDataFunctions;

/** Where a request may come from: those, and the editor's list searches (resource locators). */
export type ModelsLabRequestContext = ModelsLabContext | ILoadOptionsFunctions;

export const CREDENTIAL_TYPE = 'modelsLabApi';

export interface ModelsLabCredentials {
	apiKey: string;
	baseUrl: string;
	/** The ModelsLab Trigger's shared secret (`?token=`), when set. */
	webhookSecret?: string;
	/** Hosts the trigger may download outputs from without verification (comma-separated). */
	outputHosts?: string;
}

/** `https://modelslab.com/api/` and `https://modelslab.com/api` mean the same. */
export function normaliseBaseUrl(baseUrl: string | undefined): string {
	return (baseUrl || 'https://modelslab.com/api').trim().replace(/\/+$/, '');
}
