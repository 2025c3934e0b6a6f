import type { IDataObject } from 'n8n-workflow';

import type { JobKind, SubmitEndpointSpec } from '../catalog/types';
import { modelsLabApiError } from './errors';
import type { ModelsLabContext } from './context';
import { generationPhase, trainingPhase, workflowRunPhase, type JobState } from './jobState';
import { modelsLabRequest } from './request';
import {
	apiMessage,
	generationResponseSchema,
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

/** Submits one job. `body` is already validated and excludes the path fields. */
export async function submitJob(
	this: ModelsLabContext,
	endpoint: SubmitEndpointSpec,
	body: IDataObject,
	pathValues: Readonly<Record<string, unknown>>,
	itemIndex: number,
): Promise<JobState> {
	const context = `${endpoint.displayName} (${endpoint.path})`;
	const raw = await modelsLabRequest.call(this, {
		method: endpoint.method,
		path: fillPath(endpoint.path, pathValues),
		body,
		itemIndex,
		context,
	});
	return toJobState.call(this, endpoint.jobKind, raw, { itemIndex, context, submitted: true });
}

/** Reads a job by id through the endpoint family's fetch/status path; `pathValues.id` is its id. */
export async function fetchJob(
	this: ModelsLabContext,
	kind: JobKind,
	fetchPath: string,
	pathValues: Readonly<Record<string, unknown>>,
	itemIndex = 0,
): Promise<JobState> {
	const path = fillPath(fetchPath, pathValues);
	const context = `reading job ${String(pathValues.id ?? '')} (${path})`;
	const raw = await modelsLabRequest.call(this, {
		method: kind === 'workflowRun' ? 'GET' : 'POST',
		path,
		itemIndex,
		context,
	});
	const state = toJobState.call(this, kind, raw, { itemIndex, context, submitted: false });
	// Fetch bodies do not always repeat the id; the caller's id is the one that counts.
	if (!state.id && pathValues.id !== undefined) state.id = String(pathValues.id);
	return state;
}

interface ParseContext {
	itemIndex: number;
	context: string;
	/** Submit answers of training and workflow runs mean "accepted", not "done". */
	submitted: boolean;
}

function toJobState(
	this: ModelsLabContext,
	kind: JobKind,
	raw: IDataObject,
	at: ParseContext,
): JobState {
	const node = this.getNode();
	if (kind === 'training') {
		if (at.submitted) {
			const body = parseOrThrow(node, trainingSubmitResponseSchema, raw, at);
			if (!body.training_id) {
				throw modelsLabApiError(node, {
					apiMessage: 'the training was accepted without a training_id',
					body: raw,
					itemIndex: at.itemIndex,
					context: at.context,
				});
			}
			const state = apiMessage(body);
			return {
				kind,
				id: body.training_id,
				phase: trainingPhase(state),
				output: [],
				trainingStatus: state,
				message: typeof body.data === 'string' ? body.data : undefined,
				raw,
			};
		}
		const body = parseOrThrow(node, trainingStatusResponseSchema, raw, at);
		const state = body.training_status ?? apiMessage(body);
		return {
			kind,
			id: '',
			phase: trainingPhase(state),
			output: [],
			trainingStatus: state,
			message: typeof body.data === 'string' ? body.data : undefined,
			raw,
		};
	}
	if (kind === 'workflowRun') {
		if (at.submitted) {
			const body = parseOrThrow(node, workflowRunResponseSchema, raw, at);
			if (!body.execution_id) {
				throw modelsLabApiError(node, {
					apiMessage: 'the run was accepted without an execution_id',
					body: raw,
					itemIndex: at.itemIndex,
					context: at.context,
				});
			}
			return {
				kind,
				id: body.execution_id,
				phase: 'pending',
				output: [],
				message: apiMessage(body),
				raw,
			};
		}
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
	return {
		kind,
		id: body.id ?? '',
		phase: generationPhase(body.status),
		output: body.output,
		message: apiMessage(body),
		eta: body.eta,
		fetchResult: body.fetch_result,
		futureLinks: body.future_links,
		raw,
	};
}
