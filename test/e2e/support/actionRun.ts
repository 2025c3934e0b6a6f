// Starting an action-node workflow through its webhook and finding what it submitted.
import type { IDataObject } from 'n8n-workflow';
import { getEndpoint } from '../../../nodes/shared/catalog';
import type { Category } from '../../../nodes/shared/catalog/types';
import type { Workflow } from '../../../scripts/n8n';
import type { SimJob } from '../../simulator';
import { CONTRACT_OPERATIONS } from '../../support/contractOperations';
import { parametersFromExample } from '../../support/uiParameters';
import { deploy, postWebhook } from './deploy';
import { newJobs } from './executions';
import type { ScenarioTrace } from './report';
import type { E2eStack } from './stack';
import { actionWorkflow, type ActionWorkflow, type Download, type E2eNode } from './workflows';

export type CompletionMode = 'callback' | 'poll' | 'submit';

/** Valid parameters for an operation (the catalog's example body) plus the scenario's own. */
export function operationParameters(
	category: Category,
	operation: string,
	extra: IDataObject,
): Record<string, unknown> {
	return parametersFromExample(getEndpoint(category, operation), extra);
}

export interface StartedAction {
	workflow: Workflow;
	wf: ActionWorkflow;
	/** The jobs the run submitted, in submit order. */
	jobs: SimJob[];
}

/**
 * Deploys Webhook → ModelsLab node → No-Op, POSTs `body` to the webhook and waits until the node
 * has submitted `jobCount` jobs to the simulator.
 */
export async function startAction(
	stack: E2eStack,
	trace: ScenarioTrace,
	o: {
		name: string;
		category: Category;
		parameters: Record<string, unknown>;
		body?: unknown;
		jobCount?: number;
		onError?: E2eNode['onError'];
		splitItems?: boolean;
		notifyUrl?: string;
		downloads?: Download[];
	},
): Promise<StartedAction> {
	const wf = actionWorkflow({
		name: o.name,
		node: CONTRACT_OPERATIONS[o.category].nodeType,
		parameters: o.parameters,
		credential: stack.credential,
		onError: o.onError,
		splitItems: o.splitItems,
		notifyUrl: o.notifyUrl,
		downloads: o.downloads,
	});
	const workflow = await deploy(stack, wf, trace);
	const before = new Set(stack.sim.jobs.keys());
	const res = await postWebhook(stack, wf.path, o.body ?? {});
	if (res.status !== 200) throw new Error(`POST /webhook/${wf.path} -> ${res.status}: ${res.text}`);
	const jobs = await newJobs(stack.sim, before, o.jobCount ?? 1);
	return { workflow, wf, jobs };
}

/** HTTP statuses n8n answered to the simulator's callbacks for a job. */
export function callbackStatuses(stack: E2eStack, jobId: string): Array<number | string> {
	return stack.sim.callbacks
		.filter((c) => c.jobId === jobId)
		.map((c) => c.status ?? `error ${c.error}`);
}
