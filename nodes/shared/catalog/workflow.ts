import type { CategorySpec, FieldSpec } from './types';

const workflowId: FieldSpec = {
	name: 'workflow_id',
	kind: 'string',
	required: true,
	displayName: 'Workflow ID',
	description: 'UUID of the ModelsLab workflow',
	picker: 'workflows',
};

export const workflowCategory: CategorySpec = {
	category: 'workflow',
	defaultWaitMinutes: 60,
	defaultFetchPath: '/v1/workflows/{workflow_id}/runs/{id}',
	endpoints: [
		{
			type: 'submit',
			category: 'workflow',
			operation: 'run',
			displayName: 'Run',
			action: 'Run a workflow',
			description: 'Start a run of a ModelsLab workflow with its own parameters',
			path: '/v1/workflows/{workflow_id}/run',
			method: 'POST',
			auth: 'headerKey',
			fetchPath: '/v1/workflows/{workflow_id}/runs/{id}',
			trackId: 'none',
			// The Workflows API takes its callback URL from the workflow's own settings, not from the request.
			webhook: false,
			jobKind: 'workflowRun',
			pathFields: ['workflow_id'],
			fields: [
				workflowId,
				{
					name: 'inputs',
					kind: 'json',
					required: true,
					description:
						"The workflow's own parameters as a JSON object; its keys are sent as the request body itself, not under `inputs`",
					placeholder: '{"prompt": "A sunset"}',
				},
			],
			example: {
				workflow_id: '0b6f3c2e-7d41-4a8e-9c35-2f1d8e6a4b90',
				inputs: { prompt: 'A sunset' },
			},
			notice:
				'Each workflow allows 10 runs a minute by default; its callback URL is set on the workflow itself',
		},
		{
			type: 'read',
			category: 'workflow',
			operation: 'getRun',
			displayName: 'Get Run',
			action: 'Get the status of a workflow run',
			description: 'Read the status and output of a workflow run by its execution ID',
			method: 'GET',
			auth: 'headerKey',
			path: '/v1/workflows/{workflow_id}/runs/{execution_id}',
			jobKind: 'workflowRun',
			pathFields: ['workflow_id', 'execution_id'],
			fields: [
				workflowId,
				{
					name: 'execution_id',
					kind: 'string',
					required: true,
					displayName: 'Execution ID',
					description: 'The `execution_id` ModelsLab returned when the run was started',
				},
			],
			example: { workflow_id: '0b6f3c2e-7d41-4a8e-9c35-2f1d8e6a4b90', execution_id: '12345' },
		},
	],
};
