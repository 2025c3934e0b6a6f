import type {
	IDataObject,
	INodeExecutionData,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { PARAM } from '../parameters/commonParameters';
import { getEndpoint } from '../catalog';
import type { CategorySpec, SubmitEndpointSpec } from '../catalog/types';
import { parseCallback, type NormalisedCallback } from '../transport/callbackPayload';
import { continuesOnFail } from '../parameters/nodeSettings';
import { generatedTrackId } from '../parameters/trackId';
import { CREDENTIAL_TYPE, type ModelsLabCredentials } from '../transport/context';
import { fetchJob } from '../transport/jobs';
import type { JobState } from '../transport/jobState';
import { CALLBACK_TAG_PARAM, callbackTag, tagMatches } from './callbackUrl';
import { readLedger, type JobLedger } from './jobLedger';
import { markResumeFailed } from '../n8n/internals';
import { claimResume, releaseResume } from './resumeClaims';
import { downloadSettings } from '../parameters/downloadSettings';
import { errorItem, jobFailedError, successItem } from '../transport/results';

/**
 * The restart webhook every action node declares: the callback URL is the execution's resume URL
 * plus `/<node id>`, so a callback for another waiting node of the same execution gets a 404.
 * A named constant, because n8n's lint demands webhook lifecycle methods for inline arrays,
 * which a resume webhook has no use for.
 */
export const RESUME_WEBHOOKS: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		// Without it n8n answers the literal text "firstEntryJson".
		responseData: '',
		path: '={{ $nodeId }}',
		restartWebhook: true,
		isFullPath: true,
	},
];

/**
 * Handles a callback to a waiting execution. Answers every genuine callback with a 2xx quickly;
 * resumes the execution only when every job of this node run is terminal, with one item per
 * input item in input order. Interim, foreign, malformed and duplicate callbacks leave it waiting.
 */
export async function handleResumeCallback(
	this: IWebhookFunctions,
	category: CategorySpec,
): Promise<IWebhookResponseData> {
	const node = this.getNode();
	const executionId = this.getExecutionId();
	const ledger = readLedger(this);
	// Parked with a signed resume URL: n8n (2.14+) checked its token before this code ran, so the
	// tag (which needs a credential read) would prove nothing more.
	if (!ledger?.signedResume && !(await carriesTag(this, executionId, node.id))) {
		this.getResponseObject()
			.status(401)
			.json({ received: false, error: 'This callback does not carry the tag of this execution' });
		return { noWebhookResponse: true };
	}

	const parsed = parseCallback(this.getBodyData());
	if (!parsed.ok) return keepWaiting(`malformed callback: ${parsed.reason}`);
	const callback = parsed.callback;
	if (!ledger) return keepWaiting('no jobs are recorded for this node run');
	if (!ledger.entries.some((entry) => 'jobId' in entry && entry.jobId === callback.id)) {
		return keepWaiting(`job ${callback.id} was not submitted by this node run`);
	}
	if (callback.phase === 'pending')
		return { webhookResponse: { received: true, accepted: true, waiting: true } };

	const endpoint = getEndpoint(category.category, ledger.operation) as SubmitEndpointSpec;
	const states = await currentStates.call(this, endpoint, ledger, callback);
	const waitingFor = states.filter((state) => state?.phase === 'pending').length;
	if (waitingFor > 0) return { webhookResponse: { received: true, accepted: true, waitingFor } };
	const run = ledger.entries.map((entry) => ('jobId' in entry ? entry.jobId : '-')).join(',');
	if (!claimResume(executionId, node.id, run))
		return { webhookResponse: { received: true, accepted: true, duplicate: true } };

	let handedOver = false;
	try {
		const options = this.getNodeParameter(PARAM.options, {}) as IDataObject;
		const download = downloadSettings(options);
		const resumed = { received: true, accepted: true, resumed: true };
		// Downloads can outlast ModelsLab's 30 s answer window: acknowledge first.
		if (download.enabled) this.getResponseObject().status(200).json(resumed);
		const items = await outputItems.call(this, endpoint, ledger, states, download);
		handedOver = true;
		if ('failure' in items) markResumeFailed(this, items.failure);
		const workflowData = ['failure' in items ? [] : items.items];
		return download.enabled
			? { noWebhookResponse: true, workflowData }
			: { webhookResponse: resumed, workflowData };
	} finally {
		// A resume that broke before n8n took it may be claimed by the next callback.
		if (!handedOver) releaseResume(executionId, node.id, run);
	}
}

async function carriesTag(
	context: IWebhookFunctions,
	executionId: string,
	nodeId: string,
): Promise<boolean> {
	const { apiKey } = await context.getCredentials<ModelsLabCredentials>(CREDENTIAL_TYPE);
	const query = context.getQueryData() as IDataObject;
	return tagMatches(query[CALLBACK_TAG_PARAM], callbackTag(apiKey, executionId, nodeId));
}

function keepWaiting(reason: string): IWebhookResponseData {
	return { webhookResponse: { received: true, accepted: false, reason } };
}

/**
 * Every job's state: the callback for its own job, the fetch endpoint for the others (n8n keeps
 * nothing between two callbacks of one waiting execution). A job that cannot be read counts as
 * pending: a later callback or the wait limit settles it.
 */
async function currentStates(
	this: IWebhookFunctions,
	endpoint: SubmitEndpointSpec,
	ledger: JobLedger,
	callback: NormalisedCallback,
): Promise<Array<JobState | undefined>> {
	return await Promise.all(
		ledger.entries.map(async (entry, itemIndex): Promise<JobState | undefined> => {
			if (!('jobId' in entry)) return undefined;
			if (entry.jobId === callback.id) {
				return {
					kind: callback.kind,
					id: callback.id,
					phase: callback.phase,
					output: callback.output,
					message: callback.message,
					trainingStatus: callback.trainingStatus,
					raw: callback.raw,
				};
			}
			try {
				return await fetchJob.call(
					this,
					endpoint.jobKind,
					endpoint.fetchPath,
					{ id: entry.jobId },
					itemIndex,
				);
			} catch {
				return { kind: endpoint.jobKind, id: entry.jobId, phase: 'pending', output: [], raw: {} };
			}
		}),
	);
}

async function outputItems(
	this: IWebhookFunctions,
	endpoint: SubmitEndpointSpec,
	ledger: JobLedger,
	states: Array<JobState | undefined>,
	download: ReturnType<typeof downloadSettings>,
): Promise<{ items: INodeExecutionData[] } | { failure: Error }> {
	const node = this.getNode();
	const continueOnFail = continuesOnFail(node);
	const items: INodeExecutionData[] = [];
	for (const [itemIndex, entry] of ledger.entries.entries()) {
		const state = states[itemIndex];
		const trackId = trackIdOf(this, endpoint, itemIndex);
		let failure: Error | undefined;
		if (!state) failure = new Error('error' in entry ? entry.error : 'The job was not submitted');
		else if (state.phase === 'failed') failure = jobFailedError(node, state, itemIndex);
		else {
			try {
				items.push(await successItem(this, state, trackId, itemIndex, download));
			} catch (error) {
				failure = error instanceof Error ? error : new Error(String(error));
			}
		}
		if (failure && !continueOnFail) return { failure };
		if (failure) items.push(errorItem(failure, itemIndex, state, trackId));
	}
	return { items };
}

/** The item's track id as execute() sent it: the user's parameter, or the generated one. */
function trackIdOf(
	context: IWebhookFunctions,
	endpoint: SubmitEndpointSpec,
	itemIndex: number,
): string {
	if (endpoint.trackId === 'none') return '';
	const node = context.getNode();
	const raw = node.parameters[PARAM.trackId];
	let given = '';
	if (typeof raw === 'string' && raw.startsWith('=')) {
		// evaluateExpression() adds the leading "=" itself; the input items are the waiting node's.
		given = String(context.evaluateExpression(raw.slice(1), itemIndex) ?? '').trim();
	} else if (raw !== undefined && raw !== null) {
		given = String(raw).trim();
	}
	return given || generatedTrackId(endpoint.trackId, context.getExecutionId(), node.id, itemIndex);
}
