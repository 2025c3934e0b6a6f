import type { IDataObject, NodeApiError } from 'n8n-workflow';
import type { z } from 'zod';

import type { JobKind, SubmitEndpointSpec } from '../catalog/types';
import type { ModelsLabContext, ModelsLabCredentials } from './context';
import {
	failureOf,
	JobNotFoundError,
	modelsLabApiError,
	ReadFailedError,
	SubmitOutcomeUnknownError,
} from './errors';
import { generationPhase, trainingPhase, workflowRunPhase, type JobState } from './jobState';
import { modelsLabRequest } from './request';
import {
	apiMessage,
	generationResponseSchema,
	generationSubmitResponseSchema,
	trainingStatusResponseSchema,
	trainingSubmitResponseSchema,
	workflowRunResponseSchema,
	workflowRunStateResponseSchema,
} from './schemas';
import { parseOrThrow } from './validate';

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
}

/**
 * Submits one job. `body` is already validated and excludes the path fields. The answer is read
 * leniently (the job is paid for): only an answer without a usable id fails, and it says what
 * ModelsLab answered.
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
	const raw = await modelsLabRequest
		.call(this, {
			method: endpoint.method,
			path: fillPath(endpoint.path, pathValues),
			body,
			itemIndex,
			context,
			...options,
		})
		.catch((error: unknown) => {
			throw outcomeUnknown(error) ? new SubmitOutcomeUnknownError(error as NodeApiError) : error;
		});
	const state = submittedState(endpoint.jobKind, raw);
	if (!state.id && state.phase !== 'success') {
		throw modelsLabApiError(this.getNode(), {
			apiMessage: `accepted the job without a request id, so its result cannot be read back (status "${String(raw.status ?? '')}"${state.message ? `: ${state.message}` : ''})`,
			itemIndex,
			context,
		});
	}
	return state;
}

/** Reads a job by id through the endpoint family's fetch/status path; `pathValues.id` is its id. */
export async function fetchJob(
	this: ModelsLabContext,
	kind: JobKind,
	fetchPath: string,
	pathValues: Readonly<Record<string, unknown>>,
	itemIndex = 0,
	options: CallOptions = {},
): Promise<JobState> {
	const path = fillPath(fetchPath, pathValues);
	const id = String(pathValues.id ?? '');
	const context = `reading job ${id} (${path})`;
	const answer = await modelsLabRequest
		.call(this, {
			method: kind === 'workflowRun' ? 'GET' : 'POST',
			path,
			itemIndex,
			context,
			...options,
		})
		.then((raw) => ({ raw }), jobFailedOrThrow);
	if ('failed' in answer)
		return { kind, id, phase: 'failed', output: [], message: answer.failed, raw: {} };
	const parsed = attempt(() => fetchedState.call(this, kind, answer.raw, { itemIndex, context }));
	if ('error' in parsed) throw new ReadFailedError(parsed.error);
	const state = parsed.value;
	// Fetch bodies do not always repeat the id; the caller's id is the one that counts.
	if (!state.id && pathValues.id !== undefined) state.id = String(pathValues.id);
	return state;
}

/** A submit answer as a job state. Training and workflow submits mean "accepted", not "done". */
function submittedState(kind: JobKind, raw: IDataObject): JobState {
	if (kind === 'training') {
		const body = trainingSubmitResponseSchema.parse(raw);
		const stage = apiMessage(body);
		return {
			kind,
			id: body.training_id ?? '',
			phase: body.status === 'failed' ? 'failed' : trainingPhase(stage),
			output: [],
			trainingStatus: stage,
			message: typeof body.data === 'string' ? body.data : undefined,
			raw,
		};
	}
	if (kind === 'workflowRun') {
		const body = workflowRunResponseSchema.parse(raw);
		return {
			kind,
			id: body.execution_id ?? '',
			phase: 'pending',
			output: [],
			message: apiMessage(body),
			raw,
		};
	}
	const body = generationSubmitResponseSchema.parse(raw);
	return generationState(kind, body, generationPhase(body.status ?? 'processing'), raw);
}

function fetchedState(
	this: ModelsLabContext,
	kind: JobKind,
	raw: IDataObject,
	at: { itemIndex: number; context: string },
): JobState {
	const node = this.getNode();
	if (kind === 'training') {
		const body = parseOrThrow(node, trainingStatusResponseSchema, raw, at);
		const stage = body.training_status ?? apiMessage(body);
		return {
			kind,
			id: '',
			phase: body.status === 'failed' ? 'failed' : trainingPhase(stage),
			output: [],
			trainingStatus: stage,
			message: typeof body.data === 'string' ? body.data : undefined,
			raw,
		};
	}
	if (kind === 'workflowRun') {
		const body = parseOrThrow(node, workflowRunStateResponseSchema, raw, at);
		const errorText = typeof body.error === 'string' ? body.error : undefined;
		return {
			kind,
			id: body.execution?.id ?? '',
			phase: workflowRunPhase(body.execution?.status),
			output: body.output?.output ?? [],
			message: errorText ?? apiMessage(body),
			raw,
		};
	}
	const body = parseOrThrow(node, generationResponseSchema, raw, at);
	return generationState(kind, body, generationPhase(body.status), raw);
}

/** A generation answer (submit or fetch, parsed either way) as a job state. */
function generationState(
	kind: JobKind,
	body: z.output<typeof generationSubmitResponseSchema>,
	phase: JobState['phase'],
	raw: IDataObject,
): JobState {
	return {
		kind,
		id: body.id ?? '',
		phase,
		output: body.output,
		message: apiMessage(body),
		eta: body.eta,
		fetchResult: body.fetch_result,
		futureLinks: body.future_links,
		raw,
	};
}

/**
 * Sorts a failed read (a rejection handler): ModelsLab's own "this job failed" answer (HTTP 200 `status: "error"` without
 * a wait) is the job's end and comes back as its message; "not found" is JobNotFoundError; anything
 * else says nothing about the job and is ReadFailedError.
 */
function jobFailedOrThrow(error: unknown): { failed: string } {
	const failure = failureOf(error);
	const cause = error instanceof Error ? error : new Error(String(error));
	const said = failure?.apiMessage ?? '';
	if (failure?.httpCode === 404 || (failure?.fromModelsLab && /not found/i.test(said)))
		throw new JobNotFoundError(cause);
	if (
		failure?.fromModelsLab &&
		failure.httpCode !== undefined &&
		failure.httpCode < 400 &&
		failure.retryAfterSeconds === undefined
	)
		return { failed: said || 'ModelsLab reported the job as failed' };
	throw new ReadFailedError(cause, failure?.retryAfterSeconds);
}

/** A value, or the error computing it threw. */
function attempt<T>(compute: () => T): { value: T } | { error: Error } {
	try {
		return { value: compute() };
	} catch (error) {
		return { error: error instanceof Error ? error : new Error(String(error)) };
	}
}

/** Whether a failed submit may have created a job: the request went out, and no ModelsLab answer came. */
function outcomeUnknown(error: unknown): boolean {
	const failure = failureOf(error);
	if (!failure) return false;
	if (failure.network) return failure.network.sent;
	const code = failure.httpCode ?? 0;
	return code >= 500 && !failure.fromModelsLab;
}
