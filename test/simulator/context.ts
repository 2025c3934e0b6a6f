/**
 * The state every handler shares. Built once per simulator by startSimulator.
 */
import type { BehaviourPlanner } from './behaviour';
import type { CallbackSender } from './callbacks';
import type { JobStore } from './jobs';
import type { SimQuirks } from './quirks';
import type { SeededRandom } from './random';
import type { TimerSet } from './timers';
import type { UploadStore } from './uploads';
import type { SimStats, WorkflowDefinition } from './types';

export interface WorkflowSettings {
	/** Callback URL per workflow id, as configured on the workflow itself (§3.7). */
	webhooks: Map<string, string>;
	definitions: Map<string, WorkflowDefinition>;
	/** When each of `definitions` was last set (epoch ms): the list's `created_at`/`updated_at`. */
	definedAt: Map<string, number>;
}

export interface QueueSettings {
	/** Running generation and training jobs allowed at once; undefined = no limit (§7). */
	limit: number | undefined;
	/** What `reset()` goes back to: the `queueLimit` option. */
	readonly configuredLimit: number | undefined;
	readonly retryAfterSeconds: number;
}

/** The counters `stats()` reports; `running` and `maxRunning` come from the job store. */
export type RequestCounters = Omit<SimStats, 'running' | 'maxRunning'>;

export function emptyCounters(): RequestCounters {
	return { submits: 0, accepted: 0, rateLimited: 0, fetches: 0, uploads: 0 };
}

export interface SimContext {
	readonly apiKey: string;
	/** Public origin used in every URL handed out, e.g. `http://127.0.0.1:40123`. */
	origin: string;
	/** Epoch ms of startSimulator. */
	readonly startedAt: number;
	readonly callbackDelayMs: number;
	readonly trainingStepDelayMs: number;
	readonly timers: TimerSet;
	readonly jobs: JobStore;
	readonly uploads: UploadStore;
	readonly callbacks: CallbackSender;
	readonly planner: BehaviourPlanner;
	/** Draws job lengths from `delayMs` ranges; seeded by the `seed` option. */
	readonly random: SeededRandom;
	readonly workflows: WorkflowSettings;
	readonly queue: QueueSettings;
	readonly counters: RequestCounters;
	/** Face-swap path families served, planned fetch faults (quirks.ts). */
	readonly quirks: SimQuirks;
	log(line: string): void;
}
