import type { IDataObject } from 'n8n-workflow';

import { allEndpoints } from '../catalog';
import type { JobKind, SubmitEndpointSpec } from '../catalog/types';
import { CREDENTIAL_TYPE, type ModelsLabContext, type ModelsLabCredentials } from './context';
import { JobNotFoundError } from './errors';
import { fetchResultPath } from './fetchResult';
import { fetchedState, submittedState, withSubmitAnswer } from './jobAnswers';
import type { JobState } from './jobState';
import { readRequest } from './readPolicy';
import { outcomeUnknownError, submitRequest } from './submitPolicy';

/** Fills `{name}` placeholders of a catalog path; values are URL-encoded. */
export function fillPath(path: string, values: Readonly<Record<string, unknown>>): string {
	return path.replace(/\{(\w+)\}/g, (_match, name: string) => {
		const value = values[name];
		if (value === undefined || value === null || value === '') {
			throw new Error(`Path parameter "${name}" of ${path} is empty`);
		}
		return encodeURIComponent(String(value));
	});
}

export interface CallOptions {
	/** See ApiRequest.onQueueFull. */
	onQueueFull?: 'retry' | 'report';
	/** See ApiRequest.credentials. */
	credentials?: ModelsLabCredentials;
	/** How long to wait for an answer (default 120 s). */
	timeoutMs?: number;
}

export interface ReadOptions extends CallOptions {
	/**
	 * The job's `fetch_result`: read there first when it is on the Base URL's origin or one of
	 * ModelsLab's hosts (fetchResult.ts). Default: `submitted.fetchResult`.
	 */
	fetchResult?: string;
	/**
	 * Fetch paths tried in turn when the ones before answer not found. Default: the catalog's
	 * `alternateFetchPaths` of the submit endpoints read at `fetchPath` (alternateFetchPaths()).
	 */
	alternatePaths?: readonly string[];
	/** What the submit answered: its `fetch_result`, `future_links` and `extra_assets` carry over. */
	submitted?: JobState;
}

/**
 * Submits one job. `body` is already validated and excludes the path fields. On HTTP 404 the
 * catalog's `alternatePaths` are tried in turn. The answer is read leniently (the job is paid
 * for): a missing `id` is taken from `fetch_result`; only an answer without any id fails, as a
 * SubmitOutcomeUnknownError (the job exists; it must not be submitted again).
 *
 * Throws, besides a refused submit's NodeApiError: QueueFullError (rate limited with
 * `onQueueFull: 'report'`) and SubmitOutcomeUnknownError (see submitPolicy.ts).
 */
export async function submitJob(
	this: ModelsLabContext,
	endpoint: SubmitEndpointSpec,
	body: IDataObject,
	pathValues: Readonly<Record<string, unknown>>,
	itemIndex: number,
	options: CallOptions = {},
): Promise<JobState> {
	const context = `${endpoint.displayName} (${endpoint.path})`;
	const trackId =
		body.track_id === undefined || body.track_id === null || body.track_id === ''
			? undefined
			: String(body.track_id);
	const request = {
		method: endpoint.method,
		path: fillPath(endpoint.path, pathValues),
		body,
		itemIndex,
		context,
		...options,
	};
	const raw = await submitRequest.call(this, request, {
		alternatePaths: endpoint.alternatePaths?.map((path) => fillPath(path, pathValues)),
		trackId,
	});
	const state = submittedState(endpoint.jobKind, raw);
	if (!state.id && state.phase !== 'success') {
		const said = state.message ? `: ${state.message}` : '';
		throw outcomeUnknownError.call(
			this,
			request,
			`accepted the job without a request id (status "${String(raw.status ?? '')}"${said}; neither \`id\` nor \`fetch_result\` names one), so its result cannot be read back`,
			trackId,
		);
	}
	return state;
}

/** `/v6/faceswap/fetch/{id}` → the alternates its submit endpoints name (`/v6/deepfake/fetch/{id}`). */
export function alternateFetchPaths(fetchPath: string): readonly string[] {
	const found = new Set<string>();
	for (const endpoint of allEndpoints())
		if (endpoint.type === 'submit' && endpoint.fetchPath === fetchPath)
			for (const path of endpoint.alternateFetchPaths ?? []) found.add(path);
	return [...found];
}

async function baseUrlOf(
	context: ModelsLabContext,
	options: ReadOptions,
	itemIndex: number,
): Promise<string> {
	const credentials =
		options.credentials ??
		(await context.getCredentials<ModelsLabCredentials>(CREDENTIAL_TYPE, itemIndex));
	return credentials.baseUrl;
}

/** One read at one path, as a job state; throws the read policy's errors (readPolicy.ts). */
async function readAt(
	this: ModelsLabContext,
	kind: JobKind,
	at: { path: string; itemIndex: number; context: string; jobId?: string },
	options: ReadOptions,
): Promise<JobState> {
	const raw = await readRequest.call(
		this,
		{
			method: kind === 'workflowRun' ? 'GET' : 'POST',
			path: at.path,
			itemIndex: at.itemIndex,
			context: at.context,
			credentials: options.credentials,
			timeoutMs: options.timeoutMs,
		},
		at.jobId,
	);
	const state = fetchedState(kind, raw, { node: this.getNode(), ...at });
	// Fetch bodies do not always repeat the id; the caller's id is the one that counts.
	if (!state.id && at.jobId !== undefined) state.id = at.jobId;
	return withSubmitAnswer(state, options.submitted);
}

/**
 * Reads a job by id through the endpoint family's fetch/status path; `pathValues.id` is its id.
 * Tries the job's `fetch_result` first (when trusted), then `fetchPath`, then its alternates, each
 * once, moving on only when one answers not found. The failure policy (errors.ts):
 * - a job ModelsLab says failed (`{status: "error" | "failed"}`, a failed training or run) is a
 *   JobState with `phase: 'failed'` and ModelsLab's message;
 * - JobNotFoundError: every path answered HTTP 404 or "not found";
 * - ReadFailedError: a failure that passes (network, timeout, 5xx, rate limit, unparseable);
 * - NodeApiError: anything else (a wrong key).
 * Also the trigger's verification read: the catalog's alternates apply to any fetch path.
 */
export async function fetchJob(
	this: ModelsLabContext,
	kind: JobKind,
	fetchPath: string,
	pathValues: Readonly<Record<string, unknown>>,
	itemIndex = 0,
	options: ReadOptions = {},
): Promise<JobState> {
	const jobId =
		pathValues.id === undefined || pathValues.id === null ? undefined : String(pathValues.id);
	const fetchResult = options.fetchResult ?? options.submitted?.fetchResult;
	const fromAnswer = fetchResult
		? fetchResultPath(fetchResult, await baseUrlOf(this, options, itemIndex))
		: undefined;
	const alternates = options.alternatePaths ?? alternateFetchPaths(fetchPath);
	const paths = [
		...new Set([
			...(fromAnswer ? [fromAnswer] : []),
			fillPath(fetchPath, pathValues),
			...alternates.map((path) => fillPath(path, pathValues)),
		]),
	];
	let notFound: JobNotFoundError | undefined;
	for (const path of paths) {
		const context = `reading job ${jobId ?? ''} (${path})`;
		const read = await readAt.call(this, kind, { path, itemIndex, context, jobId }, options).then(
			(state) => ({ state }),
			(error: unknown) => ({ error }),
		);
		if ('state' in read) return read.state;
		// Only "not found" moves on to the next path; every other outcome is the read's.
		if (!(read.error instanceof JobNotFoundError)) throw read.error;
		notFound ??= read.error;
	}
	throw notFound as JobNotFoundError;
}
