import {
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type ISupplyDataFunctions,
} from 'n8n-workflow';

import type { CategorySpec, SubmitEndpointSpec } from '../catalog/types';
import { resumeUrlOf, runIndexOf, setTimedResumeItems } from '../n8n/internals';
import { OPTION, PARAM, type CompletionMode } from '../parameters/commonParameters';
import { downloadSettings } from '../parameters/downloadSettings';
import { prepareItemRequests } from '../parameters/itemRequests';
import { MAX_ITEMS_PER_RUN, type TrackIdOrigin } from '../parameters/trackId';
import { CREDENTIAL_TYPE, type ModelsLabCredentials } from '../transport/context';
import { DEFAULT_RETRY_AFTER_SECONDS } from '../transport/request';
import { unreachableCallbackReason } from '../transport/reachability';
import { errorItem, receiptJson } from '../transport/results';
import { scheduleWakeUps } from './batchEngine';
import { callbackBase, callbackUrlFor, newRunKey, type RunKey } from './callbackUrl';
import { runInProcess } from './inProcessRun';
import { isQueued, isRunning, isTerminal, type ItemJob } from './itemJob';
import { failureWithRunningJobs, outputItems } from './outputItems';
import { ledgerItemOf, writeLedger, writeSummary, type RunLedger } from './runLedger';
import { submitWave, type Submitter } from './submissions';
import { unfinishedError } from './unfinished';

type RunContext = IExecuteFunctions | ISupplyDataFunctions;

/**
 * Before parking, jobs whose ETA is at most this many seconds are read for a short while (and
 * their slots refilled): a callback that reaches n8n before it saved the execution as waiting is
 * refused (docs/n8n-internals.md §5.1), and a batch of fast jobs may be over before that.
 */
const QUICK_CHECK_MAX_ETA_S = 15;
const QUICK_CHECK_MAX_MS = 20_000;
/** n8n's own resume is the fallback when the node's wake-up at the wait limit does not arrive. */
const TIMED_RESUME_GRACE_MS = 2 * 60_000;

interface Attempt {
	run: RunKey;
	jobs: ItemJob[];
	at: number;
}
/**
 * Jobs submitted by a node run that then failed, kept for Retry On Fail: n8n runs execute() again
 * in the same process, and each item's job is submitted once per node run.
 */
const attempts = new Map<string, Attempt>();
const ATTEMPT_TTL_MS = 60 * 60_000;

/** Submits one job per input item and completes the run in the chosen mode. */
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
	// Retry On Fail runs this again: items whose job ModelsLab accepted (and did not fail) keep it.
	for (const job of jobs) {
		const before = earlier?.jobs[job.itemIndex];
		if (before?.state && before.state.phase !== 'failed') {
			Object.assign(job, {
				state: before.state,
				submittedAt: before.submittedAt,
				pathValues: before.pathValues,
				request: undefined,
			});
		}
	}
	attempts.set(attemptKey, { run, jobs, at: Date.now() });

	const submitter: Submitter = {
		context: this,
		endpoint,
		onAccepted: (job) =>
			this.logger.debug(`ModelsLab: item ${job.itemIndex} submitted as job ${job.state?.id}`),
	};
	const stopOnFailure = !continueOnFail;

	if (mode === 'submit') {
		const result = await runInProcess(submitter, jobs, {
			deadline,
			capacity,
			poll: false,
			intervalSeconds: 0,
			stopOnFailure,
		});
		if (result.failure) throw result.failure;
		attempts.delete(attemptKey);
		return [receipts(this, jobs, waitMinutes, continueOnFail)];
	}

	const download = downloadSettings(options);
	const unfinished = (job: ItemJob): Error => unfinishedError(node, job, waitMinutes);
	if (mode === 'poll') {
		const intervalSeconds = Number(options[OPTION.pollInterval] || 0);
		const result = await runInProcess(submitter, jobs, {
			deadline,
			capacity,
			poll: true,
			intervalSeconds,
			stopOnFailure,
		});
		if (result.failure) throw result.failure;
		return [await finish(this, jobs, { continueOnFail, download, unfinished }, attemptKey)];
	}

	// Callback mode: fill the account's queue, look briefly at fast jobs, then park.
	let granted = await firstWave(submitter, jobs, capacity, deadline, stopOnFailure);
	const failed = jobs.find((job) => job.error || job.state?.phase === 'failed');
	if (failed && stopOnFailure) throw failureWithRunningJobs(node, failed, jobs);
	const running = jobs.filter(isRunning);
	// Only when every job has been submitted: a paced batch would poll here through its first
	// minutes (a read per job), and its first wave's refused callbacks are found after the park.
	if (
		running.length &&
		!jobs.some(isQueued) &&
		Math.max(...running.map((job) => job.state?.eta ?? Infinity)) <= QUICK_CHECK_MAX_ETA_S
	) {
		const quick = await runInProcess(submitter, jobs, {
			deadline: Math.min(Date.now() + QUICK_CHECK_MAX_MS, deadline),
			capacity: granted,
			poll: true,
			intervalSeconds: 0,
			stopOnFailure,
		});
		if (quick.failure) throw quick.failure;
		granted = quick.capacity;
	}
	if (jobs.every(isTerminal))
		return [await finish(this, jobs, { continueOnFail, download, unfinished }, attemptKey)];

	const context = this as IExecuteFunctions;
	const ledger: RunLedger = {
		version: 3,
		run,
		operation: endpoint.operation,
		base: base as string,
		parkedAt: Date.now(),
		deadline,
		wave: jobs.filter(isRunning).map((job) => job.itemIndex),
		items: jobs.map((job) =>
			ledgerItemOf(job, (itemIndex) => callbackUrlFor(base as string, run, itemIndex)),
		),
	};
	writeLedger(context, ledger);
	writeSummary(context, ledger);
	setTimedResumeItems(
		context,
		items.map((item, index) => timedResumeItem(item, jobs[index])),
	);
	scheduleWakeUps(context, ledger);
	attempts.delete(attemptKey);
	await context.putExecutionToWait(new Date(deadline + TIMED_RESUME_GRACE_MS));
	// Replaced by the resume webhook's output (or by timedResumeItem's at n8n's own wait limit).
	return [items];
}

/**
 * Submits until the account's queue (or the user's limit) is full. When nothing of ours runs yet
 * but items wait (other jobs of the account fill its queue), waits here for a slot.
 * Returns how many jobs ModelsLab granted at once.
 */
async function firstWave(
	submitter: Submitter,
	jobs: ItemJob[],
	capacity: number,
	deadline: number,
	stopOnFailure: boolean,
): Promise<number> {
	let wave = await submitWave(submitter, jobs, 0, capacity);
	while (
		!jobs.some(isRunning) &&
		jobs.some(isQueued) &&
		Date.now() < deadline &&
		!(stopOnFailure && jobs.some((job) => job.error))
	) {
		await sleep(
			Math.min(
				(wave.queueFullFor ?? DEFAULT_RETRY_AFTER_SECONDS) * 1000,
				Math.max(0, deadline - Date.now()),
			),
		);
		wave = await submitWave(submitter, jobs, 0, capacity);
	}
	const running = jobs.filter(isRunning).length;
	return wave.queueFullFor !== undefined ? Math.max(1, running) : capacity;
}

async function finish(
	context: RunContext,
	jobs: ItemJob[],
	policy: Parameters<typeof outputItems>[3],
	attemptKey: string,
): Promise<INodeExecutionData[]> {
	const outcome = await outputItems(context, context.getNode(), jobs, policy);
	if ('failure' in outcome) throw outcome.failure;
	attempts.delete(attemptKey);
	return outcome.items;
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
 * What flows on if n8n resumes the node at its wait limit without running node code: the input
 * item, plus where its job stood at park, so a later Get Result can fetch it.
 */
function timedResumeItem(item: INodeExecutionData, job: ItemJob): INodeExecutionData {
	const status = job.error
		? 'failed'
		: job.request
			? 'queued'
			: job.state?.phase === 'pending'
				? 'processing'
				: (job.state?.phase ?? 'queued');
	return {
		...item,
		json: {
			...item.json,
			modelslab: { status, id: job.state?.id ?? null, track_id: job.trackId, timed_out: true },
		},
	};
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

/** Submit Only may name a URL (typically a ModelsLab Trigger) that receives the result. */
function resultWebhookOf(
	options: IDataObject,
	mode: CompletionMode,
	endpoint: SubmitEndpointSpec,
): string | undefined {
	const url = String(options[OPTION.resultWebhookUrl] ?? '').trim();
	return mode === 'submit' && endpoint.webhook && url ? url : undefined;
}

/** Forgets every node run's submitted jobs (tests). */
export function forgetAttempts(): void {
	attempts.clear();
}

function pruneAttempts(now = Date.now()): void {
	for (const [key, attempt] of attempts)
		if (now - attempt.at > ATTEMPT_TTL_MS) attempts.delete(key);
}
