import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type ISupplyDataFunctions,
} from 'n8n-workflow';

import type { CategorySpec, SubmitEndpointSpec } from '../catalog/types';
import { resumeUrlOf, runIndexOf, stepRunIdOf } from '../n8n/internals';
import { OPTION, PARAM, type CompletionMode } from '../parameters/commonParameters';
import { downloadSettings } from '../parameters/downloadSettings';
import { prepareItemRequests } from '../parameters/itemRequests';
import { MAX_ITEMS_PER_RUN, type TrackIdOrigin } from '../parameters/trackId';
import { CREDENTIAL_TYPE, type ModelsLabCredentials } from '../transport/context';
import { probeOwnUrl, unreachableCallbackReason } from '../transport/reachability';
import { errorItem, receiptJson } from '../transport/results';
import { callbackBase, callbackUrlFor, newRunKey, PROBE_ITEM, type RunKey } from './callbackUrl';
import { runInProcess } from './inProcessRun';
import { isQueued, isRunning, isSettled, isUnsure, type ItemJob } from './itemJob';
import { Lanes } from './lanes';
import { failureWithRunningJobs, outputItems } from './outputItems';
import { park } from './park';
import { attempts, currentProcess, pruneAttempts } from './processMemory';
import { RunPicture } from './runPicture';
import { ledgerItemOf, readStepLedger, type RunLedger } from './runLedger';
import { runStep } from './runStep';
import { submitWave, type Submitter } from './submissions';
import { unfinishedError } from './unfinished';

type RunContext = IExecuteFunctions | ISupplyDataFunctions;

/**
 * Jobs this fast (ETA in seconds) may finish before n8n has saved the park, when their callbacks
 * are refused (docs/n8n-internals.md §5.1): each is read once if no callback came by twice its ETA.
 */
const QUICK_ETA_S = 15;
const MIN_QUICK_READ_MS = 10_000;

/** Submits one job per input item and completes the run in the chosen mode. */
export async function runSubmitOperation(
	this: RunContext,
	category: CategorySpec,
	endpoint: SubmitEndpointSpec,
): Promise<INodeExecutionData[][]> {
	const stepOf = 'putExecutionToWait' in this ? stepRunIdOf(this) : undefined;
	if (stepOf !== undefined)
		return await continueParkedRun(this as IExecuteFunctions, endpoint, stepOf);

	const node = this.getNode();
	const items = this.getInputData();
	const options = this.getNodeParameter(PARAM.options, 0, {}) as IDataObject;
	const requested = this.getNodeParameter(PARAM.completion, 0, 'callback') as CompletionMode;
	const mode = effectiveMode(this, requested, endpoint);
	const continueOnFail = this.continueOnFail();
	const waitMinutes = Number(options[OPTION.waitLimit] || category.defaultWaitMinutes);
	const deadline = Date.now() + waitMinutes * 60_000;
	const capacity = Number(options[OPTION.maxConcurrentJobs]) || Number.POSITIVE_INFINITY;
	if (items.length > MAX_ITEMS_PER_RUN) {
		throw new NodeOperationError(
			node,
			`Too many items (${items.length}) for one run of this node`,
			{
				description: `At most ${MAX_ITEMS_PER_RUN} items run in one node run. Nothing was submitted. Split the input with Loop Over Items.`,
			},
		);
	}

	const origin: TrackIdOrigin = {
		executionId: this.getExecutionId(),
		nodeId: node.id,
		runIndex: runIndexOf(this),
	};
	const attemptKey = `${origin.executionId}:${origin.nodeId}:${origin.runIndex}`;
	pruneAttempts();
	const earlier = attempts.get(attemptKey);
	const run = earlier?.run ?? newRunKey();
	const base =
		mode === 'callback' ? await checkedCallbackBase(this as IExecuteFunctions) : undefined;
	const resultWebhook = resultWebhookOf(options, mode, endpoint);
	const prepared = await prepareItemRequests(this, endpoint, items.length, origin, (itemIndex) =>
		base ? callbackUrlFor(base, run, itemIndex) : resultWebhook,
	);
	const jobs: ItemJob[] = prepared.map((entry) =>
		'request' in entry
			? { itemIndex: entry.itemIndex, trackId: entry.trackId, request: entry.request }
			: { itemIndex: entry.itemIndex, trackId: entry.trackId, error: entry.error },
	);
	const invalid = jobs.find((job) => job.error);
	if (invalid?.error && !continueOnFail) {
		throw new NodeOperationError(node, invalid.error.message, {
			itemIndex: invalid.itemIndex,
			description:
				'Nothing was submitted to ModelsLab: every item is checked before the first request.',
		});
	}
	keepEarlierJobs(jobs, earlier?.jobs);
	attempts.set(attemptKey, { run, jobs, at: Date.now() });

	const submitter: Submitter = {
		context: this,
		endpoint,
		onAccepted: (job) =>
			this.logger.info(`ModelsLab: item ${job.itemIndex} submitted as job ${job.state?.id}`),
	};
	const stopOnFailure = !continueOnFail;
	const unfinished = (job: ItemJob): Error => unfinishedError(node, job, waitMinutes);

	if (mode !== 'callback') {
		const result = await runInProcess(submitter, jobs, {
			deadline,
			capacity,
			poll: mode === 'poll',
			intervalSeconds: Number(options[OPTION.pollInterval] || 0),
			stopOnFailure,
		});
		if (result.failure) throw result.failure;
		attempts.delete(attemptKey);
		if (mode === 'submit') return [receipts(this, jobs, waitMinutes, continueOnFail)];
		const outcome = await outputItems(this, node, jobs, {
			continueOnFail,
			download: downloadSettings(options),
			unfinished: (job) => unfinishedError(node, job, waitMinutes, result.lastReadError(job)),
		});
		if ('failure' in outcome) throw outcome.failure;
		return [outcome.items];
	}

	// Callback mode: fill the account's queue once, then park (nothing waits inside execute()).
	const context = this as IExecuteFunctions;
	const selfProblem = await probeOwnUrl(context, callbackUrlFor(base as string, run, PROBE_ITEM));
	if (selfProblem) warnOwnUrl(context, selfProblem);
	const wave = await submitWave(submitter, jobs, 0, capacity);
	const failed = jobs.find((job) => job.error || job.state?.phase === 'failed');
	if (failed && stopOnFailure) throw failureWithRunningJobs(node, failed, jobs);
	attempts.delete(attemptKey);
	if (jobs.every((job) => isSettled(job))) {
		const outcome = await outputItems(this, node, jobs, {
			continueOnFail,
			download: downloadSettings(options),
			unfinished,
		});
		if ('failure' in outcome) throw outcome.failure;
		return [outcome.items];
	}
	const picture = firstPicture(jobs, endpoint, {
		run,
		base: base as string,
		deadline,
		waitMinutes,
		selfReachable: selfProblem === undefined,
	});
	const retryAt =
		wave.queueFullFor !== undefined && jobs.some(isQueued) && !jobs.some(isRunning)
			? Date.now() + wave.queueFullFor * 1000
			: undefined;
	return await park(context, picture, { owner: currentProcess(), retryAt });
}

/** Retry On Fail runs execute() again: items whose job ModelsLab accepted keep it. */
function keepEarlierJobs(jobs: ItemJob[], earlier: ItemJob[] | undefined): void {
	for (const job of jobs) {
		const before = earlier?.[job.itemIndex];
		if (before?.state && before.state.phase !== 'failed') {
			Object.assign(job, {
				state: before.state,
				submittedAt: before.submittedAt,
				pathValues: before.pathValues,
				request: undefined,
			});
		} else if (before?.unsure) Object.assign(job, { unsure: before.unsure, request: undefined });
	}
}

/** The run as it parks the first time: lanes from the wave, a quick look at fast jobs. */
function firstPicture(
	jobs: ItemJob[],
	endpoint: SubmitEndpointSpec,
	run: { run: RunKey; base: string; deadline: number; waitMinutes: number; selfReachable: boolean },
): RunPicture {
	const now = Date.now();
	const wave = jobs.filter((job) => isRunning(job) || isUnsure(job)).map((job) => job.itemIndex);
	const lanes = Lanes.layout(jobs, wave);
	const ledger: RunLedger = {
		version: 4,
		...run,
		operation: endpoint.operation,
		startedAt: now,
		checkpoint: 0,
		wakeAt: run.deadline,
		lanes: lanes.lanes,
		items: jobs.map((job) => ledgerItemOf(job)),
	};
	const picture = new RunPicture(ledger, endpoint);
	for (const job of picture.jobs.filter(isRunning)) {
		const eta = job.state?.eta;
		if (eta !== undefined && eta <= QUICK_ETA_S)
			picture.tracker.readAt(job, now + Math.max(2 * eta * 1000, MIN_QUICK_READ_MS));
	}
	return picture;
}

/** A parked run's step (park.ts): its ledger must be there, or its jobs would be lost silently. */
async function continueParkedRun(
	context: IExecuteFunctions,
	endpoint: SubmitEndpointSpec,
	runId: string,
): Promise<INodeExecutionData[][]> {
	const ledger = readStepLedger(context);
	if (!ledger || ledger.run.id !== runId) {
		throw new NodeOperationError(context.getNode(), 'The record of this waiting run is missing', {
			description: `n8n resumed the node for run ${runId}, but the execution no longer holds its record. The request IDs of its jobs are in n8n's log ("ModelsLab: … submitted as job …"): read them with Get Result.`,
		});
	}
	return await runStep.call(context, endpoint, ledger);
}

/** Submit Only: a receipt per item (or its error), in input order. */
function receipts(
	context: RunContext,
	jobs: ItemJob[],
	waitMinutes: number,
	continueOnFail: boolean,
): INodeExecutionData[] {
	const node = context.getNode();
	return jobs.map((job) => {
		if (job.state)
			return { json: receiptJson(job.state, job.trackId), pairedItem: { item: job.itemIndex } };
		const error = job.error ?? unfinishedError(node, job, waitMinutes);
		if (!continueOnFail) throw error;
		return errorItem(node, error, job.itemIndex, undefined, job.trackId);
	});
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

/** The run's callback URL base, refused when ModelsLab could never reach it. */
async function checkedCallbackBase(context: IExecuteFunctions): Promise<string> {
	const node = context.getNode();
	const resumeUrl = resumeUrlOf(context);
	const { baseUrl } = await context.getCredentials<ModelsLabCredentials>(CREDENTIAL_TYPE);
	const problem = unreachableCallbackReason(resumeUrl, baseUrl);
	if (problem) {
		throw new NodeOperationError(node, 'ModelsLab could not call this n8n back', {
			description: `${problem}, so the execution would only wait until its limit. Nothing was submitted. Set WEBHOOK_URL (on n8n 2.x also N8N_WEBHOOK_URL) to n8n's public HTTPS URL, for development a tunnel's; or set "Completion" to "Poll".`,
		});
	}
	return callbackBase(resumeUrl, node.id);
}

/** n8n cannot reach its own resume URL: the run then moves on n8n's wait poll; say how to fix it. */
function warnOwnUrl(context: IExecuteFunctions, problem: string): void {
	context.logger.warn(
		`ModelsLab: n8n could not reach its own resume URL (${problem}). Runs waiting for ModelsLab continue on n8n's one-minute wait poll instead of at once. Make WEBHOOK_URL (N8N_WEBHOOK_URL on n8n 2.x) reachable from n8n itself.`,
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
