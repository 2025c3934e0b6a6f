import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { parkWithStep } from '../n8n/internals';
import { postToOwnUrl } from '../transport/reachability';
import { N8N_TIMER_LOOKAHEAD_MS, OWN_STEP_WITHIN_MS, SAVE_WITHIN_MS } from './batchEngine';
import { callbackUrlFor, SYNC_ITEM } from './callbackUrl';
import { engines, postWakeUpsWith, ticker, wakeUps } from './processMemory';
import type { RunPicture } from './runPicture';
import { writeLedger, writeSummary } from './runLedger';

/** What a park changes besides the picture: who may submit next, and when the queue has room. */
export interface ParkChanges {
	/** The process allowed to submit authorized items until the next park (processMemory.ts). */
	owner: string;
	/** ModelsLab's queue was full with nothing of this run in it: try again then. */
	retryAt?: number;
	/** Park without renewing the owner's lease, until this moment (runStep.ts, a live owner). */
	keepLeaseUntil?: number;
}

/** Lane items one park may authorize at most: a restart makes them unsure (lanes.ts). */
const MAX_AUTHORIZED = 8;
/** How long the owner may submit authorized items after a park (renewed by every park). */
export const OWNER_LEASE_MS = 60_000;
/** Clocks of n8n's processes may differ this much. */
export const CLOCK_MARGIN_MS = 5_000;
/** The parking process posts the wake-up itself when it comes this soon; later ones are n8n's. */
const OWN_WAKE_UP_WITHIN_MS = 2 * 60_000;

/** One run of one node in one execution: the key of its engine and of its finished mark. */
export function runKeyOf(executionId: string, nodeId: string, runId: string): string {
	return `${executionId}:${nodeId}:${runId}`;
}

/**
 * Saves the run with the execution and parks it until its next step (runStep.ts): the ledger in
 * the node's context, a summary line in custom data, a step entry behind the parked one
 * (n8n/internals.ts), and a wake-up at the earliest moment something is due: this process's own
 * when n8n reaches itself and it comes soon, else n8n's timed resume. The engine of this run in
 * this process, if any, takes the new ledger at once.
 */
export async function park(
	context: IExecuteFunctions,
	picture: RunPicture,
	changes: ParkChanges,
): Promise<INodeExecutionData[][]> {
	const now = Date.now();
	picture.lanes.markSaved();
	// A park that keeps another process's lease gives that process nothing more to submit.
	if (changes.keepLeaseUntil === undefined) picture.lanes.authorize(authorizationDepth(picture));
	const ledger = picture.ledger;
	const leaseUntil =
		changes.keepLeaseUntil === undefined ? now + OWNER_LEASE_MS : ledger.leaseUntil;
	// The owner submits authorized items without saving: should it die, the step after its lease
	// takes over (runStep.ts), even when nothing else is due (no job running yet).
	const takeoverAt =
		leaseUntil !== undefined && picture.lanes.authorizedQueued().length
			? leaseUntil + CLOCK_MARGIN_MS
			: undefined;
	const due = [picture.nextDueAt(now), changes.retryAt, takeoverAt].filter(
		(time): time is number => time !== undefined,
	);
	const wakeAt = changes.keepLeaseUntil ?? Math.max(now, Math.min(ledger.deadline, ...due));
	const wakesItself = ledger.selfReachable && wakeAt - now < OWN_WAKE_UP_WITHIN_MS;
	const saved = picture.toLedger({
		owner: changes.owner,
		wokenBy: undefined,
		checkpoint: ledger.checkpoint + 1,
		wakeAt,
		ownWakeUp: wakesItself,
		leaseUntil,
	});
	picture.ledger = saved;
	writeLedger(context, saved);
	writeSummary(context, saved);
	parkWithStep(context, saved.run.id, context.getInputData());
	const key = runKeyOf(context.getExecutionId(), context.getNode().id, saved.run.id);
	engines.get(key)?.adopt(saved);
	if (wakesItself)
		scheduleWakeUp(context, key, callbackUrlFor(saved.base, saved.run, SYNC_ITEM), wakeAt);
	// n8n's timer goes stale once the run parks again after n8n's wait poll saw it (batchEngine.ts):
	// past this process's own step, it resumes only a run whose process is gone.
	const n8nResumeAt = wakesItself ? wakeAt + OWN_STEP_WITHIN_MS + N8N_TIMER_LOOKAHEAD_MS : wakeAt;
	await context.putExecutionToWait(new Date(n8nResumeAt));
	// The parked entry passes nothing on; the step behind it makes the node's output.
	return [[]];
}

/**
 * How many items each lane may start before the next park: enough for the jobs of about two
 * saving intervals, once the run's callbacks have shown how long its jobs take. A restart makes
 * the items beyond a lane's running job unsure (lanes.ts), so none are authorized on ModelsLab's
 * ETA alone: it is often far off (docs/modelslab-api.md), and a restart while the first wave runs
 * would leave them unsure for nothing.
 */
function authorizationDepth(picture: RunPicture): number {
	const typicalMs = picture.typicalMs();
	if (typicalMs === undefined) return 1;
	return Math.min(MAX_AUTHORIZED, Math.max(1, Math.ceil((2 * SAVE_WITHIN_MS) / typicalMs)));
}

/**
 * n8n's wait poll runs a timed resume up to a minute late; a wake-up that comes soon is posted by
 * this process to the run's own URL at its time (`mlitem=sync`). Lost on restart: n8n's own timed
 * resume still comes. Only the request helper is kept, not the node's context (processMemory.ts).
 */
function scheduleWakeUp(
	context: IExecuteFunctions,
	engineKey: string,
	url: string,
	at: number,
): void {
	const { httpRequest } = context.helpers;
	postWakeUpsWith(async (target) => await postToOwnUrl({ helpers: { httpRequest } }, target));
	wakeUps.push({ at, engineKey, url });
	ticker.start();
}
