import type { SubmitEndpointSpec } from '../catalog/types';
import type { JobState } from '../transport/jobState';
import { extraAssetsOf } from '../transport/results';
import { callbackPolicy, JobTracker } from './jobTracker';
import { isQueued, isRunning, isSettled, isTerminal, isUnsure, type ItemJob } from './itemJob';
import { Lanes } from './lanes';
import { jobOf, ledgerItemOf, type RunLedger } from './runLedger';

/** Callbacks the run must have seen before it trusts their durations over ModelsLab's ETAs. */
const MIN_DURATIONS = 3;
const MAX_DURATIONS = 50;

/**
 * A parked run as one process sees it: every item's job, the lanes and the read schedule, built
 * from the run's ledger and written back to it at the next park. The webhook side (batchEngine.ts)
 * keeps one per run between callbacks; a step (runStep.ts) builds one from the ledger it runs on.
 */
export class RunPicture {
	readonly jobs: ItemJob[];
	readonly lanes: Lanes;
	readonly tracker = new JobTracker(callbackPolicy(() => this.typicalMs()));
	/** How long this run's jobs took, submit to final callback, latest last. */
	private readonly durations: number[] = [];

	constructor(
		public ledger: RunLedger,
		readonly endpoint: SubmitEndpointSpec,
	) {
		this.jobs = ledger.items.map((_, itemIndex) => jobOf(ledger, itemIndex, endpoint.jobKind));
		this.lanes = new Lanes(
			ledger.lanes.map((lane) => ({ ...lane, items: [...lane.items] })),
			this.jobs,
		);
		ledger.items.forEach((item, itemIndex) => {
			if (item.check) this.tracker.restore(itemIndex, item.check);
		});
	}

	/**
	 * How long a job of this run takes at most, once its callbacks have shown it (the longest of
	 * the latest; not the median: the first callbacks are always of the shortest jobs), else what
	 * the last park saved.
	 */
	typicalMs(): number | undefined {
		if (this.durations.length < MIN_DURATIONS) return this.ledger.typicalMs;
		return Math.max(...this.durations);
	}

	private learnDuration(job: ItemJob): void {
		if (job.submittedAt === undefined) return;
		this.durations.push(Math.max(0, Date.now() - job.submittedAt));
		if (this.durations.length > MAX_DURATIONS) this.durations.shift();
		for (const other of this.jobs.filter(isRunning)) this.tracker.retime(other);
	}

	/** The ledger of this picture, for the next park (`changes`: run-level fields to set). */
	toLedger(changes: Partial<RunLedger> = {}): RunLedger {
		return {
			...this.ledger,
			lanes: this.lanes.lanes.map((lane) => ({ ...lane, items: [...lane.items] })),
			typicalMs: this.typicalMs(),
			items: this.jobs.map((job) =>
				ledgerItemOf(job, isRunning(job) ? this.tracker.scheduleOf(job) : undefined),
			),
			...changes,
		};
	}

	/**
	 * Takes a job state a callback reports for an item; `chain`: the jobs the callback's lane
	 * started before it since the last park (its URL names them). Returns why it was ignored, or
	 * undefined when it was taken.
	 */
	record(
		itemIndex: number,
		state: JobState,
		trackId: string,
		chain: readonly string[] = [],
	): string | undefined {
		const job = this.jobs[itemIndex];
		if (!job) return `item ${itemIndex} is not part of this node run`;
		if (trackId && job.trackId && trackId !== job.trackId)
			return `track_id "${trackId}" is not the one item ${itemIndex} was submitted with`;
		const knownId = job.state?.id;
		if (knownId && state.id && state.id !== knownId)
			return `job ${state.id} is not the job of item ${itemIndex} (${knownId})`;
		for (const learnt of this.lanes.takeChain(itemIndex, chain))
			this.learnId(learnt.itemIndex, learnt.id);
		if (isTerminal(job)) return `item ${itemIndex} is finished already (duplicate)`;
		// A queued or unsure item that calls back was submitted by a process before n8n restarted.
		job.request = undefined;
		job.unsure = undefined;
		job.submittedAt ??= Date.now();
		const previous = job.state;
		// A callback need not repeat what the submit answered (a 3D job's `extra_assets`).
		const extraAssets = extraAssetsOf(state) ?? previous?.extraAssets;
		job.state = {
			...state,
			id: state.id || knownId || '',
			eta: state.eta ?? previous?.eta,
			fetchResult: state.fetchResult ?? previous?.fetchResult,
			...(extraAssets ? { extraAssets } : {}),
			raw: { ...previous?.raw, ...state.raw },
		};
		if (state.phase === 'pending') this.tracker.heardFrom(job);
		else {
			this.tracker.forget(itemIndex);
			this.learnDuration(job);
		}
		return undefined;
	}

	/** An item's job id, learnt from a later job's callback: read it now to learn where it stands. */
	private learnId(itemIndex: number, id: string): void {
		const job = this.jobs[itemIndex];
		job.state = { kind: this.endpoint.jobKind, id, phase: 'pending', output: [], raw: {} };
		job.submittedAt ??= Date.now();
		this.tracker.readAt(job);
	}

	/**
	 * After every read: a job found still running proves its lane started nothing after it, once
	 * no earlier owner may submit any more (its lease ended: `takeoverAt`).
	 */
	afterReads(read: readonly ItemJob[], now = Date.now()): void {
		if (now < (this.ledger.takeoverAt ?? 0)) return;
		for (const job of read) if (isRunning(job)) this.lanes.stillRunning(job.itemIndex);
	}

	/** Every item settled: finished, failed, or given up on. */
	allSettled(now = Date.now()): boolean {
		return this.jobs.every((job) => isSettled(job, now));
	}

	/** Some job failed, or some item could not be submitted. */
	anyFailed(): boolean {
		return this.jobs.some((job) => job.error !== undefined || job.state?.phase === 'failed');
	}

	/** Items not settled yet (what a keep-waiting answer reports). */
	pendingCount(now = Date.now()): number {
		return this.jobs.filter((job) => !isSettled(job, now)).length;
	}

	/** The earliest time something is due: a read, or giving up on an unsure item. */
	nextDueAt(now = Date.now()): number | undefined {
		const times = [
			this.tracker.nextDueAt(this.jobs),
			...this.jobs
				.filter((job) => isUnsure(job) && (job.unsure?.until ?? 0) > now)
				.map((job) => job.unsure?.until ?? now),
		].filter((time): time is number => time !== undefined);
		return times.length ? Math.min(...times) : undefined;
	}

	hasQueued(): boolean {
		return this.jobs.some(isQueued);
	}
}
