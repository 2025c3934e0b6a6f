/**
 * A local stand-in for the ModelsLab API (see docs/modelslab-api.md), for tests and the
 * offline demo. Never talks to the real service.
 */
import type { AddressInfo } from 'node:net';

import { BehaviourPlanner } from './behaviour';
import { CallbackSender } from './callbacks';
import { emptyCounters, type SimContext } from './context';
import { JobStore } from './jobs';
import { SimQuirks } from './quirks';
import { DEFAULT_SEED, SeededRandom } from './random';
import { redactText } from './redact';
import { createSimulatorServer } from './server';
import { checkQueueLimit, RunningSimulator } from './simulator';
import { TimerSet } from './timers';
import { UploadStore } from './uploads';
import type { DeliveredCallback, RecordedRequest, Simulator, SimulatorOptions } from './types';

export type {
	CallbackPurpose,
	DelayRange,
	DeliveredCallback,
	FaceSwapFamily,
	FetchFamily,
	FetchFault,
	JobBehaviour,
	JobKind,
	JsonObject,
	JsonValue,
	RateLimitForm,
	RecordedRequest,
	SimJob,
	SimStats,
	SimUpload,
	Simulator,
	SimulatorOptions,
	TrainingState,
	UploadFamily,
	WorkflowDefinition,
	WorkflowParameter,
	WorkflowRunStatus,
} from './types';
export {
	ENDPOINT_RULES,
	MAX_UPLOAD_BYTES,
	UPLOAD_RULES,
	type EndpointRule,
	type OutputFileType,
	type UploadRule,
} from './endpoints';
export { TRAINING_STATES } from './training';
export {
	V7_OPERATIONS,
	type V7Family,
	type V7Field,
	type V7FieldType,
	type V7Operation,
} from './v7endpoints';
export { DEFAULT_WORKFLOW, DEFAULT_WORKFLOW_ID } from './workflows';
export { CATALOGUE_MODELS, CATALOGUE_VOICES, TRAINED_MODEL_IDS } from './catalogue';
export { SAMPLE_NAMES, sampleFile, type SampleFile } from './samples';

export const DEFAULT_API_KEY = 'sim-test-key';
const DEFAULT_CALLBACK_DELAY_MS = 300;
const DEFAULT_TRAINING_STEP_DELAY_MS = 150;
const DEFAULT_QUEUE_RETRY_AFTER_SECONDS = 1;

/** `http://host:4010/`, `http://host:4010/api` -> `http://host:4010`. */
function publicOrigin(url: string): string {
	return url.replace(/\/+$/, '').replace(/\/api$/, '');
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	const apiKey = options.apiKey ?? DEFAULT_API_KEY;
	const queueLimit = checkQueueLimit(options.queueLimit);
	const retryAfterSeconds = options.queueRetryAfterSeconds ?? DEFAULT_QUEUE_RETRY_AFTER_SECONDS;
	if (!(Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0))
		throw new RangeError('queueRetryAfterSeconds must be a non-negative number');
	const logger = options.logger;
	const log = (line: string): void => logger?.(redactText(line, apiKey));
	const timers = new TimerSet((error) =>
		log(
			`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
		),
	);
	const requests: RecordedRequest[] = [];
	const delivered: DeliveredCallback[] = [];
	const ctx: SimContext = {
		apiKey,
		origin: '',
		startedAt: Date.now(),
		callbackDelayMs: options.callbackDelayMs ?? DEFAULT_CALLBACK_DELAY_MS,
		trainingStepDelayMs: options.trainingStepDelayMs ?? DEFAULT_TRAINING_STEP_DELAY_MS,
		timers,
		jobs: new JobStore(),
		uploads: new UploadStore(),
		callbacks: new CallbackSender(delivered, timers, log),
		planner: new BehaviourPlanner(),
		random: new SeededRandom(options.seed ?? DEFAULT_SEED),
		workflows: { webhooks: new Map(), definitions: new Map(), definedAt: new Map() },
		queue: { limit: queueLimit, configuredLimit: queueLimit, retryAfterSeconds },
		counters: emptyCounters(),
		quirks: new SimQuirks(options.faceSwapPaths),
		log,
	};
	const server = createSimulatorServer(ctx, requests);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address() as AddressInfo;
	ctx.origin = options.publicBaseUrl
		? publicOrigin(options.publicBaseUrl)
		: `http://127.0.0.1:${port}`;
	return new RunningSimulator(ctx, server, requests);
}
