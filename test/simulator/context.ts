/**
 * The state every handler shares. Built once per simulator by startSimulator.
 */
import type { BehaviourPlanner } from './behaviour';
import type { CallbackSender } from './callbacks';
import type { JobStore } from './jobs';
import type { TimerSet } from './timers';
import type { WorkflowDefinition } from './types';

export interface WorkflowSettings {
	/** Callback URL per workflow id, as configured on the workflow itself (§3.7). */
	webhooks: Map<string, string>;
	definitions: Map<string, WorkflowDefinition>;
}

export interface SimContext {
	readonly apiKey: string;
	/** Public origin used in every URL handed out, e.g. `http://127.0.0.1:40123`. */
	origin: string;
	readonly callbackDelayMs: number;
	readonly trainingStepDelayMs: number;
	readonly timers: TimerSet;
	readonly jobs: JobStore;
	readonly callbacks: CallbackSender;
	readonly planner: BehaviourPlanner;
	readonly workflows: WorkflowSettings;
	log(line: string): void;
}
