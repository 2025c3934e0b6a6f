import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { customDataOf, webhookNodeContext } from '../n8n/internals';
import type { JobKind } from '../catalog/types';
import type { JobState } from '../transport/jobState';
import { callbackUrlFor, type RunKey } from './callbackUrl';
import type { ItemJob } from './itemJob';

/**
 * What one parked node run must remember until it resumes, saved with the waiting execution in
 * the node's context data (`this.getContext('node')`, which n8n saves with the execution and which
 * has no size limit, unlike custom data: docs/n8n-internals.md §6, §7). n8n keeps nothing that a
 * resume webhook writes before the final one (§9), so this is the only durable record: the
 * webhook side builds its picture of the run from it in whichever n8n process a callback reaches.
 */
export interface RunLedger {
	version: 3;
	run: RunKey;
	operation: string;
	/** The resume URL with the node id appended; every job's callback URL starts with it. */
	base: string;
	parkedAt: number;
	/** When the node stops waiting by itself (Options → Wait Limit). */
	deadline: number;
	/** Items whose jobs ran when the node parked; lane i starts with wave[i] (see batchEngine). */
	wave: number[];
	items: LedgerItem[];
}

/** One item: queued (`request`), running (`jobId`), finished at park (`state`) or failed (`error`). */
export interface LedgerItem {
	trackId: string;
	jobId?: string;
	eta?: number;
	state?: StoredState;
	error?: string;
	request?: {
		body: IDataObject;
		pathValues: IDataObject;
		/**
		 * The body's `webhook` is this item's callback URL, left out: n8n loads the whole ledger for
		 * every callback, and the URLs were most of it (bench/README.md, P5).
		 */
		callbackLeftOut?: true;
	};
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

const ledgerSchema = z.object({
	version: z.literal(3),
	run: z.object({ id: z.string().min(1), secret: z.string().min(1) }),
	operation: z.string().min(1),
	base: z.string().url(),
	parkedAt: z.number(),
	deadline: z.number(),
	wave: z.array(z.number().int().nonnegative()),
	items: z.array(
		z.object({
			trackId: z.string(),
			jobId: z.string().optional(),
			eta: z.number().optional(),
			state: storedStateSchema.optional(),
			error: z.string().optional(),
			request: z
				.object({
					body: z.record(z.unknown()),
					pathValues: z.record(z.unknown()),
					callbackLeftOut: z.literal(true).optional(),
				})
				.optional(),
		}),
	),
});

/**
 * One item for the ledger; `callbackUrlOf`: the URL an item's job calls back, derivable from the
 * ledger (asked only for queued items, whose bodies the ledger keeps).
 */
export function ledgerItemOf(
	job: ItemJob,
	callbackUrlOf?: (itemIndex: number) => string,
): LedgerItem {
	const item: LedgerItem = { trackId: job.trackId };
	if (job.error) item.error = job.error.message;
	else if (job.request) {
		const { body, pathValues } = job.request;
		if (callbackUrlOf && body.webhook === callbackUrlOf(job.itemIndex)) {
			const rest = { ...body };
			delete rest.webhook;
			item.request = { body: rest, pathValues, callbackLeftOut: true };
		} else item.request = { body, pathValues };
	} else if (job.state) {
		item.jobId = job.state.id;
		if (job.state.phase === 'pending') {
			if (job.state.eta !== undefined) item.eta = job.state.eta;
		} else item.state = storedStateOf(job.state);
	}
	return item;
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

/** A queued item's request body (`request`: the ledger's entry) as it is to be submitted. */
export function requestBodyOf(
	ledger: RunLedger,
	itemIndex: number,
	request: NonNullable<LedgerItem['request']>,
): IDataObject {
	return request.callbackLeftOut
		? { ...request.body, webhook: callbackUrlFor(ledger.base, ledger.run, itemIndex) }
		: request.body;
}

export function stateOfStored(kind: JobKind, id: string, stored: StoredState): JobState {
	return { kind, id, ...stored };
}

/** Saves the ledger with the execution (the node context is written with it when n8n parks). */
export function writeLedger(context: IExecuteFunctions, ledger: RunLedger): void {
	context.getContext('node')[CONTEXT_FIELD] = ledger;
}

/** The ledger of the run a callback belongs to, as saved at park; undefined if there is none. */
export function readLedger(context: IWebhookFunctions): RunLedger | undefined {
	const parsed = ledgerSchema.safeParse(webhookNodeContext(context)?.[CONTEXT_FIELD]);
	return parsed.success ? (parsed.data as RunLedger) : undefined;
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
