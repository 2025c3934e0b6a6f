// Workflow shapes for the queue, load and bench runs (public-API JSON). The ModelsLab variants
// and n8n's own equivalents have the same number of nodes doing the same job.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Credential, WorkflowInput, WorkflowNode } from '../../../scripts/n8n';
import { CREDENTIAL_TYPE, nodeType } from '../support/stack';
import { chain, splitItemsNode, webhookNode } from '../support/workflows';

export const ACTION = 'ModelsLab';
export const LAST = 'Last';

export interface Shape {
	input: WorkflowInput;
	/** Production webhook path (POST <webhookBase>/webhook/<path>). */
	path: string;
	/** Id of the waiting node (ModelsLab or Wait). */
	waitNodeId?: string;
}

export function uniquePath(prefix: string): string {
	return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Last node: a No-Op, or an HTTP Request that tells the counter which job reached the end. */
function last(counterUrl: string | undefined, idExpression: string, x: number): WorkflowNode {
	if (!counterUrl)
		return {
			id: randomUUID(),
			name: LAST,
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [x, 0],
			parameters: {},
		};
	return {
		id: randomUUID(),
		name: LAST,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [x, 0],
		parameters: {
			method: 'POST',
			url: counterUrl,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={ "id": "{{ ${idExpression} }}", "execution": "{{ $execution.id }}" }`,
			options: {},
		},
	};
}

function workflow(name: string, path: string, nodes: WorkflowNode[], waitNodeId?: string): Shape {
	return {
		input: {
			name: `${name} ${path}`,
			settings: { executionOrder: 'v1' },
			nodes,
			connections: chain(nodes.map((n) => n.name)),
		},
		path,
		waitNodeId,
	};
}

/** ModelsLab Image, text2img in callback mode, with the given prompt expression. */
function callbackActionNode(
	credential: Credential,
	id: string,
	position: [number, number],
	prompt: string,
	options: Record<string, unknown> = {},
): WorkflowNode {
	return {
		id,
		name: ACTION,
		type: nodeType('modelsLabImage'),
		typeVersion: 1,
		position,
		credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
		parameters: {
			operation: 'text2img',
			modelId: 'flux',
			prompt,
			completion: 'callback',
			additionalFields: {},
			options,
		},
	};
}

/**
 * Webhook → ModelsLab Image text2img in callback mode → Last. With `splitItems`, a Split Out node
 * turns `body.items` (`[{prompt}]`) into one item each before the ModelsLab node.
 */
export function modelsLabCallbackWorkflow(
	credential: Credential,
	o: {
		counterUrl?: string;
		name?: string;
		splitItems?: boolean;
		options?: Record<string, unknown>;
	} = {},
): Shape {
	const path = uniquePath('scale-ml');
	const id = randomUUID();
	const action = callbackActionNode(
		credential,
		id,
		[440, 0],
		o.splitItems ? '={{ $json.prompt }}' : '={{ $json.body.prompt }}',
		o.options,
	);
	const nodes = [
		webhookNode(path),
		...(o.splitItems ? [splitItemsNode()] : []),
		action,
		last(o.counterUrl, '$json.id', 660),
	];
	return workflow(o.name ?? 'scale modelslab callback', path, nodes, id);
}

/**
 * Webhook → Split Out (`body.items`) → Loop Over Items (one item per round) → ModelsLab Image in
 * callback mode, back into the loop; the loop's "done" output → Last. The ModelsLab node parks
 * once per item, so one execution has as many node runs as items.
 */
export function modelsLabLoopWorkflow(credential: Credential, o: { name?: string } = {}): Shape {
	const path = uniquePath('scale-loop');
	const id = randomUUID();
	const nodes: WorkflowNode[] = [
		webhookNode(path),
		splitItemsNode(),
		{
			id: randomUUID(),
			name: 'Loop Over Items',
			type: 'n8n-nodes-base.splitInBatches',
			typeVersion: 3,
			position: [440, 0],
			parameters: { batchSize: 1, options: {} },
		},
		callbackActionNode(credential, id, [660, 100], '={{ $json.prompt }}'),
		last(undefined, '$json.id', 660),
	];
	const shape = workflow(o.name ?? 'scale modelslab loop', path, nodes, id);
	const connections = chain(['Webhook', 'Split Items', 'Loop Over Items']);
	// Loop Over Items: output 0 is "done", output 1 the next round.
	connections['Loop Over Items'] = {
		main: [[{ node: LAST, type: 'main', index: 0 }], [{ node: ACTION, type: 'main', index: 0 }]],
	};
	connections[ACTION] = { main: [[{ node: 'Loop Over Items', type: 'main', index: 0 }]] };
	shape.input.connections = connections;
	return shape;
}

/**
 * n8n's own pattern for the same job: Webhook → HTTP Request (submits to the simulator with
 * `webhook` = `$execution.resumeUrl`) → Wait "On Webhook Call" → Last.
 */
export function n8nWaitWorkflow(
	simBaseUrl: string,
	apiKey: string,
	o: { counterUrl?: string; name?: string } = {},
): Shape {
	const path = uniquePath('scale-wait');
	const waitId = randomUUID();
	const submit: WorkflowNode = {
		id: randomUUID(),
		name: 'Submit',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [220, 0],
		parameters: {
			method: 'POST',
			url: `${simBaseUrl}/v6/images/text2img`,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={ "key": "${apiKey}", "model_id": "flux", "prompt": "{{ $json.body.prompt }}", "webhook": "{{ $execution.resumeUrl }}" }`,
			options: {},
		},
	};
	const wait: WorkflowNode = {
		id: waitId,
		name: 'Wait',
		type: 'n8n-nodes-base.wait',
		typeVersion: 1.1,
		position: [440, 0],
		webhookId: randomUUID(),
		parameters: { resume: 'webhook', httpMethod: 'POST', responseMode: 'onReceived', options: {} },
	};
	return workflow(
		o.name ?? 'scale n8n wait',
		path,
		[webhookNode(path), submit, wait, last(o.counterUrl, '$json.body.id', 660)],
		waitId,
	);
}

/** ModelsLab Trigger (Track ID filter, options, optionally a credential) → Last. */
export function triggerWorkflow(o: {
	trackId: string;
	counterUrl?: string;
	name?: string;
	options?: Record<string, unknown>;
	credential?: Credential;
}): Shape {
	const path = uniquePath('scale-trigger');
	const trigger: WorkflowNode = {
		id: randomUUID(),
		name: 'ModelsLab Trigger',
		type: nodeType('modelsLabTrigger'),
		typeVersion: 1.1,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { path, trackId: o.trackId, options: o.options ?? {} },
		...(o.credential
			? { credentials: { [CREDENTIAL_TYPE]: { id: o.credential.id, name: o.credential.name } } }
			: {}),
	};
	return workflow(o.name ?? 'scale trigger', path, [trigger, last(o.counterUrl, '$json.id', 220)]);
}

/**
 * n8n's own filter: Webhook → IF (`body.track_id` starts with `prefix`) → Last on the true branch.
 * Without `prefix`: Webhook → Last (no filter).
 */
export function plainWebhookWorkflow(o: {
	prefix?: string;
	counterUrl?: string;
	name?: string;
}): Shape {
	const path = uniquePath('scale-hook');
	const hook = webhookNode(path);
	const end = last(o.counterUrl, '$json.body.id', 440);
	if (o.prefix === undefined)
		return workflow(o.name ?? 'scale plain webhook', path, [hook, { ...end, position: [220, 0] }]);
	const filter: WorkflowNode = {
		id: randomUUID(),
		name: 'IF',
		type: 'n8n-nodes-base.if',
		typeVersion: 2,
		position: [220, 0],
		parameters: {
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'loose' },
				conditions: [
					{
						id: randomUUID(),
						leftValue: '={{ $json.body.track_id }}',
						rightValue: o.prefix,
						operator: { type: 'string', operation: 'startsWith' },
					},
				],
				combinator: 'and',
			},
			options: {},
		},
	};
	const shape = workflow(o.name ?? 'scale webhook + IF', path, [hook, filter, end]);
	// IF's true branch only.
	shape.input.connections.IF = { main: [[{ node: LAST, type: 'main', index: 0 }], []] };
	return shape;
}
