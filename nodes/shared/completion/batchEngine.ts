import { sleep, type IExecuteFunctions, type IWebhookFunctions } from 'n8n-workflow';

import type { SubmitEndpointSpec } from '../catalog/types';
import type { ModelsLabCredentials } from '../transport/context';
import { fetchJob } from '../transport/jobs';
import type { JobState } from '../transport/jobState';
import { withoutUrlSecrets } from '../transport/redact';
import { callbackUrlFor, SYNC_ITEM } from './callbackUrl';
import { fetchPathValues } from './inProcessRun';
import { isQueued, isRunning, isTerminal, type ItemJob } from './itemJob';
import { requestBodyOf, stateOfStored, type RunLedger } from './runLedger';
import { submitOne, type Submitter } from './submissions';

/**
 * The webhook side of one parked node run, in the memory of the n8n process that takes its
 * callbacks (docs/architecture.md, "A batch that waits").
 *
 * n8n keeps nothing a resume webhook writes until the one that resumes (docs/n8n-internals.md
 * §9), so the picture of the run lives here: built from the ledger saved at park by the first
 * callback that reaches this process, then kept up to date by every callback. That lets the last
 * callback resume with every result without reading a single job back, and lets jobs queued
 * behind the account's queue limit be submitted as running ones finish, without holding an n8n
 * worker: each finished job starts the next one of its lane (lane i: wave[i], then the queued
 * items i, i + L, i + 2L, ... with L = wave.length).
 *
 * Lanes make the order deterministic: a job is only ever started by its predecessor's finish, so a
 * process that rebuilt the run from the ledger never starts a job another process already started
 * for a predecessor it saw finish. Work that does not fit into a callback's answer (submits that
 * wait for a free slot, checks of jobs whose callback is overdue, the wait limit) runs in the
 * background with the credential read by the webhook call, and a finished run that no callback
 * completes is resumed by a request of the node's own to its callback URL (`mlitem=sync`).
 */
export class BatchEngine {
	readonly jobs: ItemJob[];
	/** Item → the item its lane starts after it. */
	private readonly successors = new Map<number, number>();
	/** Items whose lane is to be continued (their successor submitted). */
	private readonly toStart: number[] = [];
	/** Items this engine submitted: a check that finds one finished may continue its lane. */
	private readonly startedHere = new Set<number>();
	private readonly checks = new Map<number, { dueAt: number; delayMs: number }>();
	/** Whether a check that finds a wave job finished may continue its lane (see `trusted`). */
	private readonly trusted: boolean;
	private handle?: { context: IWebhookFunctions; credentials: ModelsLabCredentials };
	private queueFullUntil = 0;
	private nextSyncAt = 0;
	private resumeClaimed = false;
	private closed = false;
	private busy = false;
	private stopSubmitting = false;

	constructor(
		readonly key: string,
		readonly ledger: RunLedger,
		readonly endpoint: SubmitEndpointSpec,
		private readonly stopOnFailure: boolean,
		now = Date.now(),
	) {
		this.jobs = ledger.items.map((item, itemIndex): ItemJob => {
			const job: ItemJob = { itemIndex, trackId: item.trackId };
			if (item.error !== undefined) job.error = new Error(item.error);
			else if (item.request) {
				job.request = {
					itemIndex,
					trackId: item.trackId,
					body: requestBodyOf(ledger, itemIndex, item.request),
					pathValues: item.request.pathValues,
				};
			} else if (item.jobId !== undefined) {
				job.state = item.state
					? stateOfStored(endpoint.jobKind, item.jobId, item.state)
					: {
							kind: endpoint.jobKind,
							id: item.jobId,
							phase: 'pending',
							output: [],
							eta: item.eta,
							raw: {},
						};
				job.submittedAt = ledger.parkedAt;
			}
			return job;
		});
		const lanes = ledger.wave.length;
		const queued = this.jobs.filter(isQueued).map((job) => job.itemIndex);
		ledger.wave.forEach((item, lane) => {
			if (queued[lane] !== undefined) this.successors.set(item, queued[lane]);
		});
		queued.forEach((item, position) => {
			const next = queued[position + lanes];
			if (next !== undefined) this.successors.set(item, next);
		});
		// Callbacks that reached n8n before it saved the execution as waiting were refused (409,
		// docs/n8n-internals.md §5.1): look at every wave job once.
		for (const item of ledger.wave) this.checks.set(item, { dueAt: now, delayMs: 0 });
		// Created soon after the park, this engine is the first: a wave job found finished was
		// missed, not handled by an engine that ran before an n8n restart.
		const etaMs =
			Math.max(30, ...this.jobs.filter(isRunning).map((job) => job.state?.eta ?? 30)) * 1000;
		this.trusted = now <= ledger.parkedAt + Math.max(2 * etaMs, 120_000);
	}

	/**
	 * The webhook call whose context background work uses from now on; the credential is read by
	 * the call that creates the engine and kept.
	 */
	attach(context: IWebhookFunctions, credentials?: ModelsLabCredentials): void {
		const kept = credentials ?? this.handle?.credentials;
		if (kept) this.handle = { context, credentials: kept };
	}

	/**
	 * Takes a job state reported for an item (by its callback, or by a check). Returns why it was
	 * ignored, or undefined when it was taken.
	 */
	record(
		itemIndex: number,
		state: JobState,
		trackId: string,
		source: 'callback' | 'check',
	): string | undefined {
		const job = this.jobs[itemIndex];
		if (!job) return `item ${itemIndex} is not part of this node run`;
		if (trackId && job.trackId && trackId !== job.trackId) {
			return `track_id "${trackId}" is not the one item ${itemIndex} was submitted with`;
		}
		const knownId = job.state?.id;
		if (knownId && state.id && state.id !== knownId) {
			return `job ${state.id} is not the job of item ${itemIndex} (${knownId})`;
		}
		if (isTerminal(job)) return `item ${itemIndex} is finished already (duplicate)`;
		if (isQueued(job)) {
			// Submitted by an engine of this run before an n8n restart: its callback tells us.
			job.request = undefined;
			job.submittedAt = Date.now();
		}
		const previous = job.state;
		job.state = {
			...state,
			id: state.id || knownId || '',
			eta: state.eta ?? previous?.eta,
			raw: { ...previous?.raw, ...state.raw },
		};
		if (state.phase === 'pending') {
			// A job that calls back (even only to say it runs) had no callback refused at the park:
			// no need to look at it now, only if its final callback is overdue.
			if (source === 'callback') this.scheduleCheck(job);
			return undefined;
		}
		this.checks.delete(itemIndex);
		if (
			source === 'callback' ||
			this.trusted ||
			this.startedHere.has(itemIndex) ||
			!this.ledger.wave.includes(itemIndex)
		) {
			this.continueLane(itemIndex);
		}
		if (state.phase === 'failed' && this.stopOnFailure) this.stopSubmitting = true;
		return undefined;
	}

	/** A callback that could not be read: look at the job soon instead. */
	checkSoon(itemIndex: number): void {
		if (isRunning(this.jobs[itemIndex]))
			this.checks.set(itemIndex, { dueAt: Date.now() + 2_000, delayMs: 2_000 });
	}

	deadlinePassed(now = Date.now()): boolean {
		return now >= this.ledger.deadline;
	}

	/**
	 * Reads every running job once: the wait limit passed, and what ModelsLab says now is the run's
	 * last word (a job whose callback never came may well be finished).
	 */
	async checkAllRunning(): Promise<void> {
		for (const job of this.jobs.filter(isRunning)) {
			this.checks.set(job.itemIndex, { dueAt: 0, delayMs: MIN_CHECK_DELAY_MS });
		}
		await this.checkSilentJobs(Date.now(), Number.POSITIVE_INFINITY);
	}

	/** Every job finished, the wait limit passed, or (without Continue On Fail) one failed. */
	readyToResume(now = Date.now()): boolean {
		if (now >= this.ledger.deadline) return true;
		if (this.stopSubmitting) return true;
		return this.jobs.every(isTerminal);
	}

	/** The first caller wins; later callbacks (and other engines' wake-ups) answer without resuming. */
	claimResume(): boolean {
		if (this.resumeClaimed) return false;
		this.resumeClaimed = true;
		return true;
	}

	/** A resume that broke before n8n took it may be claimed again. */
	releaseResume(): void {
		this.resumeClaimed = false;
	}

	/** Ends the engine; `resumed`: its run resumed, so no later callback may build it again. */
	close(resumed = false): void {
		this.closed = true;
		engines.delete(this.key);
		if (resumed) resumedRuns.set(this.key, Date.now());
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

	private continueLane(itemIndex: number): void {
		const next = this.successors.get(itemIndex);
		if (next !== undefined && isQueued(this.jobs[next])) this.toStart.push(next);
	}

	/** One turn of background work; never runs twice at once for one engine. */
	async turn(now: number): Promise<void> {
		if (this.busy || this.closed) return;
		this.busy = true;
		try {
			await this.tick(now);
			// Work that arrived while this turn ran (callbacks freeing slots) starts at once.
			while (this.toStart.some((item) => isQueued(this.jobs[item]))) {
				if (!(await this.startQueued(Date.now()))) break;
			}
		} catch (error) {
			this.handle?.context.logger.warn(
				`ModelsLab: background work of run ${this.ledger.run.id} failed: ${withoutUrlSecrets(String(error))}`,
			);
		} finally {
			this.busy = false;
		}
	}

	private async tick(now: number): Promise<void> {
		if (now > this.ledger.deadline + FORGET_AFTER_MS) return this.close();
		if (this.resumeClaimed) return;
		await this.startQueued(now);
		await this.checkSilentJobs(now);
		// A callback may have resumed the run while this turn waited for ModelsLab.
		if (this.resumeClaimed || this.closed) return;
		if (this.readyToResume(Date.now()) && Date.now() >= this.nextSyncAt) await this.sync();
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

	/** Submits the lanes' next jobs; whether it submitted any (a full queue or no context: none). */
	private async startQueued(now: number): Promise<boolean> {
		const submitter = this.submitter();
		if (!submitter || now < this.queueFullUntil) return false;
		let submitted = false;
		while (this.toStart.length && !this.stopSubmitting && !this.closed) {
			const itemIndex = this.toStart[0];
			const job = this.jobs[itemIndex];
			if (!isQueued(job)) {
				this.toStart.shift();
				continue;
			}
			const outcome = await submitOne(submitter, job);
			if (typeof outcome === 'number') {
				this.queueFullUntil = Date.now() + outcome * 1000;
				return submitted;
			}
			submitted = true;
			this.toStart.shift();
			if (isRunning(job)) {
				this.startedHere.add(itemIndex);
				this.scheduleCheck(job);
			} else {
				// Failed at submit, or finished at once: the lane goes on.
				if (job.error && this.stopOnFailure) this.stopSubmitting = true;
				this.continueLane(itemIndex);
			}
		}
		return submitted;
	}

	/** Reads jobs whose callback is overdue (or was refused before the park), a few at a time. */
	private async checkSilentJobs(now: number, limit = MAX_CHECKS_PER_TICK): Promise<void> {
		const handle = this.handle;
		if (!handle) return;
		for (const job of this.jobs.filter(isRunning))
			if (!this.checks.has(job.itemIndex)) this.scheduleCheck(job);
		const due = this.jobs.filter(
			(job) => isRunning(job) && (this.checks.get(job.itemIndex)?.dueAt ?? Infinity) <= now,
		);
		const queue = due.slice(0, limit);
		const worker = async (): Promise<void> => {
			for (let job = queue.shift(); job; job = queue.shift()) {
				const check = this.checks.get(job.itemIndex);
				if (!check || !job.state) continue;
				try {
					const state = await fetchJob.call(
						handle.context,
						this.endpoint.jobKind,
						this.endpoint.fetchPath,
						fetchPathValues(job),
						job.itemIndex,
						{ credentials: handle.credentials, submitted: job.state },
					);
					this.record(job.itemIndex, { ...state, id: state.id || job.state.id }, '', 'check');
					if (state.phase === 'pending') this.backOff(job.itemIndex, check.delayMs);
				} catch {
					// A read that fails says nothing about the job: read it again soon.
					this.checks.set(job.itemIndex, {
						dueAt: Date.now() + READ_RETRY_MS,
						delayMs: check.delayMs,
					});
				}
			}
		};
		await Promise.all(Array.from({ length: CHECKERS }, worker));
	}

	private scheduleCheck(job: ItemJob): void {
		const etaMs = (job.state?.eta ?? DEFAULT_ETA_S) * 1000;
		const delayMs = Math.min(Math.max(3 * etaMs, MIN_CHECK_DELAY_MS), MAX_CHECK_DELAY_MS);
		this.checks.set(job.itemIndex, { dueAt: (job.submittedAt ?? Date.now()) + delayMs, delayMs });
	}

	private backOff(itemIndex: number, delayMs: number): void {
		const next = Math.min(Math.max(delayMs * 2, FIRST_RECHECK_MS), MAX_CHECK_DELAY_MS);
		this.checks.set(itemIndex, { dueAt: Date.now() + next, delayMs: next });
	}

	/**
	 * Asks n8n to run this node's resume webhook without a ModelsLab callback: the run is ready but
	 * nothing else would resume it (its last job was found by a check, or the wait limit passed).
	 */
	private async sync(): Promise<void> {
		const handle = this.handle;
		if (!handle) return;
		this.nextSyncAt = Date.now() + SYNC_RETRY_MS;
		try {
			await handle.context.helpers.httpRequest({
				method: 'POST',
				url: callbackUrlFor(this.ledger.base, this.ledger.run, SYNC_ITEM),
				body: {},
				json: true,
				timeout: 30_000,
			});
		} catch (error) {
			// 409: n8n resumed the execution already (or it finished): nothing is left to do.
			if (/\b409\b/.test(String(error))) return this.close();
			handle.context.logger.warn(
				`ModelsLab: could not wake run ${this.ledger.run.id} (${withoutUrlSecrets(String(error))}); n8n resumes it at the wait limit`,
			);
		}
	}
}

const LOOP_INTERVAL_MS = 1_000;
const DEFAULT_ETA_S = 30;
const MIN_CHECK_DELAY_MS = 60_000;
const FIRST_RECHECK_MS = 30_000;
const MAX_CHECK_DELAY_MS = 10 * 60_000;
const READ_RETRY_MS = 5_000;
const MIN_KICK_DELAY_MS = 30_000;
const MIN_CHECK_WAKE_UP_MS = 2 * 60_000;
const SYNC_RETRY_MS = 30_000;
const CHECKERS = 4;
const MAX_CHECKS_PER_TICK = 40;
/** An engine whose run never resumed is dropped this long after its wait limit. */
const FORGET_AFTER_MS = 10 * 60_000;

const engines = new Map<string, BatchEngine>();

export function existingEngine(key: string): BatchEngine | undefined {
	return engines.get(key);
}

/**
 * Runs this process resumed, for a while: until n8n has marked the resumed execution running, a
 * late callback still reaches the resume webhook, and must not build the run anew from its ledger
 * and resume it a second time.
 */
const resumedRuns = new Map<string, number>();
const RESUMED_MEMORY_MS = 15 * 60_000;

export function wasResumed(key: string, now = Date.now()): boolean {
	for (const [run, at] of resumedRuns) if (now - at > RESUMED_MEMORY_MS) resumedRuns.delete(run);
	return resumedRuns.has(key);
}

/** The engine of a run in this process, made from its ledger by the first callback that needs it. */
export function engineFor(key: string, create: () => BatchEngine): BatchEngine {
	let engine = engines.get(key);
	if (!engine) {
		engine = create();
		engines.set(key, engine);
	}
	return engine;
}

interface WakeUp {
	at: number;
	/** Skipped when this process holds the run's engine: the engine sees to the run itself. */
	engineKey: string;
	post: () => Promise<unknown>;
}

const wakeUps: WakeUp[] = [];

/**
 * Wake-ups from the process that parked a run (in queue mode a worker, which takes no callbacks):
 * when no callback can have arrived in time (every one was refused while n8n saved the execution)
 * and at the wait limit, it asks n8n to run the resume webhook (`mlitem=sync`), which builds the
 * run's engine where callbacks arrive and lets it look at the jobs.
 */
export function scheduleWakeUps(context: IExecuteFunctions, ledger: RunLedger): void {
	const engineKey = `${context.getExecutionId()}:${context.getNode().id}:${ledger.run.id}`;
	const post = async (): Promise<unknown> =>
		await context.helpers.httpRequest({
			method: 'POST',
			url: callbackUrlFor(ledger.base, ledger.run, SYNC_ITEM),
			body: {},
			json: true,
			timeout: 30_000,
		});
	// By twice the longest ETA of the jobs that ran at park, a callback would have come. A batch
	// with queued items moves only on callbacks, so if every callback of its first wave was refused
	// while n8n saved the park, nothing would: it is looked at then. Other runs, whose callback may
	// simply never come (ModelsLab delivers them best effort), a little later.
	const running = ledger.wave.map((item) => ledger.items[item]?.eta ?? DEFAULT_ETA_S);
	const etaMs = Math.max(0, ...running) * 1000;
	const paced = ledger.items.some((item) => item.request);
	const delayMs = paced
		? Math.max(2 * etaMs, MIN_KICK_DELAY_MS)
		: Math.max(3 * etaMs, MIN_CHECK_WAKE_UP_MS);
	if (ledger.parkedAt + delayMs < ledger.deadline)
		wakeUps.push({ at: ledger.parkedAt + delayMs, engineKey, post });
	wakeUps.push({ at: ledger.deadline, engineKey, post });
	ticker.start();
}

/**
 * One loop for all background work of this process: engines' turns and wake-ups. It runs while
 * there is any, so an idle n8n (and a finished test) holds no timer.
 */
const ticker = {
	running: false,
	start(): void {
		if (this.running) return;
		this.running = true;
		void this.run().finally(() => (this.running = false));
	},
	async run(): Promise<void> {
		while (engines.size || wakeUps.length) {
			const now = Date.now();
			for (const engine of [...engines.values()]) void engine.turn(now);
			for (const wakeUp of wakeUps.filter((entry) => entry.at <= now)) {
				wakeUps.splice(wakeUps.indexOf(wakeUp), 1);
				// A failed wake-up leaves n8n's own resume at the wait limit; nothing else to do.
				if (!engines.has(wakeUp.engineKey) && !wasResumed(wakeUp.engineKey)) {
					void wakeUp.post().catch(() => undefined);
				}
			}
			await sleep(LOOP_INTERVAL_MS);
		}
	},
};

/** Ends every engine's background work and drops pending wake-ups (tests, shutdown). */
export function closeAllEngines(): void {
	for (const engine of [...engines.values()]) engine.close();
	wakeUps.length = 0;
	resumedRuns.clear();
}
