import type { IWebhookFunctions } from 'n8n-workflow';

import type { SubmitEndpointSpec } from '../catalog/types';
import type { ModelsLabCredentials } from '../transport/context';
import { withoutUrlSecrets } from '../transport/redact';
import { postToOwnUrl } from '../transport/reachability';
import { callbackUrlFor, SYNC_ITEM } from './callbackUrl';
import { readerFor } from './jobReads';
import { isRunning, isTerminal, type ItemJob } from './itemJob';
import { currentProcess, engines, finishedRuns, ticker } from './processMemory';
import { RunPicture } from './runPicture';
import { requestBodyOf, type RunLedger } from './runLedger';
import { submitOne, type Submitter } from './submissions';

/** What a parked run needs next from n8n: its last step, or a park that saves what changed. */
export type StepReason = 'final' | 'checkpoint';

/** Changes (finished jobs, ids of jobs submitted) are saved by a step within this long. */
export const SAVE_WITHIN_MS = 5_000;
/**
 * With nothing left to submit, changes wait longer for their park: each step is a moment in which
 * n8n refuses callbacks (409), and a restart only makes the run read what it loses.
 */
const SAVE_IDLE_WITHIN_MS = 30_000;
/** The owner asks for a park (which renews its lease) this long before the lease ends. */
const LEASE_RENEW_MS = 20_000;
/** A run waiting only for an authorization steps at most this often. */
const MIN_STEP_GAP_MS = 2_000;
/** A step claimed but not seen parked again after this long: ask n8n where the run stands. */
const STEP_SEEN_WITHIN_MS = 30_000;
/**
 * The same for a last step, which parks nothing: n8n may refuse the resume a callback asked for
 * (500, another resume of the run was ending), and the run would wait for n8n's timer.
 */
const FINAL_SEEN_WITHIN_MS = 10_000;
const SYNC_RETRY_MS = 15_000;
const MAX_READS_PER_TURN = 40;
/** An engine whose run never resumed is dropped this long after its wait limit. */
const FORGET_AFTER_MS = 10 * 60_000;
/**
 * n8n's wait poll (every minute) arms a timer for each execution waiting until at most this far
 * ahead, and that timer resumes the execution even when it has parked again since: a timed resume
 * leaves an empty run of the node in the execution (docs/n8n-internals.md §3).
 */
export const N8N_TIMER_LOOKAHEAD_MS = 70_000;
/**
 * A live process steps a run by this long after its wake-up time (park.ts posts the wake-up, or
 * the run's engine asks for the step), so n8n's own timer, set past it, fires only for a run whose
 * process is gone.
 */
export const OWN_STEP_WITHIN_MS = 15_000;
/** The engine stands in for the wake-up it suppresses this long after the wake-up time. */
const STAND_IN_AFTER_MS = 5_000;
/** Asks n8n this often whether the run's park is saved, while reads wait for it. */
const PARK_SAVED_ASK_MS = 1_000;

/**
 * The webhook side of one parked run, in the memory of the n8n process its callbacks reach
 * (processMemory.ts). It records callbacks into the run's picture, and between parks does what
 * fits into no callback's answer, in the background with the credential the first call read:
 * - if this process is the run's owner, submits the lanes' next authorized items as slots free;
 * - reads jobs whose callback is overdue (jobTracker.ts), and once a step's park is saved, the jobs
 *   whose read that step stood in for: n8n refused their callbacks while the step ran;
 * - asks n8n to run the node's next step (a request of its own to the run's callback URL,
 *   `mlitem=sync`) when the run is over, when what changed should be saved, or when a lane needs
 *   more authorized items. Any callback may also carry the step (resumeWebhook.ts).
 */
export class BatchEngine {
	picture: RunPicture;
	private handle?: { context: IWebhookFunctions; credentials: ModelsLabCredentials };
	/** The latest webhook call, for requests to the run's own URL (they need no credential). */
	private ownRequests?: IWebhookFunctions;
	private stepClaimedAt?: number;
	private claimedReason?: StepReason;
	/** First change the ledger does not hold yet. */
	private changedAt?: number;
	/** When this process last saw the run park (never, for an engine built from a saved ledger). */
	private lastParkSeenAt = 0;
	private queueFullUntil = 0;
	private nextSyncAt = 0;
	/** The last park n8n is known to have saved (its execution was seen waiting with it). */
	private savedCheckpointSeen = -1;
	private nextParkSavedAskAt = 0;
	private closed = false;
	private busy = false;
	/** Items whose submit is under way: their job objects must outlive a new park's picture. */
	private readonly submitting = new Set<number>();

	constructor(
		readonly key: string,
		ledger: RunLedger,
		readonly endpoint: SubmitEndpointSpec,
		private readonly stopOnFailure: boolean,
	) {
		this.picture = new RunPicture(ledger, endpoint);
	}

	get ledger(): RunLedger {
		return this.picture.ledger;
	}

	get isOwner(): boolean {
		return this.ledger.owner === currentProcess();
	}

	/** Whether this process may submit authorized items now (it owns the run, within its lease). */
	private holdsLease(now: number): boolean {
		return this.isOwner && now < (this.ledger.leaseUntil ?? 0);
	}

	get hasCredentials(): boolean {
		return this.handle !== undefined;
	}

	/** The webhook call whose context background work uses from now on. */
	attach(context: IWebhookFunctions, credentials?: ModelsLabCredentials): void {
		this.ownRequests = context;
		const kept = credentials ?? this.handle?.credentials;
		if (kept) this.handle = { context, credentials: kept };
	}

	/**
	 * The run parked again (a step ran): take its ledger (new authorizations, owner), keeping what
	 * this process learnt since it handed the step its picture.
	 */
	adopt(ledger: RunLedger): void {
		if (ledger.checkpoint <= this.ledger.checkpoint) return;
		const newer = new RunPicture(ledger, this.endpoint);
		// A step this process did not ask for (n8n's own timer, a stale one included): n8n refused
		// callbacks while it ran, and jobs whose callback is late may have sent theirs then.
		if (this.stepClaimedAt === undefined && ledger.selfReachable)
			newer.tracker.readLateAfterPark(newer.jobs);
		let unsaved = false;
		for (const job of this.picture.jobs) {
			// A submit under way writes its answer into this object: the new picture keeps it, or
			// the item would look queued there and be submitted again.
			const inFlight = this.submitting.has(job.itemIndex);
			if (!inFlight && !knowsMore(job, newer.jobs[job.itemIndex])) continue;
			newer.jobs[job.itemIndex] = job;
			const schedule = this.picture.tracker.saved(job.itemIndex);
			if (schedule) newer.tracker.restore(job.itemIndex, schedule);
			else newer.tracker.forget(job.itemIndex);
			unsaved = true;
		}
		this.picture = newer;
		this.stepClaimedAt = undefined;
		this.claimedReason = undefined;
		this.lastParkSeenAt = Date.now();
		// The step it asked for came: the next request to take one may go at once.
		this.nextSyncAt = 0;
		this.changedAt = unsaved ? Date.now() : undefined;
	}

	/** Takes a callback's report (see RunPicture.record); returns why it was ignored, if it was. */
	record(...args: Parameters<RunPicture['record']>): string | undefined {
		const [itemIndex, state, , chain] = args;
		const hadId = !!this.picture.jobs[itemIndex]?.state?.id;
		const ignored = this.picture.record(...args);
		// An interim callback (still running, a training state) of a known job is worth no park.
		if (!ignored && (state.phase !== 'pending' || !hadId || chain?.length)) this.changed();
		return ignored;
	}

	/**
	 * n8n ran a webhook of the run with this park loaded: the execution was waiting, so the park
	 * is saved and callbacks reach the run again.
	 */
	parkSaved(checkpoint: number | undefined): void {
		if (checkpoint !== undefined)
			this.savedCheckpointSeen = Math.max(this.savedCheckpointSeen, checkpoint);
	}

	/** The own wake-up's time has come: a step follows it, so reads due now go after its park. */
	private stepDue(now: number): boolean {
		return this.ledger.selfReachable && now >= this.ledger.wakeAt;
	}

	/** What the run needs next, if anything. */
	stepWanted(now = Date.now()): StepReason | undefined {
		if (this.closed || this.stepClaimedAt !== undefined) return undefined;
		const picture = this.picture;
		if (now >= this.ledger.deadline || picture.allSettled(now)) return 'final';
		if (this.stopOnFailure && picture.anyFailed()) return 'final';
		const saveWithin = picture.hasQueued() ? SAVE_WITHIN_MS : SAVE_IDLE_WITHIN_MS;
		if (this.changedAt !== undefined && now - this.changedAt >= saveWithin) return 'checkpoint';
		const { blocked, submittable } = picture.lanes.advance(now);
		const leaseEnding = (this.ledger.leaseUntil ?? 0) - now <= LEASE_RENEW_MS;
		const needsOwner = blocked || (submittable.length > 0 && (!this.isOwner || leaseEnding));
		// The wake-up came and nothing parked the run since: n8n's own timer must not be the one.
		// With reads due, at once: they wait for the step's park (ledgerForStep).
		const ownWakeUp = this.ledger.ownWakeUp !== false && this.stepDue(now);
		const readsWait = ownWakeUp && picture.tracker.due(picture.jobs, now).length > 0;
		const wakeUpPassed = ownWakeUp && now >= this.ledger.wakeAt + STAND_IN_AFTER_MS;
		if ((needsOwner || readsWait || wakeUpPassed) && now - this.lastParkSeenAt >= MIN_STEP_GAP_MS)
			return 'checkpoint';
		return undefined;
	}

	/**
	 * The first caller wins the step; others answer without resuming. The engine stays until the
	 * step is seen: the last step closes it (runStep.ts), a park hands it the new ledger (adopt).
	 */
	claimStep(reason: StepReason): boolean {
		if (this.closed || this.stepClaimedAt !== undefined) return false;
		this.stepClaimedAt = Date.now();
		this.claimedReason = reason;
		return true;
	}

	/** A step that broke before n8n took it may be claimed again. */
	releaseStep(): void {
		if (this.closed) return;
		this.stepClaimedAt = undefined;
		this.claimedReason = undefined;
	}

	/**
	 * The picture the step continues from: this process's. The owner stays as saved, so the step
	 * sees whether another process (or this one before a restart) may have submitted without
	 * saving (runStep.ts); the step makes this process the owner. Reads due now wait for the step's
	 * park: a callback n8n refuses while the step runs is then found by them.
	 */
	ledgerForStep(reason: StepReason, now = Date.now()): RunLedger {
		this.changedAt = undefined;
		if (reason === 'checkpoint' && this.ledger.selfReachable)
			this.picture.tracker.deferDueToAfterPark(this.picture.jobs, now);
		return this.picture.toLedger({ wokenBy: currentProcess() });
	}

	/** Ends the engine; `finished`: its run took its last step, so nothing may build it again. */
	close(finished = false): void {
		this.closed = true;
		engines.delete(this.key);
		if (finished) finishedRuns.set(this.key, Date.now());
	}

	get isClosed(): boolean {
		return this.closed;
	}

	/** Gives this engine a turn now (a callback may have freed a slot), and keeps the ticker on. */
	wake(): void {
		if (this.closed) return;
		ticker.start();
		void this.turn(Date.now());
	}

	/** One turn of background work; never runs twice at once for one engine. */
	async turn(now: number): Promise<void> {
		if (this.busy || this.closed) return;
		this.busy = true;
		try {
			await this.work(now);
		} catch (error) {
			this.handle?.context.logger.warn(
				`ModelsLab: background work of run ${this.ledger.run.id} failed: ${withoutUrlSecrets(String(error))}`,
			);
		} finally {
			this.busy = false;
		}
	}

	private async work(now: number): Promise<void> {
		if (now > this.ledger.deadline + FORGET_AFTER_MS) return this.close();
		if (this.stepClaimedAt !== undefined) {
			// The step parked the run again elsewhere (a queue-mode worker), or never ran: ask.
			const seenWithin =
				this.claimedReason === 'final' ? FINAL_SEEN_WITHIN_MS : STEP_SEEN_WITHIN_MS;
			if (now - this.stepClaimedAt >= seenWithin) await this.askAfterClaimedStep();
			return;
		}
		if (this.isOwner) await this.submitAuthorized(now);
		await this.readAfterPark();
		// Reads due when a step is due go after its park (ledgerForStep, runStep.ts).
		if (!this.stepDue(now)) await this.readOverdue(now);
		if (this.stepWanted(Date.now())) await this.sync();
	}

	private submitter(): Submitter | undefined {
		if (!this.handle) return undefined;
		const { context, credentials } = this.handle;
		return {
			context,
			endpoint: this.endpoint,
			credentials,
			onAccepted: (job) =>
				context.logger.info(
					`ModelsLab: run ${this.ledger.run.id} item ${job.itemIndex} submitted as job ${job.state?.id}`,
				),
		};
	}

	/** Submits each lane's next authorized item as its slot frees (owner only). */
	private async submitAuthorized(now: number): Promise<void> {
		const submitter = this.submitter();
		if (!submitter || now < this.queueFullUntil || !this.holdsLease(now)) return;
		for (;;) {
			if (this.stopOnFailure && this.picture.anyFailed()) return;
			const next = this.picture.lanes.advance(Date.now()).submittable[0];
			if (next === undefined || this.closed || this.stepClaimedAt !== undefined) return;
			if (!this.holdsLease(Date.now())) return;
			const job = this.picture.jobs[next];
			if (!job.request) return;
			job.request = {
				...job.request,
				body: requestBodyOf(
					this.ledger,
					next,
					job.request.body,
					this.picture.lanes.chainBefore(next),
				),
			};
			this.submitting.add(next);
			const outcome = await submitOne(submitter, job).finally(() => this.submitting.delete(next));
			if (typeof outcome === 'number') {
				this.queueFullUntil = Date.now() + outcome * 1000;
				return;
			}
			this.changed();
		}
	}

	private async readOverdue(now: number): Promise<void> {
		const handle = this.handle;
		if (!handle) return;
		const due = this.picture.tracker.due(this.picture.jobs, now);
		if (!due.length) return;
		await this.picture.tracker.readDue(
			this.picture.jobs,
			readerFor(handle.context, this.endpoint, handle.credentials),
			{ now, limit: MAX_READS_PER_TURN },
		);
		this.picture.afterReads(due);
		if (due.some((job) => !isRunning(job))) this.changed();
	}

	/**
	 * The reads the last step left for after its park (jobTracker.ts deferToAfterPark), once n8n
	 * has saved that park: until then n8n would refuse the callbacks of jobs that end meanwhile.
	 * The owner does them, the process that parked the run; after a restart the next step does.
	 */
	private async readAfterPark(): Promise<void> {
		const handle = this.handle;
		const owed = this.picture.tracker.owedAfterPark(this.picture.jobs);
		if (!handle || !owed.length || !this.isOwner) return;
		if (this.savedCheckpointSeen < this.ledger.checkpoint) await this.askParkSaved(handle.context);
		if (this.savedCheckpointSeen < this.ledger.checkpoint || this.stepClaimedAt !== undefined)
			return;
		await this.picture.tracker.readDue(
			this.picture.jobs,
			readerFor(handle.context, this.endpoint, handle.credentials),
			{ afterPark: true, limit: MAX_READS_PER_TURN },
		);
		this.picture.afterReads(owed);
		if (owed.some((job) => !isRunning(job))) this.changed();
	}

	/** A request to the run's own URL that n8n answers only once the run waits again (saved). */
	private async askParkSaved(context: IWebhookFunctions): Promise<void> {
		if (!this.ledger.selfReachable || Date.now() < this.nextParkSavedAskAt) return;
		this.nextParkSavedAskAt = Date.now() + PARK_SAVED_ASK_MS;
		const checkpoint = this.ledger.checkpoint;
		const outcome = await this.postToRun(context);
		if (outcome === 'gone') return this.close(true);
		// Only "running" says the park is not saved yet. Where n8n no longer answers its own URL
		// (a proxy, a network change), the reads go ahead rather than wait for a proof never coming.
		if (outcome !== 'running') this.parkSaved(checkpoint);
	}

	/**
	 * A request to the run's own URL about a step claimed a while ago: n8n answers that the run
	 * finished (the engine is done), that it runs (wait), or runs the webhook, which loads a newer
	 * park if one was saved (resumeWebhook.ts). A run still waiting on the park the step was asked
	 * from never got that step: it may be claimed again.
	 */
	private async askAfterClaimedStep(): Promise<void> {
		const checkpoint = this.ledger.checkpoint;
		const outcome = await this.sync();
		const unchanged = this.ledger.checkpoint === checkpoint && this.stepClaimedAt !== undefined;
		if (outcome !== 'delivered' || this.closed || !unchanged) return;
		this.releaseStep();
		this.nextSyncAt = 0;
	}

	/** Asks n8n to run the node's resume webhook (which then steps the run), if n8n reaches itself. */
	private async sync(): Promise<string | undefined> {
		const context = this.ownRequests;
		if (!context || !this.ledger.selfReachable || Date.now() < this.nextSyncAt) return undefined;
		this.nextSyncAt = Date.now() + SYNC_RETRY_MS;
		const outcome = await this.postToRun(context);
		// n8n resumed the execution already, or it finished: nothing is left to do here.
		if (outcome === 'gone') this.close(true);
		else if (outcome !== 'delivered' && outcome !== 'running')
			context.logger.warn(
				`ModelsLab: could not wake run ${this.ledger.run.id} (${outcome}); n8n's own timed resume continues it`,
			);
		return outcome;
	}

	/** A request of this process to the run's own URL (`mlitem=sync`); what n8n answered. */
	private async postToRun(context: IWebhookFunctions): Promise<string> {
		return await postToOwnUrl(
			context,
			callbackUrlFor(this.ledger.base, this.ledger.run, SYNC_ITEM),
		);
	}

	private changed(): void {
		this.changedAt ??= Date.now();
	}
}

/** Whether a process's job knows more than the saved one: an id, or an end, the other lacks. */
function knowsMore(job: ItemJob, saved: ItemJob | undefined): boolean {
	if (!saved) return false;
	if (isTerminal(job) && !isTerminal(saved)) return true;
	return !!job.state?.id && !saved.state?.id;
}

/** The engine of a run in this process, made from its ledger by the first call that needs it. */
export function engineFor(key: string, create: () => BatchEngine): BatchEngine {
	let engine = engines.get(key);
	if (!engine) {
		engine = create();
		engines.set(key, engine);
	}
	return engine;
}
