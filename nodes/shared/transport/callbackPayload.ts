import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { JobKind } from '../catalog/types';
import {
	generationPhase,
	statusOfPhase,
	trainingPhase,
	workflowRunPhase,
	type JobPhase,
} from './jobState';
import {
	idSchema,
	isObject,
	strictUrlListSchema,
	urlListSchema,
	workflowIdSchema,
} from './schemas';
import { issuePath } from './validate';
import { withoutSecrets } from './redact';

/**
 * A ModelsLab callback in one shape, whichever of the documented shapes it came in
 * (docs/modelslab-api.md §5): generation `{status, id, track_id, output, meta}`, training
 * `{training_status, model_id}`, and the two Workflows shapes.
 */
export interface NormalisedCallback {
	kind: JobKind;
	/** Request id, training id (`model_id`) or workflow execution id, as a string. */
	id: string;
	/** `track_id` as a string; empty when the callback has none (training, workflows). */
	trackId: string;
	/** `success` / `failed` / `processing`, as the contract's outputs and the trigger's filter use them. */
	status: 'success' | 'failed' | 'processing';
	phase: JobPhase;
	output: string[];
	message?: string;
	trainingStatus?: string;
	/**
	 * A Workflows run's workflow, as the callback names it (`workflow_id`, or `workflow.id` on the
	 * webhooks page); absent when it names none, an unusable one, or two different ones.
	 */
	workflowId?: string;
	/** The body as received, without any key. */
	raw: IDataObject;
}

const text = z.union([z.string(), z.number()]).transform(String);

const trainingCallbackSchema = z
	.object({
		training_status: z.string().min(1),
		model_id: idSchema,
		status: z.string().optional(),
		logs: z.unknown().optional(),
		message: text.optional(),
		messege: text.optional(),
	})
	.passthrough();

const workflowCallbackSchema = z
	.object({
		event: z.string().min(1),
		execution_id: idSchema.optional(),
		status: z.string().optional(),
		output: z.object({ output: strictUrlListSchema }).passthrough().nullable().optional(),
		execution: z
			.object({ id: idSchema, status: z.string().optional(), output_data: z.unknown().optional() })
			.passthrough()
			.optional(),
		error: z.unknown().optional(),
	})
	.passthrough()
	.refine((body) => body.execution_id !== undefined || body.execution?.id !== undefined, {
		message: 'has neither execution_id nor execution.id',
		path: ['execution_id'],
	});

const generationCallbackSchema = z
	.object({
		status: z.enum(['success', 'processing', 'failed', 'error']),
		id: idSchema,
		track_id: z.union([z.string(), z.number()]).nullable().optional(),
		output: strictUrlListSchema,
		// Only fallbacks for an empty `output`: read leniently, never a reason to refuse a callback.
		future_links: urlListSchema,
		proxy_links: urlListSchema,
		message: text.optional(),
		messege: text.optional(),
		error: z.unknown().optional(),
		meta: z.record(z.unknown()).optional(),
	})
	.passthrough();

export type CallbackParseResult =
	{ ok: true; callback: NormalisedCallback } | { ok: false; reason: string };

function firstIssue(error: z.ZodError): string {
	const issue = error.issues[0];
	return `field "${issuePath(issue.path) || '(body)'}" ${issue.message.toLowerCase()}`;
}

/** Recognises and validates one callback body; never throws. */
export function parseCallback(body: unknown): CallbackParseResult {
	if (!isObject(body)) {
		return { ok: false, reason: 'the body is not a JSON object' };
	}
	const raw = withoutSecrets(body);
	if ('training_status' in raw) {
		const parsed = trainingCallbackSchema.safeParse(raw);
		if (!parsed.success)
			return { ok: false, reason: `training callback: ${firstIssue(parsed.error)}` };
		const phase =
			parsed.data.status === 'error' || parsed.data.status === 'failed'
				? 'failed'
				: trainingPhase(parsed.data.training_status);
		return {
			ok: true,
			callback: {
				kind: 'training',
				id: parsed.data.model_id,
				trackId: '',
				status: statusOfPhase(phase),
				phase,
				output: [],
				trainingStatus: parsed.data.training_status,
				message:
					parsed.data.message ??
					parsed.data.messege ??
					(typeof parsed.data.logs === 'string' ? parsed.data.logs : undefined),
				raw,
			},
		};
	}
	if ('event' in raw) {
		const parsed = workflowCallbackSchema.safeParse(raw);
		if (!parsed.success)
			return { ok: false, reason: `workflow callback: ${firstIssue(parsed.error)}` };
		const body = parsed.data;
		const phase = workflowRunPhase(
			body.execution?.status ??
				body.status ??
				(body.event.endsWith('.failed') ? 'failed' : undefined),
		);
		const output = body.output?.output.length
			? body.output.output
			: outputDataUrls(body.execution?.output_data);
		const workflowId = namedWorkflowId(raw);
		return {
			ok: true,
			callback: {
				kind: 'workflowRun',
				id: (body.execution_id ?? body.execution?.id) as string,
				trackId: '',
				status: statusOfPhase(phase),
				phase,
				output,
				message: typeof body.error === 'string' ? body.error : undefined,
				...(workflowId !== undefined ? { workflowId } : {}),
				raw,
			},
		};
	}
	return parseGenerationCallback(raw);
}

/**
 * The workflow a Workflows callback names: `workflow_id` (workflows overview) or `workflow.id`
 * (webhooks page; docs/modelslab-api.md §5). Read leniently, as a fact to check with ModelsLab and
 * never a reason to refuse the callback: undefined when a named id is unusable or the two differ.
 */
function namedWorkflowId(raw: IDataObject): string | undefined {
	const named = [raw.workflow_id, isObject(raw.workflow) ? raw.workflow.id : undefined].filter(
		(value) => value !== undefined && value !== null,
	);
	const ids = new Set<string>();
	for (const value of named) {
		const parsed = workflowIdSchema.safeParse(value);
		if (!parsed.success) return undefined;
		ids.add(parsed.data);
	}
	return ids.size === 1 ? [...ids][0] : undefined;
}

/**
 * A Workflows run's files in `execution.output_data` (docs/modelslab-api.md §5): `images` in the
 * webhooks page's example, `output` in the shape read before; any other list of URLs in it too
 * (a workflow ending in a video or audio node), in the order the fields come.
 */
function outputDataUrls(outputData: unknown): string[] {
	if (!isObject(outputData)) return [];
	const named = ['output', 'images'];
	const fields = [...named, ...Object.keys(outputData).filter((field) => !named.includes(field))];
	const urls = fields.flatMap((field) => {
		const value = outputData[field];
		const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
		return list.filter((entry): entry is string => typeof entry === 'string' && isUrl(entry));
	});
	return [...new Set(urls)];
}

function isUrl(text: string): boolean {
	return /^https?:\/\/\S+$/i.test(text);
}

function parseGenerationCallback(raw: IDataObject): CallbackParseResult {
	const parsed = generationCallbackSchema.safeParse(raw);
	if (!parsed.success) return { ok: false, reason: firstIssue(parsed.error) };
	const phase = generationPhase(parsed.data.status);
	const trackId =
		parsed.data.track_id ?? (parsed.data.meta?.track_id as string | number | undefined);
	return {
		ok: true,
		callback: {
			kind: 'generation',
			id: parsed.data.id,
			trackId: trackId === undefined || trackId === null ? '' : String(trackId),
			status: statusOfPhase(phase),
			phase,
			// A success without `output` names its files in `future_links`, else `proxy_links`.
			output:
				phase === 'success' && !parsed.data.output.length
					? parsed.data.future_links.length
						? parsed.data.future_links
						: parsed.data.proxy_links
					: parsed.data.output,
			message:
				parsed.data.message ??
				parsed.data.messege ??
				(typeof parsed.data.error === 'string' ? parsed.data.error : undefined),
			raw,
		},
	};
}
