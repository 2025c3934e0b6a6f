/**
 * Public vocabulary of the ModelsLab simulator. Everything a test or the CLI touches is declared
 * here so the implementation files can change without breaking callers.
 */

/** JSON as parsed from a request or sent in a callback. */
export type JsonValue =
	string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface SimulatorOptions {
	/** Port on 127.0.0.1; 0 or absent picks a free one. */
	port?: number;
	/** The only key the simulator accepts. Default `sim-test-key`. */
	apiKey?: string;
	/** Time from submit to a generation job's final state and callback. Default 300 ms. */
	callbackDelayMs?: number;
	/** Time between two training states. Default 150 ms. */
	trainingStepDelayMs?: number;
	/**
	 * Origin that clients use to reach the simulator (e.g. `http://host.docker.internal:4010`),
	 * used in every URL it hands out. Default: the listening origin.
	 */
	publicBaseUrl?: string;
	/** Receives one line per request and per callback; the API key never appears in it. */
	logger?: (line: string) => void;
	/**
	 * Account queue limit (§7): at most this many generation and training jobs of the key may be
	 * running at once; a submit beyond it answers HTTP 429. Workflow runs, fetches and uploads never
	 * count. Default: no limit. The real service allows 5, 10 or 15 by plan.
	 */
	queueLimit?: number;
	/** `retry_after` (seconds) of a queue-limit 429. Default 1; the real service says 30. */
	queueRetryAfterSeconds?: number;
	/**
	 * Seed of the generator behind `delayMs: {min, max}`. Default fixed, so runs are reproducible;
	 * `reset()` starts the sequence again.
	 */
	seed?: number;
	/**
	 * Which face-swap path families answer (submits and fetches): `/api/v6/faceswap/...` (the docs
	 * since 2026-02-26), `/api/v6/deepfake/...` (every SDK), or both; the other answers HTTP 404.
	 * Default both. `setFaceSwapPaths` changes it; `reset()` puts this back.
	 */
	faceSwapPaths?: readonly FaceSwapFamily[];
}

/** The face-swap path families: the current name and the old one every SDK still calls. */
export type FaceSwapFamily = 'faceswap' | 'deepfake';

/**
 * How a rate limit is answered: `body` HTTP 429 with `retry_after` (the documented form),
 * `http200` HTTP 200 `{status: "error", message, retry_after}`, `retryAfterHeader` HTTP 429 whose
 * wait is only in a `Retry-After: <seconds>` header, `retryAfterDate` the same as an HTTP date,
 * `rateLimitReset` HTTP 429 with only `X-RateLimit-Reset: <epoch seconds>` (ModelsLab's CLI).
 */
export type RateLimitForm =
	'body' | 'http200' | 'retryAfterHeader' | 'retryAfterDate' | 'rateLimitReset';

/** How the next fetch (or status) request fails instead of being answered (`planFetch`). */
export interface FetchFault {
	/** A rate limit in the given form (default `body`). */
	rateLimit?: { retryAfter: number; form?: RateLimitForm };
	/** HTTP 200 `{status: "error", message: <text>}` (what ModelsLab answers for a failed job). */
	http200Error?: string;
	/** This HTTP status with `{status: "error", message}`, or with a gateway's HTML page. */
	httpStatus?: number;
	htmlPage?: boolean;
	/** The connection is destroyed without an answer. */
	resetConnection?: boolean;
}

/** A job length drawn uniformly from [min, max] milliseconds, once per job. */
export interface DelayRange {
	min: number;
	max: number;
}

/** Request counters since start or the last `reset()`. */
export interface SimStats {
	/** Requests to submit endpoints (generation, v7, training, workflow run), whatever the answer. */
	submits: number;
	/** Submits that created a job. */
	accepted: number;
	/** Submits answered with a rate limit (the queue limit or a planned `rateLimit`, in any form). */
	rateLimited: number;
	/** Requests to fetch and status endpoints (v6/v7 fetch, fine_tune_status, workflow run status). */
	fetches: number;
	/** Requests to the `base64_to_url` endpoints, whatever the answer. */
	uploads: number;
	/** Generation and training jobs of the key running now. */
	running: number;
	/** The highest `running` seen at any moment. */
	maxRunning: number;
}

/** How one submitted job behaves. Every field is optional; unset fields fall back to the default behaviour. */
export interface JobBehaviour {
	outcome?: 'success' | 'failed';
	/** Submit answers `status: "success"` with the output; the webhook is still sent unless dropped. */
	instant?: boolean;
	/** Time to finish (for training: time between two states); a range draws one value per job. */
	delayMs?: number | DelayRange;
	/**
	 * Generation jobs: the fetch endpoint keeps answering `processing` for this long after the job
	 * reached its final state, while the callback goes out at the final state (a lagging fetch).
	 */
	fetchLagMs?: number;
	/** Never finishes until `completeJob`. */
	hold?: boolean;
	/** Send the final callback this many extra times, some of them concurrently. */
	duplicateCallbacks?: number;
	/** Finish the job (fetch shows it) but send no callback. */
	dropCallback?: boolean;
	/** Send a `processing` callback before the final one. */
	interimCallback?: boolean;
	/** Answer a rate limit to the next `times` (default 1) submits before accepting one. */
	rateLimit?: { retryAfter: number; times?: number; form?: RateLimitForm };
	/** Answer HTTP 200 `{status:'error', messege: <text>}` (legacy spelling; see `errorField`). */
	http200Error?: string;
	/** Answer this HTTP status with `{status:'error', message: errorMessage}` (see `errorField`). */
	httpStatus?: number;
	errorMessage?: string;
	/**
	 * The field that carries the text of `http200Error` and `httpStatus` answers: `message`,
	 * `messege` or `error` (ModelsLab's CLI reads `error` too). Default: the endpoint's own.
	 */
	errorField?: 'message' | 'messege' | 'error';
	/**
	 * A gateway's HTML error page instead of the submit's answer; with `jobCreated` the job was
	 * created (and runs, and calls back) all the same.
	 */
	gatewayError?: { status: 502 | 504; jobCreated: boolean };
	/** Create the job, then hold the submit's answer this long (past the client's timeout). */
	hangMs?: number;
	/** Create the job, then destroy the connection without answering. */
	resetConnection?: boolean;
	/** Answer the submit with `id: null`; the id is only in `fetch_result` (2025 examples). */
	submitIdNull?: boolean;
	/**
	 * Name `<origin>/api<fetchResultPath>/<id>` (e.g. `/v6/whisper/fetch`) as the job's
	 * `fetch_result` and serve the job only there: its family's fetch path answers not found.
	 */
	fetchResultPath?: string;
	/**
	 * Success answers (fetch, instant submit, callback) carry `output: []` and the files only in
	 * `future_links` or in `proxy_links`.
	 */
	emptyOutput?: 'futureLinks' | 'proxyLinks';
	/**
	 * 3D: only processing answers (the submit's) carry `extra_assets`, as ModelsLab's sources show
	 * them; success answers (fetch, callback) leave the field out. Default: success answers repeat it.
	 */
	extraAssetsOnlyWhileProcessing?: boolean;
	/**
	 * Workflow runs: the callback's shape. `overview` (default) `{event, execution_id, status,
	 * output: {output}}` (workflows-api/overview.mdx), `webhooksPage` `{event, workflow,
	 * execution: {id, status, output_data: {images}}}` (webhooks.mdx).
	 */
	workflowCallbackShape?: 'overview' | 'webhooksPage';
	/** Seconds, echoed as `eta` in the processing reply. */
	eta?: number;
	/** Re-send a callback answered with a non-2xx status up to this many times, with a short backoff. */
	retryCallbacksOnNon2xx?: number;
	/** Echo a digits-only `track_id` as a JSON number in callbacks. */
	callbackTrackIdAsNumber?: boolean;
}

export interface RecordedRequest {
	method: string;
	/** Path without the query string, e.g. `/api/v6/images/text2img`. */
	path: string;
	query: Record<string, string | string[]>;
	/** Lower-case header names; `key` and `authorization` are `***`. */
	headers: Record<string, string | string[]>;
	/** Parsed JSON with `key` (and any occurrence of the API key) replaced by `***`; raw text if not JSON; undefined if empty. */
	body: JsonValue | string | undefined;
	/** Epoch milliseconds. */
	receivedAt: number;
	/** HTTP status the simulator answered. */
	status: number;
}

/** Why a callback was sent. */
export type CallbackPurpose = 'interim' | 'final' | 'duplicate' | 'trainingState' | 'workflow';

export interface DeliveredCallback {
	url: string;
	body: JsonObject;
	/** HTTP status of the receiver's answer; absent when the POST failed (see `error`). */
	status?: number;
	error?: string;
	/** 1 for the first POST, 2+ for re-sends after a non-2xx answer. */
	attempt: number;
	/** Epoch milliseconds when the POST started. */
	sentAt: number;
	/** The job (request id, training id or execution id) the callback belongs to. */
	jobId: string;
	purpose: CallbackPurpose;
}

export type JobKind = 'generation' | 'training' | 'workflowRun';

/**
 * The fetch endpoint a generation job is read back from: `/api/v6/<family>/fetch/{id}`, or for
 * the v7 families `/api/v7/<images|video-fusion|voice>/fetch/{id}`.
 */
export type FetchFamily =
	| 'images'
	| 'realtime'
	| 'video'
	| 'voice'
	| '3d'
	| 'image_editing'
	| 'faceswap'
	| 'interior'
	| 'v7/images'
	| 'v7/video-fusion'
	| 'v7/voice';

/** Which `base64_to_url` endpoint took an upload: `general` is `/api/v6/base64_to_url`. */
export type UploadFamily = 'general' | 'image_editing' | 'voice' | 'video' | '3d';

/** A file received by a `base64_to_url` endpoint and served back at `url`. */
export interface SimUpload {
	/** The `id` of the upload answer. */
	readonly id: number;
	readonly url: string;
	/** The MIME type of the data URI, served as the content-type. */
	readonly mime: string;
	/** The decoded payload. */
	readonly bytes: Buffer;
	readonly family: UploadFamily;
	/** Epoch milliseconds. */
	readonly receivedAt: number;
	/** Epoch milliseconds; `receivedAt` + 24 h unless `expireUploads()` moved it. */
	readonly expiresAt: number;
}

export type TrainingState =
	| 'deploying_gpu'
	| 'training_started'
	| 'training_success'
	| 'trained_model_compressing'
	| 'trained_model_uploading'
	| 'trained_model_uploaded'
	| 'deploying_model'
	| 'model_ready'
	| 'failed';

export type WorkflowRunStatus = 'pending' | 'running' | 'completed' | 'failed';

export interface SimJob {
	/** Request id (generation), training id (training) or execution id (workflow run), as a string. */
	readonly id: string;
	readonly kind: JobKind;
	/** Submit path under `/api`, e.g. `/v6/images/text2img` or `/v1/workflows/wf-1/run`. */
	readonly endpoint: string;
	/** Generation jobs only. */
	readonly family?: FetchFamily;
	readonly status: 'processing' | 'success' | 'failed';
	/** Training jobs: the current state. */
	readonly trainingState?: TrainingState;
	/** Workflow runs: the run status and workflow id. */
	readonly workflowStatus?: WorkflowRunStatus;
	readonly workflowId?: string;
	/** The submitted body without `key`. */
	readonly request: JsonObject;
	readonly webhook?: string;
	/** `track_id` exactly as submitted. */
	readonly trackId?: JsonValue;
	/** The behaviour the job runs with (default, plan and prompt markers merged). */
	readonly behaviour: Readonly<JobBehaviour>;
	/** Output URLs (known from submit on; served once the job succeeded). */
	readonly output: readonly string[];
	/** 3D: `extra_assets` (the render video when `render` was asked for), served like outputs. */
	readonly extraAssets?: readonly string[];
	/** Generation jobs: what `fetch_result` names, under the origin (e.g. `/api/v6/deepfake/fetch`). */
	readonly fetchResultAt?: string;
	/** Generation jobs: fetch paths (without the id) the job is found under. */
	readonly readableAt?: readonly string[];
	/** The job's length in ms as drawn from `delayMs` (training: between two states). */
	readonly delayMs: number;
	readonly eta: number;
	readonly createdAt: number;
	readonly finishedAt?: number;
}

export interface WorkflowParameter {
	key: string;
	type: 'string' | 'integer' | 'number' | 'boolean';
	required: boolean;
	node_id: string;
	node_name: string;
}

export interface WorkflowDefinition {
	name: string;
	/** Shown by the workflow list; default empty. */
	description?: string;
	parameters: readonly WorkflowParameter[];
}

export interface Simulator {
	/** What a user puts into the credential's Base URL, e.g. `http://127.0.0.1:40123/api`. */
	readonly baseUrl: string;
	/** e.g. `http://127.0.0.1:40123`. */
	readonly origin: string;
	readonly apiKey: string;
	/** Every request received, key redacted. */
	readonly requests: RecordedRequest[];
	/** Every callback POST made. */
	readonly callbacks: DeliveredCallback[];
	readonly jobs: ReadonlyMap<string, SimJob>;
	/** Applies `behaviour` to the next `count` (default 1) submitted jobs, first in first out. */
	plan(behaviour: JobBehaviour, count?: number): void;
	setDefaultBehaviour(behaviour: JobBehaviour): void;
	/** Finishes a processing (typically held) job now and resolves once its callbacks are delivered. */
	completeJob(id: string, outcome?: 'success' | 'failed'): Promise<void>;
	/** Resolves with all callbacks recorded so far once there are at least `n`; default timeout 5 s. */
	waitForCallbacks(n: number, timeoutMs?: number): Promise<DeliveredCallback[]>;
	/** Workflows take their callback URL from the workflow's settings, not from the run body. */
	setWorkflowWebhook(workflowId: string, url: string | undefined): void;
	/**
	 * Replaces the parameters a workflow declares (default: `prompt` required, `width`/`height`
	 * optional) and lists it in `GET /api/v1/workflows` next to the built-in `DEFAULT_WORKFLOW_ID`.
	 */
	defineWorkflow(workflowId: string, definition: WorkflowDefinition): void;
	/** Changes the account queue limit from now on; `undefined` = no limit. Running jobs stay. */
	setQueueLimit(limit: number | undefined): void;
	/** Which face-swap path families answer from now on (see `SimulatorOptions.faceSwapPaths`). */
	setFaceSwapPaths(families: readonly FaceSwapFamily[]): void;
	/** The next `count` (default 1) fetch or status requests fail as `fault` says, first in first out. */
	planFetch(fault: FetchFault, count?: number): void;
	/** A snapshot of the request counters. */
	stats(): SimStats;
	/** Every upload received since start or the last `reset()`, oldest first. */
	uploads(): readonly SimUpload[];
	/** Ends the 24 h lifetime of every upload so far: their URLs answer 404 from now on. */
	expireUploads(): void;
	/**
	 * Clears records, counters, plans, jobs, workflow settings and the default behaviour, puts the
	 * queue limit back to the `queueLimit` option, and cancels pending timers.
	 */
	reset(): void;
	/** Closes the server and cancels pending timers and callback POSTs. */
	stop(): Promise<void>;
}
