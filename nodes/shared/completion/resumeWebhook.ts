import type {
	IDataObject,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { getEndpoint } from '../catalog';
import type { CategorySpec, SubmitEndpointSpec } from '../catalog/types';
import { markResumeFailed } from '../n8n/internals';
import { PARAM } from '../parameters/commonParameters';
import { downloadSettings } from '../parameters/downloadSettings';
import { continuesOnFail } from '../parameters/nodeSettings';
import { parseCallback } from '../transport/callbackPayload';
import { CREDENTIAL_TYPE, type ModelsLabCredentials } from '../transport/context';
import { BatchEngine, engineFor, existingEngine, wasResumed } from './batchEngine';
import { CALLBACK_PARAM, verifyCallbackQuery } from './callbackUrl';
import { isTerminal } from './itemJob';
import { unfinishedAtDeadline } from './unfinished';
import { outputItems } from './outputItems';
import { readLedger, type RunLedger } from './runLedger';

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
 * Handles a callback to a waiting execution. Every genuine callback gets a 2xx at once; the
 * execution resumes only when every job of the node run is finished (or the wait limit passed, or
 * without Continue On Fail one failed), with one item per input item in input order. Interim,
 * foreign, malformed and duplicate callbacks leave it waiting; a callback without the run's MAC
 * gets 401.
 */
export async function handleResumeCallback(
	this: IWebhookFunctions,
	category: CategorySpec,
): Promise<IWebhookResponseData> {
	const query = this.getQueryData() as IDataObject;
	// This process's engine of the run holds its ledger: reading the saved one (every item of the
	// batch, checked field by field) again for each callback was about 40% of what n8n allocated
	// per callback in a batch of 1,000 (bench/README.md, P5).
	const known = existingEngine(runKey(this, query[CALLBACK_PARAM.run]));
	const ledger = known?.ledger ?? readLedger(this);
	if (!ledger) return keepWaiting('no ModelsLab jobs are recorded for this node run');
	const target = verifyCallbackQuery(query, ledger.run, ledger.items.length);
	if (!target) {
		this.getResponseObject().status(401).json({
			received: false,
			error: 'this callback URL does not belong to the waiting node run',
		});
		return { noWebhookResponse: true };
	}
	const endpoint = getEndpoint(category.category, ledger.operation) as SubmitEndpointSpec;
	if (wasResumed(runKey(this, ledger.run.id))) {
		return { webhookResponse: { received: true, accepted: true, duplicate: true } };
	}
	known?.attach(this);
	const engine = known ?? (await newEngine(this, ledger, endpoint));

	if ('item' in target) {
		const parsed = parseCallback(this.getBodyData());
		if (!parsed.ok) {
			engine.checkSoon(target.item);
			engine.wake();
			return keepWaiting(`malformed callback: ${parsed.reason}`);
		}
		const callback = parsed.callback;
		const ignored = engine.record(
			target.item,
			{
				kind: callback.kind,
				id: callback.id,
				phase: callback.phase,
				output: callback.output,
				message: callback.message,
				trainingStatus: callback.trainingStatus,
				raw: callback.raw,
			},
			callback.trackId,
			'callback',
		);
		if (ignored) return keepWaiting(ignored);
	}
	engine.wake();
	if (!engine.readyToResume()) {
		return {
			webhookResponse: { received: true, accepted: true, waitingFor: pendingCount(engine) },
		};
	}
	if (!engine.claimResume()) {
		return { webhookResponse: { received: true, accepted: true, duplicate: true } };
	}
	let answered = false;
	if (engine.deadlinePassed() && !engine.jobs.every(isTerminal)) {
		// The wait limit passed: what ModelsLab says now counts. Answer first (its 30 s window).
		this.getResponseObject().status(200).json({ received: true, accepted: true, resumed: true });
		answered = true;
		await engine.checkAllRunning();
	}
	return await resume(this, engine, answered);
}

/** Which run a callback names; its MAC is checked against the ledger afterwards. */
function runKey(context: IWebhookFunctions, runId: unknown): string {
	return `${context.getExecutionId()}:${context.getNode().id}:${String(runId)}`;
}

async function newEngine(
	context: IWebhookFunctions,
	ledger: RunLedger,
	endpoint: SubmitEndpointSpec,
): Promise<BatchEngine> {
	const node = context.getNode();
	// The credential is read once per engine, before it exists: background work cannot read it
	// (see transport/request.ts), and a callback arriving meanwhile must find it complete.
	const credentials = await context.getCredentials<ModelsLabCredentials>(CREDENTIAL_TYPE);
	const key = runKey(context, ledger.run.id);
	const engine = engineFor(
		key,
		() => new BatchEngine(key, ledger, endpoint, !continuesOnFail(node)),
	);
	engine.attach(context, credentials);
	return engine;
}

async function resume(
	context: IWebhookFunctions,
	engine: BatchEngine,
	answered: boolean,
): Promise<IWebhookResponseData> {
	const node = context.getNode();
	const options = context.getNodeParameter(PARAM.options, {}) as IDataObject;
	const download = downloadSettings(options);
	const resumed = { received: true, accepted: true, resumed: true };
	let handedOver = false;
	try {
		// Downloads can outlast ModelsLab's 30 s answer window: acknowledge first.
		if (download.enabled && !answered) context.getResponseObject().status(200).json(resumed);
		const outcome = await outputItems(context, node, engine.jobs, {
			continueOnFail: continuesOnFail(node),
			download,
			unfinished: (job) => unfinishedAtDeadline(node, job, engine.ledger),
		});
		handedOver = true;
		engine.close(true);
		if ('failure' in outcome) markResumeFailed(context, outcome.failure);
		const workflowData = ['failure' in outcome ? [] : outcome.items];
		return download.enabled || answered
			? { noWebhookResponse: true, workflowData }
			: { webhookResponse: resumed, workflowData };
	} finally {
		// A resume that broke before n8n took it may be claimed by the next callback.
		if (!handedOver) engine.releaseResume();
	}
}

function pendingCount(engine: BatchEngine): number {
	return engine.jobs.filter(
		(job) => !job.error && job.state?.phase !== 'success' && job.state?.phase !== 'failed',
	).length;
}

function keepWaiting(reason: string): IWebhookResponseData {
	return { webhookResponse: { received: true, accepted: false, reason } };
}
