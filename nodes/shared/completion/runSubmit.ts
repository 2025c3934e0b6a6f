import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	ISupplyDataFunctions,
} from 'n8n-workflow';

import { OPTION, PARAM, type CompletionMode } from '../parameters/commonParameters';
import { parameterName } from '../parameters/fieldNames';
import type { CategorySpec, SubmitEndpointSpec } from '../catalog/types';
import { resumeUrlOf } from '../n8n/internals';
import { CREDENTIAL_TYPE, type ModelsLabCredentials } from '../transport/context';
import { buildCallbackUrl, callbackTag, isSignedByN8n } from './callbackUrl';
import { finishItems } from './finishItems';
import { writeLedger } from './jobLedger';
import { pollJobs, type PolledJob } from './poll';
import { downloadSettings } from '../parameters/downloadSettings';
import { errorItem, receiptJson } from '../transport/results';
import { submitItemJobs, type ItemJob } from './submitJobs';

type RunContext = IExecuteFunctions | ISupplyDataFunctions;

/**
 * Jobs whose ETA is at most this many seconds are polled briefly before the execution parks:
 * a callback that reaches n8n before it has saved the execution as waiting is answered 409 and
 * lost (n8n-notes §8, pitfall 12).
 */
const QUICK_CHECK_MAX_ETA_S = 15;
const QUICK_CHECK_MAX_S = 20;

/** Submits one job per input item and completes it in the chosen mode. */
export async function runSubmitOperation(
	this: RunContext,
	category: CategorySpec,
	endpoint: SubmitEndpointSpec,
): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const items = this.getInputData();
	const options = this.getNodeParameter(PARAM.options, 0, {}) as IDataObject;
	const requested = this.getNodeParameter(PARAM.completion, 0, 'callback') as CompletionMode;
	const mode = effectiveMode(this, requested, endpoint);
	const continueOnFail = this.continueOnFail();
	const waitLimitMs = Number(options[OPTION.waitLimit] || category.defaultWaitMinutes) * 60_000;
	const download = downloadSettings(options);

	const callbackUrl =
		mode === 'callback'
			? await callbackUrlOf(this as IExecuteFunctions)
			: resultWebhookOf(options, mode, endpoint);
	const jobs = await submitItemJobs.call(this, endpoint, items.length, callbackUrl, continueOnFail);

	if (mode === 'submit') {
		return [
			jobs.map((job) =>
				job.state
					? { json: receiptJson(job.state, job.trackId), pairedItem: { item: job.itemIndex } }
					: errorItem(
							job.error ?? new Error('not submitted'),
							job.itemIndex,
							undefined,
							job.trackId,
						),
			),
		];
	}

	if (mode === 'poll') {
		await pollPending.call(this, endpoint, jobs, {
			deadline: Date.now() + waitLimitMs,
			intervalSeconds: Number(options[OPTION.pollInterval] || 0),
		});
		const hint = `It did not finish within the wait limit of ${waitLimitMs / 60_000} min. Read it later with the Get Result operation (request ID {id}), or raise "Wait Limit (Minutes)".`;
		return [await finishItems(this, node, jobs, download, continueOnFail, hint)];
	}

	// callback: short jobs may finish before n8n could take their callback; look before parking.
	const pending = jobs.filter((job) => job.state?.phase === 'pending');
	const longestEta = Math.max(
		0,
		...pending.map((job) => job.state?.eta ?? Number.POSITIVE_INFINITY),
	);
	if (pending.length && longestEta <= QUICK_CHECK_MAX_ETA_S) {
		const quickCheckMs = Math.min(longestEta * 1.5 + 2, QUICK_CHECK_MAX_S) * 1000;
		await pollPending.call(this, endpoint, jobs, {
			deadline: Date.now() + quickCheckMs,
			intervalSeconds: 0,
		});
	}
	if (!jobs.some((job) => job.state?.phase === 'pending')) {
		return [await finishItems(this, node, jobs, download, continueOnFail, '')];
	}

	const context = this as IExecuteFunctions;
	writeLedger(context, {
		operation: endpoint.operation,
		signedResume: callbackUrl !== undefined && isSignedByN8n(callbackUrl),
		entries: jobs.map((job) =>
			job.state ? { jobId: job.state.id } : { error: job.error?.message ?? 'not submitted' },
		),
	});
	await context.putExecutionToWait(new Date(Date.now() + waitLimitMs));
	// Replaced by the resume webhook's output; passed through unchanged if the wait limit passes.
	return [items];
}

/**
 * Callback mode needs a resume webhook: an AI-agent tool call has none (no putExecutionToWait)
 * and the Workflows API takes no per-run callback URL, so both poll instead.
 */
function effectiveMode(
	context: RunContext,
	requested: CompletionMode,
	endpoint: SubmitEndpointSpec,
): CompletionMode {
	if (requested !== 'callback') return requested;
	const canPark = typeof (context as Partial<IExecuteFunctions>).putExecutionToWait === 'function';
	return canPark && endpoint.webhook ? 'callback' : 'poll';
}

async function callbackUrlOf(context: IExecuteFunctions): Promise<string> {
	const node = context.getNode();
	const { apiKey } = await context.getCredentials<ModelsLabCredentials>(CREDENTIAL_TYPE);
	return buildCallbackUrl(
		resumeUrlOf(context),
		node.id,
		callbackTag(apiKey, context.getExecutionId(), node.id),
	);
}

/** Submit Only may name a URL (typically a ModelsLab Trigger) that receives the result. */
function resultWebhookOf(
	options: IDataObject,
	mode: CompletionMode,
	endpoint: SubmitEndpointSpec,
): string | undefined {
	const url = String(options[OPTION.resultWebhookUrl] ?? '').trim();
	return mode === 'submit' && endpoint.webhook && url ? url : undefined;
}

/** Polls the jobs still pending, in place. */
async function pollPending(
	this: RunContext,
	endpoint: SubmitEndpointSpec,
	jobs: ItemJob[],
	schedule: { deadline: number; intervalSeconds: number },
): Promise<void> {
	const pending = jobs.filter((job) => job.state?.phase === 'pending');
	const polled: PolledJob[] = pending.map((job) => ({
		kind: endpoint.jobKind,
		fetchPath: endpoint.fetchPath,
		pathValues: fetchPathValues(this, endpoint, job),
		itemIndex: job.itemIndex,
		state: job.state as NonNullable<ItemJob['state']>,
	}));
	const states = await pollJobs.call(this, polled, schedule);
	pending.forEach((job, index) => (job.state = states[index]));
}

/** `{id}` plus the submit's own path fields (a workflow run's status path needs `workflow_id`). */
function fetchPathValues(
	context: RunContext,
	endpoint: SubmitEndpointSpec,
	job: ItemJob,
): Record<string, unknown> {
	const values: Record<string, unknown> = { id: job.state?.id };
	for (const name of endpoint.pathFields ?? []) {
		values[name] = context.getNodeParameter(parameterName(name), job.itemIndex, '');
	}
	return values;
}
