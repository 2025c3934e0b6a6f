import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { SubmitEndpointSpec } from '../catalog/types';
import { continuesOnFail } from '../parameters/nodeSettings';
import { finishRun } from './finishRun';
import { readerFor } from './jobReads';
import { isRunning, type ItemJob } from './itemJob';
import { CLOCK_MARGIN_MS, park, runKeyOf } from './park';
import { currentProcess, engines } from './processMemory';
import { RunPicture } from './runPicture';
import { requestBodyOf, type RunLedger } from './runLedger';
import { submitOne, type Submitter } from './submissions';

/** How long, at least, a restarted run waits for the callback of an item that may have been submitted. */
const MIN_UNSURE_WAIT_MS = 60_000;

/**
 * A parked run's next step: execute() again, on the ledger its last park saved (and, when a
 * callback woke it, the picture that process handed over). Whoever resumes the node (a callback,
 * the run's own wake-up, or n8n's timed resume at `wakeAt`, also after a restart) lands here.
 *
 * 1. The picture: the one handed over, this process's live one, or the ledger's.
 * 2. If the process that owned the run may have submitted items without saving (n8n restarted,
 *    or another process took over), those items become unsure and the jobs before them are read
 *    (lanes.ts, recover).
 * 3. Reads of jobs whose callback is overdue: only here when no live process did them. Where this
 *    process's engine of the run lives, it reads them once this step's park is saved instead:
 *    n8n refuses the callbacks of jobs that end while the step runs (batchEngine.ts).
 * 4. The run ends (every item settled, the wait limit passed, or a failure without Continue On
 *    Fail), or it submits what it may and parks again.
 */
export async function runStep(
	this: IExecuteFunctions,
	endpoint: SubmitEndpointSpec,
	ledger: RunLedger,
): Promise<INodeExecutionData[][]> {
	const me = currentProcess();
	const key = runKeyOf(this.getExecutionId(), this.getNode().id, ledger.run.id);
	const live = ledger.wokenBy ? undefined : engines.get(key);
	const picture = live ? live.picture : new RunPicture(ledger, endpoint);
	const stopOnFailure = !continuesOnFail(this.getNode());
	// The process whose picture this step continues (the webhook's that woke it, else this one)
	// knows everything the owner did only if it is the owner.
	const ownerKnown = !ledger.owner || ledger.owner === (ledger.wokenBy ?? me);
	const now = Date.now();
	// n8n's timed resume on another process (a queue-mode worker) while the owner's lease runs:
	// the owner does the run's work; park again until its lease ends (a dead owner is found then).
	const leaseUntil = ledger.leaseUntil ?? 0;
	if (!ownerKnown && !ledger.wokenBy && now < leaseUntil && now < ledger.deadline)
		return await park(this, picture, {
			owner: ledger.owner ?? me,
			keepLeaseUntil: Math.min(ledger.deadline, leaseUntil + CLOCK_MARGIN_MS),
		});
	if (!ownerKnown) recover(picture, now);
	const final = now >= ledger.deadline;
	if (final) for (const job of picture.jobs.filter(isRunning)) picture.tracker.readAt(job, now);
	// Where this process's engine lives, it reads them once this step's park is saved.
	if (live && !final && ledger.selfReachable)
		picture.tracker.deferDueToAfterPark(picture.jobs, now);
	else if (!ledger.wokenBy || final) await readDue(this, picture, endpoint, stopOnFailure, now);

	// The engine of this process (also one that handed its picture over) is done with the run.
	const finish = async (): Promise<INodeExecutionData[][]> => {
		engines.get(key)?.close(true);
		return await finishRun(this, picture);
	};
	if (picture.allSettled() || final || (stopOnFailure && picture.anyFailed()))
		return await finish();
	// The owner's engine lives in the process that woke the run; else nobody but this step submits.
	const owner = ledger.wokenBy ?? me;
	const retryAt =
		owner === me && !engines.has(key)
			? await submitFreeSlots(this, picture, endpoint, stopOnFailure)
			: undefined;
	if (stopOnFailure && picture.anyFailed()) return await finish();
	return await park(this, picture, { owner, retryAt });
}

/**
 * The owner may have submitted authorized items after the last park: they are unsure until their
 * callbacks or a read of the job before them settles it. They are waited for from the takeover as
 * long as the callback of a job submitted just before it would take (the run's callback policy).
 */
function recover(picture: RunPicture, now: number): void {
	// The earlier owner, if it still lives (another webhook processor), submits until its lease ends.
	const takeoverAt = Math.max(now, (picture.ledger.leaseUntil ?? now) + CLOCK_MARGIN_MS);
	picture.ledger = { ...picture.ledger, takeoverAt };
	const etas = picture.jobs.map((job) => job.state?.eta ?? 0);
	const overdueMs = picture.tracker.overdueAfterMs(Math.max(...etas));
	const until = takeoverAt + Math.max(MIN_UNSURE_WAIT_MS, overdueMs);
	for (const itemIndex of picture.lanes.recover(until))
		picture.tracker.readAt(picture.jobs[itemIndex], takeoverAt);
}

/** Reads the jobs due, and those an earlier step left for after its park (its process is gone). */
async function readDue(
	context: IExecuteFunctions,
	picture: RunPicture,
	endpoint: SubmitEndpointSpec,
	stopOnFailure: boolean,
	now: number,
): Promise<void> {
	const owed = picture.tracker.owedAfterPark(picture.jobs);
	const due = picture.tracker.due(picture.jobs, now);
	if (!owed.length && !due.length) return;
	const reader = readerFor(context, endpoint);
	const stop = (): boolean => stopOnFailure && picture.anyFailed();
	await picture.tracker.readDue(picture.jobs, reader, { afterPark: true, stop });
	await picture.tracker.readDue(picture.jobs, reader, { now, stop });
	picture.afterReads([...owed, ...due]);
}

/**
 * Submits each lane's next item where its slot is free (no owner process would), until
 * ModelsLab's queue is full; returns when to try again then.
 */
async function submitFreeSlots(
	context: IExecuteFunctions,
	picture: RunPicture,
	endpoint: SubmitEndpointSpec,
	stopOnFailure: boolean,
): Promise<number | undefined> {
	const submitter: Submitter = {
		context,
		endpoint,
		onAccepted: (job: ItemJob) =>
			context.logger.info(
				`ModelsLab: run ${picture.ledger.run.id} item ${job.itemIndex} submitted as job ${job.state?.id}`,
			),
	};
	picture.lanes.authorize(1);
	for (;;) {
		if (stopOnFailure && picture.anyFailed()) return undefined;
		const next = picture.lanes.advance().submittable[0];
		const job = next === undefined ? undefined : picture.jobs[next];
		if (!job?.request) return undefined;
		job.request = {
			...job.request,
			body: requestBodyOf(picture.ledger, job.itemIndex, job.request.body),
		};
		const outcome = await submitOne(submitter, job);
		if (typeof outcome === 'number') return Date.now() + outcome * 1000;
		picture.lanes.authorize(1);
	}
}
