// Webhook -> HTTP Request (POSTs the resume URL out) -> Wait "On Webhook Call" -> Set, n8n's own nodes only.
import { randomUUID } from 'node:crypto';
import type { WorkflowInput } from '../../../scripts/n8n';

export function waitWorkflow(opts: { path: string; receiverUrl: string }): WorkflowInput {
	return {
		name: `e2e wait round trip ${opts.path}`,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: {
					httpMethod: 'POST',
					path: opts.path,
					responseMode: 'onReceived',
					options: {},
				},
			},
			{
				name: 'Send Resume URL',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					method: 'POST',
					url: `${opts.receiverUrl}/callback`,
					sendBody: true,
					specifyBody: 'json',
					jsonBody:
						'={ "resumeUrl": "{{ $execution.resumeUrl }}", "executionId": "{{ $execution.id }}", "prompt": "{{ $json.body.prompt }}" }',
					options: {},
				},
			},
			{
				name: 'Wait',
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				position: [440, 0],
				webhookId: randomUUID(),
				parameters: {
					resume: 'webhook',
					httpMethod: 'POST',
					responseMode: 'onReceived',
					options: {},
				},
			},
			{
				name: 'Set',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [660, 0],
				parameters: {
					mode: 'manual',
					assignments: {
						assignments: [
							{
								id: randomUUID(),
								name: 'answer',
								value: '={{ $json.body.answer }}',
								type: 'string',
							},
						],
					},
					options: {},
				},
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Send Resume URL', type: 'main', index: 0 }]] },
			'Send Resume URL': { main: [[{ node: 'Wait', type: 'main', index: 0 }]] },
			Wait: { main: [[{ node: 'Set', type: 'main', index: 0 }]] },
		},
	};
}
