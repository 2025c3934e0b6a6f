import type {
	IDataObject,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { getEndpoint } from '../catalog';
import type { CategorySpec, SubmitEndpointSpec } from '../catalog/types';
import { resumeIntoStep } from '../n8n/internals';
import { continuesOnFail } from '../parameters/nodeSettings';
import { parseCallback } from '../transport/callbackPayload';
import { CREDENTIAL_TYPE, type ModelsLabCredentials } from '../transport/context';
import { BatchEngine, engineFor, type StepReason } from './batchEngine';
import { CALLBACK_PARAM, verifyCallbackQuery } from './callbackUrl';
import { runKeyOf } from './park';
import { engines, wasFinished } from './processMemory';
import { handOverLedger, readLedger, savedCheckpoint, type RunLedger } from './runLedger';

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
 * Handles a request to a waiting node: a ModelsLab callback, or the run's own request to take a
 * step (`mlitem=sync`). Every genuine one gets a 2xx at once; one without the run's MAC gets 401.
 * The callback is recorded in this process's picture of the run (batchEngine.ts); the execution
 * resumes only when the run needs a step (runStep.ts): its last one (every item settled, the wait
 * limit passed, or a failure without Continue On Fail), or one that saves what changed. The step,
 * not this webhook, makes the node's output.
 */
export async function handleResumeCallback(
	this: IWebhookFunctions,
	category: CategorySpec,
): Promise<IWebhookResponseData> {
	const query = this.getQueryData() as IDataObject;
	const key = runKeyOf(
		this.getExecutionId() ?? '',
		this.getNode().id,
		String(query[CALLBACK_PARAM.run]),
	);
	if (wasFinished(key)) return answer({ accepted: true, duplicate: true });
	// This process's engine holds the run's picture; the saved ledger is parsed only when it is
	// newer (a step parked the run again) or no engine exists: n8n loads it for every callback,
	// and checking it field by field each time was most of what a batch of 1,000 allocated.
	const known = engines.get(key);
	const loadedCheckpoint = savedCheckpoint(this);
	const saved = known && !newerPark(loadedCheckpoint, known) ? undefined : readLedger(this);
	const ledger = known?.ledger ?? saved;
	if (!ledger) return keepWaiting('no ModelsLab jobs are recorded for this node run');
	const target = verifyCallbackQuery(query, ledger.run, ledger.items.length);
	if (!target) {
		this.getResponseObject()
			.status(401)
			.json({ received: false, error: 'refused', reason: 'bad_mac' });
		return { noWebhookResponse: true };
	}
	const endpoint = getEndpoint(category.category, ledger.operation) as SubmitEndpointSpec;
	const engine = known ?? newEngine(this, key, ledger, endpoint);
	if (known && saved) known.adopt(saved);
	// n8n runs this webhook only for a waiting execution: the park it loaded is saved.
	engine.parkSaved(loadedCheckpoint);

	if ('item' in target) {
		const parsed = parseCallback(this.getBodyData());
		if (!parsed.ok) {
			const job = engine.picture.jobs[target.item];
			if (job) engine.picture.tracker.readAt(job);
			await withCredentials(this, engine);
			engine.wake();
			return keepWaiting(`malformed callback: ${parsed.reason}`);
		}
		const { kind, id, phase, output, message, trainingStatus, raw, trackId } = parsed.callback;
		const ignored = engine.record(
			target.item,
			{ kind, id, phase, output, message, trainingStatus, raw },
			trackId,
			target.chain,
		);
		if (ignored) return keepWaiting(ignored);
	}
	const reason = engine.stepWanted();
	if (!reason || !engine.claimStep(reason)) {
		await withCredentials(this, engine);
		engine.wake();
		return answer({ accepted: true, waitingFor: engine.picture.pendingCount() });
	}
	if (reason !== 'final') await withCredentials(this, engine);
	// A last step needs no credential, but the engine asks n8n later whether it ran.
	else engine.attach(this);
	return takeStep(this, engine, reason);
}

/** Resumes the execution into the node's next step, with this process's picture of the run. */
function takeStep(
	context: IWebhookFunctions,
	engine: BatchEngine,
	reason: StepReason,
): IWebhookResponseData {
	const ledger = engine.ledgerForStep(reason);
	handOverLedger(context, ledger);
	const items = resumeIntoStep(context, ledger.run.id);
	if (!items) {
		engine.releaseStep();
		context.logger.warn(
			`ModelsLab: run ${ledger.run.id} was parked without its step; n8n resumes it at its wait limit`,
		);
		return keepWaiting('this node run cannot take its next step');
	}
	// The engine's ticker runs on until it sees the step (batchEngine.ts, askAfterClaimedStep).
	engine.wake();
	return {
		webhookResponse: { received: true, accepted: true, resumed: true },
		workflowData: [items],
	};
}

/** Whether a step parked the run again since the engine last saw its ledger. */
function newerPark(loadedCheckpoint: number | undefined, engine: BatchEngine): boolean {
	return loadedCheckpoint !== undefined && loadedCheckpoint > engine.ledger.checkpoint;
}

function newEngine(
	context: IWebhookFunctions,
	key: string,
	ledger: RunLedger,
	endpoint: SubmitEndpointSpec,
): BatchEngine {
	return engineFor(
		key,
		() => new BatchEngine(key, ledger, endpoint, !continuesOnFail(context.getNode())),
	);
}

/**
 * Background work needs the credential (it cannot read it once the webhook call has answered:
 * transport/request.ts), read once per engine. A callback that ends the run at once needs none:
 * most single-job runs never read it here.
 */
async function withCredentials(context: IWebhookFunctions, engine: BatchEngine): Promise<void> {
	if (engine.hasCredentials) return engine.attach(context);
	engine.attach(context, await context.getCredentials<ModelsLabCredentials>(CREDENTIAL_TYPE));
}

function answer(body: IDataObject): IWebhookResponseData {
	return { webhookResponse: { received: true, ...body } };
}

function keepWaiting(reason: string): IWebhookResponseData {
	return answer({ accepted: false, reason });
}
