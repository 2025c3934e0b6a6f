import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class ModelsLabApi implements ICredentialType {
	name = 'modelsLabApi';

	displayName = 'ModelsLab API';

	icon: Icon = { light: 'file:../icons/modelslab.svg', dark: 'file:../icons/modelslab.dark.svg' };

	documentationUrl = 'https://docs.modelslab.com/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Create one at modelslab.com/dashboard/api-keys; it is shown only once',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://modelslab.com/api',
			required: true,
			description:
				'Where requests go, without a trailing slash. Change it only for a proxy or a local ModelsLab simulator.',
		},
		{
			displayName: 'Trigger Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. A ModelsLab Trigger using this credential accepts only callbacks whose URL ends in ?token=<this secret> (ModelsLab does not sign callbacks). Stored encrypted, unlike a node parameter.',
		},
		{
			displayName: 'Output Hosts',
			name: 'outputHosts',
			type: 'string',
			default: '',
			placeholder: 'cdn.example.com, *.r2.dev',
			description:
				"Optional. Hosts a ModelsLab Trigger may download output files from when a callback was not verified with ModelsLab, comma-separated, * for a subdomain. Empty: ModelsLab's own output hosts and the Base URL's host.",
		},
	];

	// v3-v7 endpoints read the key from the JSON body; the Workflows API reads it from a `key` header.
	// Sending both is harmless and keeps one credential for every endpoint.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			body: { key: '={{$credentials.apiKey}}' },
			headers: { key: '={{$credentials.apiKey}}' },
		},
	};

	// request_count is authenticated, cheap and starts no job. The API reports a bad key either as an
	// HTTP error or as HTTP 200 with `status: "error"`, so both fail the test.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/v6/processing/request_count',
			method: 'POST',
			body: {},
			json: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'status',
					value: 'error',
					message: 'ModelsLab rejected the API key: check it at modelslab.com/dashboard/api-keys',
				},
			},
		],
	};
}
