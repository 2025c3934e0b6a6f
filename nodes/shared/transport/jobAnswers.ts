import type { IDataObject, INode } from 'n8n-workflow';
import type { z } from 'zod';

import type { JobKind } from '../catalog/types';
import { JobNotFoundError, modelsLabApiError, ReadFailedError } from './errors';
import { idFromFetchResult } from './fetchResult';
import { generationPhase, trainingPhase, workflowRunPhase, type JobState } from './jobState';
import {
	apiMessage,
	generationResponseSchema,
	generationSubmitResponseSchema,
	trainingStatusResponseSchema,
	trainingSubmitResponseSchema,
	urlListSchema,
	workflowRunResponseSchema,
	workflowRunStateResponseSchema,
} from './schemas';
import { issuePath } from './validate';

/** Where an answer came from, for the errors it may turn into. */
export interface AnswerSource {
	node: INode;
	itemIndex: number;
	context: string;
	/** The job's id as the caller knows it (an error answer may quote it). */
	jobId?: string;
}

/**
 * The files of a finished job: `output`, or when ModelsLab answered success with an empty
 * `output`, its `future_links`, then its `proxy_links` (ModelsLab's CLI counts `future_links` as
 * outputs; docs/modelslab-api.md §4).
 */
export function finishedOutput(
	output: string[],
	futureLinks: readonly string[] | undefined,
	raw: IDataObject,
): string[] {
	if (output.length) return output;
	if (futureLinks?.length) return [...futureLinks];
	return urlListSchema.parse(raw.proxy_links);
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
		id: body.id ?? idFromFetchResult(body.fetch_result) ?? '',
		phase,
		output: phase === 'success' ? finishedOutput(body.output, body.future_links, raw) : body.output,
		message: apiMessage(body),
		eta: body.eta,
		fetchResult: body.fetch_result,
		futureLinks: body.future_links,
		...(body.extra_assets !== undefined ? { extraAssets: body.extra_assets } : {}),
		raw,
	};
}

/**
 * A submit answer as a job state. Training and workflow submits mean "accepted", not "done". A
 * generation answer with `id: null` takes the id from its `fetch_result` (2025 examples).
 */
export function submittedState(kind: JobKind, raw: IDataObject): JobState {
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

/**
 * Whether an error answer plainly says the request is unknown ("Request not found: 123"), as
 * opposed to a job that failed. A failure that names a missing model ("Model not found: x") is
 * the job's failure, so the text must speak of the request, job or id.
 */
export function saysNotFound(message: string | undefined, jobId?: string): boolean {
	if (!message || !/not\s+found|does\s*n[o']?t\s+exist|no\s+such/i.test(message)) return false;
	return (
		(jobId !== undefined && jobId !== '' && message.includes(jobId)) ||
		/\b(request|job|id|execution|training|record|queue)\b/i.test(message)
	);
}

function parsed<Schema extends z.ZodTypeAny>(
	schema: Schema,
	raw: IDataObject,
	at: AnswerSource,
): z.output<Schema> {
	const result = schema.safeParse(raw);
	if (result.success) return result.data as z.output<Schema>;
	const issue = result.error.issues[0];
	throw new ReadFailedError(
		modelsLabApiError(at.node, {
			apiMessage: `unexpected answer: field "${issuePath(issue.path) || '(body)'}" ${issue.message.toLowerCase()}`,
			body: raw,
			itemIndex: at.itemIndex,
			context: at.context,
		}),
	);
}

/**
 * A fetch answer (HTTP 2xx, a JSON object) as a job state. `{status: "error"}` is the job's failure
 * with ModelsLab's message, unless it says the request is unknown (JobNotFoundError); an answer
 * without the fields that make it usable is a ReadFailedError.
 */
export function fetchedState(kind: JobKind, raw: IDataObject, at: AnswerSource): JobState {
	if (raw.status === 'error') {
		const said = apiMessage({
			message: typeof raw.message === 'string' ? raw.message : undefined,
			messege: typeof raw.messege === 'string' ? raw.messege : undefined,
			error: raw.error,
		});
		if (saysNotFound(said, at.jobId))
			throw new JobNotFoundError(
				modelsLabApiError(at.node, {
					apiMessage: said,
					httpCode: 404,
					itemIndex: at.itemIndex,
					context: at.context,
				}),
			);
		return { kind, id: '', phase: 'failed', output: [], message: said, raw };
	}
	if (kind === 'training') {
		const body = parsed(trainingStatusResponseSchema, raw, at);
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
		const body = parsed(workflowRunStateResponseSchema, raw, at);
		const phase = workflowRunPhase(body.execution?.status);
		const output = body.output?.output ?? [];
		return {
			kind,
			id: body.execution?.id ?? '',
			phase,
			// A run's links sit inside its `output` object (docs/modelslab-api.md §3.7).
			output: phase === 'success' && !output.length ? (body.output?.proxy_links ?? []) : output,
			message: apiMessage(body),
			raw,
		};
	}
	const body = parsed(generationResponseSchema, raw, at);
	return generationState(kind, body, generationPhase(body.status), raw);
}

/**
 * A read's state completed with what the submit answered: fetch answers are lean (no
 * `fetch_result`, `future_links` or `extra_assets`), and the caller's id is the one that counts.
 */
export function withSubmitAnswer(state: JobState, submitted: JobState | undefined): JobState {
	if (!submitted) return state;
	const merged: JobState = {
		...state,
		id: state.id || submitted.id,
		eta: state.eta ?? submitted.eta,
		fetchResult: state.fetchResult ?? submitted.fetchResult,
		futureLinks: state.futureLinks?.length ? state.futureLinks : submitted.futureLinks,
	};
	const extraAssets = state.extraAssets ?? submitted.extraAssets;
	if (extraAssets !== undefined) merged.extraAssets = extraAssets;
	if (merged.phase === 'success')
		merged.output = finishedOutput(merged.output, merged.futureLinks, merged.raw);
	return merged;
}
