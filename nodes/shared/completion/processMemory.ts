import { randomBytes } from 'crypto';
import { sleep } from 'n8n-workflow';

import type { BatchEngine } from './batchEngine';
import type { RunKey } from './callbackUrl';
import type { ItemJob } from './itemJob';

/**
 * Everything the action nodes keep in one n8n process's memory, in one place. None of it is needed
 * to finish a run correctly: a parked run's durable record is its ledger, saved with the execution
 * (runLedger.ts), and n8n's own timed resume runs the node again from it (runStep.ts). Each entry
 * says what a restart (or another process: a queue-mode worker or webhook processor) loses.
 */

/**
 * This process, as a run's ledger names the process allowed to submit the run's queued items.
 * A restart draws a new one: the run's next step then treats what the old process may have
 * submitted without saving as uncertain, and never submits it again (lanes.ts, recover).
 */
let processToken = randomBytes(8).toString('hex');

export function currentProcess(): string {
	return processToken;
}

/**
 * The live picture of each parked run whose callbacks reach this process (batchEngine.ts), by run
 * key. Lost on restart: the next callback or step builds it again from the ledger.
 */
export const engines = new Map<string, BatchEngine>();

/**
 * Runs whose last step this process saw, and when: a callback that arrives while n8n ends the
 * execution must not build the run's engine again. Lost on restart: n8n itself refuses callbacks
 * to a running or finished execution (409).
 */
export const finishedRuns = new Map<string, number>();
const FINISHED_MEMORY_MS = 15 * 60_000;

export function wasFinished(key: string, now = Date.now()): boolean {
	for (const [run, at] of finishedRuns) if (now - at > FINISHED_MEMORY_MS) finishedRuns.delete(run);
	return finishedRuns.has(key);
}

/**
 * Jobs a node run submitted before it failed, kept for Retry On Fail: n8n runs execute() again in
 * the same process, and each item's job is submitted once per node run. Lost on restart: n8n does
 * not retry a node across a restart.
 */
export interface Attempt {
	run: RunKey;
	jobs: ItemJob[];
	at: number;
}
export const attempts = new Map<string, Attempt>();
const ATTEMPT_TTL_MS = 60 * 60_000;

export function pruneAttempts(now = Date.now()): void {
	for (const [key, attempt] of attempts)
		if (now - attempt.at > ATTEMPT_TTL_MS) attempts.delete(key);
}

/**
 * Requests the process that parked a run sends to the run's own URL when its first read is due
 * (`mlitem=sync`), so a batch whose callbacks n8n refused while it saved the park goes on at once.
 * Lost on restart: n8n's own timed resume comes then, 85 s after the wake-up's time (park.ts).
 */
export interface WakeUp {
	at: number;
	/** Skipped when this process holds the run's engine: the engine sees to the run itself. */
	engineKey: string;
	/** The run's own URL (`mlitem=sync`). */
	url: string;
}
export const wakeUps: WakeUp[] = [];

/**
 * Posts every wake-up: made from n8n's request helper of the latest park. One kept per parked run
 * would keep that run's whole execution (its input items) in memory until its wake-up, where
 * n8n keeps nothing of a waiting execution. Lost on restart, with the wake-ups.
 */
let postWakeUp: ((url: string) => Promise<unknown>) | undefined;

export function postWakeUpsWith(post: (url: string) => Promise<unknown>): void {
	postWakeUp = post;
}

const LOOP_INTERVAL_MS = 1_000;

/**
 * One loop for all background work of this process: engines' turns and wake-ups. It runs only
 * while there is any, so an idle n8n (and a finished test) holds no timer.
 */
export const ticker = {
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
				// A failed wake-up leaves n8n's own timed step; nothing else to do.
				if (!engines.has(wakeUp.engineKey) && !wasFinished(wakeUp.engineKey))
					void postWakeUp?.(wakeUp.url).catch(() => undefined);
			}
			await sleep(LOOP_INTERVAL_MS);
		}
	},
};

/**
 * Forgets everything, as a restart would (tests); `newProcess`: also draw a new process token, so
 * the runs parked before look as they do to an n8n that was restarted.
 */
export function forgetProcessMemory(options: { newProcess?: boolean } = {}): void {
	for (const engine of [...engines.values()]) engine.close();
	engines.clear();
	finishedRuns.clear();
	wakeUps.length = 0;
	postWakeUp = undefined;
	attempts.clear();
	if (options.newProcess) processToken = randomBytes(8).toString('hex');
}
