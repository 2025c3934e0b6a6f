import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { customDataOf, webhookNodeContext } from '../n8n/internals';
import type { JobKind } from '../catalog/types';
import type { JobState } from '../transport/jobState';
import { callbackUrlFor, type RunKey } from './callbackUrl';
import type { ReadSchedule } from './jobTracker';
import type { LaneRecord } from './lanes';
import type { ItemJob, Unsure } from './itemJob';

/**
 * What a parked node run must remember until its next step, saved with the waiting execution in
 * the node's context data (`this.getContext('node')`), which n8n saves with the execution and
 * which has no size limit, unlike custom data (docs/n8n-internals.md §6, §7). n8n keeps nothing a
 * resume webhook writes unless that webhook resumes the execution (§9), so this is the run's only
 * durable record: written at every park, read by every step (runStep.ts) and by the first
 * callback that reaches a process (batchEngine.ts). It holds the run's MAC secret and n8n's resume
 * token (in `base`), so the run's last step removes it (finishRun.ts).
 */
export interface RunLedger {
	version: 4;
	run: RunKey;
	operation: string;
	/** The resume URL with the node id appended; every job's callback URL starts with it. */
	base: string;
	/** When the node first parked. */
	startedAt: number;
	/** When the node stops waiting (Options → Wait Limit), and that limit as the user set it. */
	deadline: number;
	waitMinutes: number;
	/** Parks so far: a picture built from an older ledger is stale. */
	checkpoint: number;
	/**
	 * When the run's next step is due if nothing else comes first: the parking process wakes it
	 * then, and n8n's own timer follows (at this time, or 85 s later when the process wakes it: park.ts).
	 */
	wakeAt: number;
	/** The process (processMemory.ts) that may submit authorized items before the next park. */
	owner?: string;
	/**
	 * The owner submits authorized items only until then; a park renews it. Another process that
	 * takes the run over (a restart, another webhook processor) waits for it before it trusts a
	 * read of a lane's job to prove nothing after it was submitted (runStep.ts, recover).
	 */
	leaseUntil?: number;
	/** Unsure items are queued again on a read only after this (the previous owner's lease end). */
	takeoverAt?: number;
	/** Set by the webhook that resumed the run into a step: the ledger then holds its picture. */
	wokenBy?: string;
	/** How long the run's longest job took, as its callbacks showed (runPicture.ts). */
	typicalMs?: number;
	/** Whether n8n reached its own resume URL when the run started (reachability.ts). */
	selfReachable: boolean;
	/**
	 * Whether the parking process posts the wake-up at `wakeAt` itself (n8n's own timer then
	 * follows 85 s later) rather than leaving it to n8n's timer (park.ts). Absent: saved before it
	 * was recorded, taken as true.
	 */
	ownWakeUp?: boolean;
	/** A failure ended submitting (no Continue On Fail): the run ends at its next step. */
	stopped?: boolean;
	lanes: LaneRecord[];
	items: LedgerItem[];
}

/** One item: queued (`request`), running (`jobId`), finished (`state`), failed (`error`), unsure. */
export interface LedgerItem {
	trackId: string;
	jobId?: string;
	eta?: number;
	submittedAt?: number;
	fetchResult?: string;
	/** A 3D job's render video as its submit answered it: ModelsLab's later answers may not repeat it. */
	extraAssets?: string[];
	pathValues?: IDataObject;
	state?: StoredState;
	error?: string;
	unsure?: Unsure;
	/** The request, without its `webhook`: that follows from the run's key (requestBodyOf). */
	request?: { body: IDataObject; pathValues: IDataObject };
	check?: ReadSchedule;
}

/** The parts of a finished job's state an output item is made of. */
export interface StoredState {
	phase: 'success' | 'failed';
	output: string[];
	message?: string;
	trainingStatus?: string;
	raw: IDataObject;
}

const CONTEXT_FIELD = 'modelslabRun';

const storedStateSchema = z.object({
	phase: z.enum(['success', 'failed']),
	output: z.array(z.string()),
	message: z.string().optional(),
	trainingStatus: z.string().optional(),
	raw: z.record(z.unknown()),
});

const scheduleSchema = z.object({
	dueAt: z.number(),
	delayMs: z.number(),
	notFound: z.number(),
	failures: z.number(),
	lastError: z.string().optional(),
	afterPark: z.boolean().optional(),
});

const ledgerSchema = z.object({
	version: z.literal(4),
	run: z.object({ id: z.string().min(1), secret: z.string().min(1) }),
	operation: z.string().min(1),
	base: z.string().url(),
	startedAt: z.number(),
	deadline: z.number(),
	waitMinutes: z.number(),
	checkpoint: z.number().int().nonnegative(),
	wakeAt: z.number(),
	owner: z.string().optional(),
	leaseUntil: z.number().optional(),
	takeoverAt: z.number().optional(),
	wokenBy: z.string().optional(),
	typicalMs: z.number().optional(),
	selfReachable: z.boolean(),
	ownWakeUp: z.boolean().optional(),
	stopped: z.boolean().optional(),
	lanes: z.array(
		z.object({
			items: z.array(z.number().int().nonnegative()),
			at: z.number().int().nonnegative(),
			authorizedTo: z.number().int(),
			savedTo: z.number().int(),
		}),
	),
	items: z.array(
		z.object({
			trackId: z.string(),
			jobId: z.string().optional(),
			eta: z.number().optional(),
			submittedAt: z.number().optional(),
			fetchResult: z.string().optional(),
			extraAssets: z.array(z.string()).optional(),
			pathValues: z.record(z.unknown()).optional(),
			state: storedStateSchema.optional(),
			error: z.string().optional(),
			unsure: z
				.object({
					reason: z.enum(['outcome', 'restart']),
					until: z.number(),
					message: z.string().optional(),
				})
				.optional(),
			request: z
				.object({ body: z.record(z.unknown()), pathValues: z.record(z.unknown()) })
				.optional(),
			check: scheduleSchema.optional(),
		}),
	),
});

/** One item for the ledger; `check`: its read schedule, if it runs. */
export function ledgerItemOf(job: ItemJob, check?: ReadSchedule): LedgerItem {
	const item: LedgerItem = { trackId: job.trackId };
	if (job.error) item.error = job.error.message;
	if (job.unsure) item.unsure = job.unsure;
	if (job.request && !job.state && !job.error) {
		const body = { ...job.request.body };
		delete body.webhook;
		item.request = { body, pathValues: job.request.pathValues };
	}
	if (job.submittedAt !== undefined) item.submittedAt = job.submittedAt;
	if (job.pathValues && Object.keys(job.pathValues).length) item.pathValues = job.pathValues;
	if (job.state && !job.error) {
		item.jobId = job.state.id;
		if (job.state.eta !== undefined) item.eta = job.state.eta;
		if (job.state.fetchResult) item.fetchResult = job.state.fetchResult;
		if (job.state.extraAssets) item.extraAssets = job.state.extraAssets;
		if (job.state.phase !== 'pending') item.state = storedStateOf(job.state);
		else if (check) item.check = check;
	}
	return item;
}

/** The item as the completion core works with it. */
export function jobOf(ledger: RunLedger, itemIndex: number, kind: JobKind): ItemJob {
	const item = ledger.items[itemIndex];
	const job: ItemJob = { itemIndex, trackId: item.trackId };
	if (item.error !== undefined) job.error = new Error(item.error);
	if (item.unsure) job.unsure = { ...item.unsure };
	if (item.submittedAt !== undefined) job.submittedAt = item.submittedAt;
	if (item.pathValues) job.pathValues = item.pathValues;
	if (item.request) {
		job.request = {
			itemIndex,
			trackId: item.trackId,
			body: item.request.body,
			pathValues: item.request.pathValues,
		};
	}
	if (item.jobId !== undefined) {
		job.state = item.state
			? stateOfStored(kind, item.jobId, item.state)
			: { kind, id: item.jobId, phase: 'pending', output: [], eta: item.eta, raw: {} };
		if (item.fetchResult) job.state.fetchResult = item.fetchResult;
		if (item.extraAssets) job.state.extraAssets = item.extraAssets;
	}
	return job;
}

export function storedStateOf(state: JobState): StoredState {
	return {
		phase: state.phase === 'failed' ? 'failed' : 'success',
		output: state.output,
		...(state.message !== undefined ? { message: state.message } : {}),
		...(state.trainingStatus !== undefined ? { trainingStatus: state.trainingStatus } : {}),
		raw: state.raw,
	};
}

export function stateOfStored(kind: JobKind, id: string, stored: StoredState): JobState {
	return { kind, id, ...stored };
}

/**
 * A queued item's request body as it is to be submitted: with its callback URL, which names the
 * jobs its lane started since the last park (`chain`, lanes.ts).
 */
export function requestBodyOf(
	ledger: Pick<RunLedger, 'base' | 'run'>,
	itemIndex: number,
	body: IDataObject,
	chain: readonly string[] = [],
): IDataObject {
	return { ...body, webhook: callbackUrlFor(ledger.base, ledger.run, itemIndex, chain) };
}

/** Saves the ledger with the execution (n8n writes the node context with it when the node parks). */
export function writeLedger(context: IExecuteFunctions, ledger: RunLedger): void {
	context.getContext('node')[CONTEXT_FIELD] = ledger;
}

/** The ledger a step of this node run continues from; undefined if there is none. */
export function readStepLedger(context: IExecuteFunctions): RunLedger | undefined {
	const parsed = ledgerSchema.safeParse(context.getContext('node')[CONTEXT_FIELD]);
	return parsed.success ? (parsed.data as RunLedger) : undefined;
}

/** The run's last step: nothing of the ledger (its secrets, queued prompts) stays in the execution. */
export function clearLedger(context: IExecuteFunctions): void {
	delete context.getContext('node')[CONTEXT_FIELD];
}

/** The ledger of the run a callback belongs to, as saved at the last park; undefined if none. */
export function readLedger(context: IWebhookFunctions): RunLedger | undefined {
	const parsed = ledgerSchema.safeParse(webhookNodeContext(context)?.[CONTEXT_FIELD]);
	return parsed.success ? (parsed.data as RunLedger) : undefined;
}

/** The saved ledger's park count, read without checking the whole ledger (it may be large). */
export function savedCheckpoint(context: IWebhookFunctions): number | undefined {
	const saved = webhookNodeContext(context)?.[CONTEXT_FIELD] as
		{ checkpoint?: unknown } | undefined;
	return typeof saved?.checkpoint === 'number' ? saved.checkpoint : undefined;
}

/**
 * Hands the step the callback starts this ledger: n8n runs the resumed execution from the data
 * the webhook call loaded, node context included (docs/n8n-internals.md §9).
 */
export function handOverLedger(context: IWebhookFunctions, ledger: RunLedger): void {
	const stored = webhookNodeContext(context);
	if (stored) stored[CONTEXT_FIELD] = ledger;
}

/** Custom data key of a node: `modelslab_<node id without dashes>` ([A-Za-z0-9_], ≤ 50 chars). */
export function summaryKey(nodeId: string): string {
	return `modelslab_${nodeId.replace(/[^A-Za-z0-9]/g, '').slice(0, 32)}`;
}

/** n8n logs an error line for custom data values above this length (docs/n8n-internals.md §6.1). */
export const MAX_SUMMARY_LENGTH = 255;

/**
 * A line for people looking at the waiting execution (Executions → custom data): what the node
 * waits for, and the request ids that fit. Never needed by the node itself, so a full custom data
 * budget only loses this line.
 */
export function writeSummary(context: IExecuteFunctions, ledger: RunLedger): void {
	const store = customDataOf(context);
	if (!store) return;
	const ids = ledger.items.map((item) => item.jobId).filter((id): id is string => !!id);
	const head = `${ledger.operation}: ${ledger.items.length} items, ${ids.length} submitted, run ${ledger.run.id}; ids`;
	let text = head;
	for (const [index, id] of ids.entries()) {
		const more = ` +${ids.length - index} more`;
		if (text.length + id.length + 1 + more.length > MAX_SUMMARY_LENGTH) {
			text += more;
			break;
		}
		text += ` ${id}`;
	}
	store.set(summaryKey(context.getNode().id), text);
}
