// Workflow JSON for the e2e scenarios, as the public API takes it.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Connections, Credential, WorkflowInput, WorkflowNode } from '../../../scripts/n8n';
import { CREDENTIAL_TYPE, nodeType } from './stack';

/** The node settings the scenarios need beyond scripts/n8n's WorkflowNode (public API accepts them). */
export type E2eNode = WorkflowNode & {
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	executeOnce?: boolean;
};

export const ACTION_NODE = 'ModelsLab';
export const AFTER_NODE = 'After ModelsLab';
export const SPLIT_NODE = 'Split Items';
export const TRIGGER_NODE = 'ModelsLab Trigger';
export const NOTIFY_NODE = 'Notify';
export const DOWNLOAD_NODE = 'Download';

/** A file an HTTP Request node downloads into a binary property before the ModelsLab node. */
export interface Download {
	url: string;
	/** The binary property it lands in (HTTP Request's "Put Output in Field"). */
	property: string;
}

export interface ActionWorkflow {
	input: WorkflowInput;
	/** Webhook path: POST /webhook/<path> starts it. */
	path: string;
	/** Id of the ModelsLab node: the resume URL ends in /webhook-waiting/<execution id>/<this>. */
	actionNodeId: string;
}

export function uniquePath(prefix: string): string {
	return `${prefix}-${randomBytes(4).toString('hex')}`;
}

function credentialRef(c: Credential): Record<string, { id: string; name: string }> {
	return { [CREDENTIAL_TYPE]: { id: c.id, name: c.name } };
}

/** Connects each node to the next, output 0 to input 0. */
export function chain(names: string[]): Connections {
	const out: Connections = {};
	for (let i = 0; i + 1 < names.length; i++)
		out[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	return out;
}

/** A production Webhook trigger (POST, answers at once) on `path`. */
export function webhookNode(path: string): E2eNode {
	return {
		id: randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
	};
}

/** Split Out: one item per entry of the webhook body's `items`. */
export function splitItemsNode(): E2eNode {
	return {
		id: randomUUID(),
		name: SPLIT_NODE,
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [220, 0],
		parameters: { fieldToSplitOut: 'body.items', include: 'noOtherFields', options: {} },
	};
}

function noOp(name: string, x: number): E2eNode {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [x, 0],
		parameters: {},
	};
}

/**
 * Webhook (onReceived) → [Split Items: one item per entry of body.items] → ModelsLab node → No-Op.
 * `parameters` are the ModelsLab node's; expressions see the webhook item ($json.body) or, with
 * splitItems, one entry of body.items ($json).
 */
export function actionWorkflow(o: {
	name: string;
	/** Node type name without the package prefix, e.g. modelsLabImage. */
	node: string;
	parameters: Record<string, unknown>;
	credential: Credential;
	onError?: E2eNode['onError'];
	splitItems?: boolean;
	/** Adds a branch after the ModelsLab node that POSTs once per run to this URL: counts downstream runs. */
	notifyUrl?: string;
	/** HTTP Request nodes before the ModelsLab node, in order; each keeps the binaries it receives. */
	downloads?: Download[];
}): ActionWorkflow {
	const path = uniquePath('ml');
	const actionNodeId = randomUUID();
	const action: E2eNode = {
		id: actionNodeId,
		name: ACTION_NODE,
		type: nodeType(o.node),
		typeVersion: 1,
		position: [440, 0],
		credentials: credentialRef(o.credential),
		parameters: o.parameters,
		...(o.onError ? { onError: o.onError } : {}),
	};
	const nodes = [
		webhookNode(path),
		...(o.splitItems ? [splitItemsNode()] : []),
		...(o.downloads ?? []).map((download, index) => downloadNode(download, index)),
		action,
		noOp(AFTER_NODE, 660),
	];
	const connections = chain(nodes.map((n) => n.name));
	if (o.notifyUrl) {
		nodes.push(notifyNode(o.notifyUrl));
		connections[ACTION_NODE].main[0].push({ node: NOTIFY_NODE, type: 'main', index: 0 });
	}
	return {
		input: {
			name: `e2e ${o.name} ${path}`,
			settings: { executionOrder: 'v1' },
			nodes,
			connections,
		},
		path,
		actionNodeId,
	};
}

/** HTTP Request with Response Format File: the file lands in `download.property` of the item. */
function downloadNode(download: Download, index: number): E2eNode {
	return {
		id: randomUUID(),
		name: `${DOWNLOAD_NODE} ${index + 1}`,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [220, 200 + index * 120],
		parameters: {
			url: download.url,
			options: {
				response: { response: { responseFormat: 'file', outputPropertyName: download.property } },
			},
		},
	};
}

/**
 * HTTP Request, once per run (executeOnce): a side effect outside n8n, so a resume that ran the
 * downstream nodes twice shows even where the saved execution looks normal (1.123).
 */
function notifyNode(url: string): E2eNode {
	return {
		id: randomUUID(),
		name: NOTIFY_NODE,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [660, 200],
		executeOnce: true,
		parameters: {
			method: 'POST',
			url,
			sendBody: true,
			specifyBody: 'json',
			jsonBody:
				'={{ JSON.stringify({ executionId: $execution.id, items: $input.all().map(i => i.json.id) }) }}',
			options: {},
		},
	};
}

/** ModelsLab Trigger → No-Op. */
export function triggerWorkflow(o: {
	name: string;
	trackId?: string;
	statuses?: string[];
	options?: Record<string, unknown>;
	credential?: Credential;
	typeVersion?: number;
}): {
	input: WorkflowInput;
	path: string;
} {
	const path = uniquePath('mltrigger');
	const trigger: E2eNode = {
		id: randomUUID(),
		name: TRIGGER_NODE,
		type: nodeType('modelsLabTrigger'),
		// 1.1 is what the editor adds; 1 is what workflows built before it keep.
		typeVersion: o.typeVersion ?? 1.1,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: {
			path,
			trackId: o.trackId ?? '',
			...(o.statuses ? { statuses: o.statuses } : {}),
			options: o.options ?? {},
		},
		...(o.credential ? { credentials: credentialRef(o.credential) } : {}),
	};
	const nodes = [trigger, noOp(AFTER_NODE, 220)];
	return {
		input: {
			name: `e2e ${o.name} ${path}`,
			settings: { executionOrder: 'v1' },
			nodes,
			connections: chain(nodes.map((n) => n.name)),
		},
		path,
	};
}
