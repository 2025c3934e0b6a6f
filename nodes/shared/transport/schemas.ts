import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

/**
 * Shapes of what ModelsLab answers, as documented (modelslab-api.md §4) including its quirks:
 * integer or string ids, `message` or `messege`, `output` as "" while running, `proxy_links` as
 * an array, "" or null. Unknown fields pass through untouched.
 */

/** Ids are integers in most examples and strings in some; they are exposed as strings. */
export const idSchema = z.union([z.string().min(1), z.number().int()]).transform(String);

/** A list of URLs that may also arrive as "" (still running) or null. */
export const urlListSchema = z
	.union([z.array(z.string()), z.literal(''), z.null()])
	.optional()
	.transform((value) => (Array.isArray(value) ? value : []));

const optionalText = z
	.union([z.string(), z.number()])
	.optional()
	.transform((v) => (v === undefined ? undefined : String(v)));

/** Every ModelsLab body carries a status; failed jobs say `failed`, rejected requests `error`. */
export const apiStatusSchema = z.enum(['success', 'processing', 'error', 'failed']);

/** Submit and fetch answers of the generation endpoints (v3-v7). */
export const generationResponseSchema = z
	.object({
		status: apiStatusSchema,
		id: idSchema.optional(),
		output: urlListSchema,
		proxy_links: urlListSchema,
		future_links: urlListSchema,
		eta: z
			.union([
				z.number(),
				z
					.string()
					.regex(/^\d+(\.\d+)?$/)
					.transform(Number),
			])
			.optional(),
		fetch_result: z.string().optional(),
		message: optionalText,
		messege: optionalText,
		track_id: z.union([z.string(), z.number()]).nullable().optional(),
		meta: z.record(z.unknown()).optional(),
	})
	.passthrough();
export type GenerationResponse = z.infer<typeof generationResponseSchema>;

/** lora_fine_tune / fine_tune submit answer: the training id, and the first state in `messege`. */
export const trainingSubmitResponseSchema = z
	.object({
		status: apiStatusSchema,
		training_id: idSchema.optional(),
		message: optionalText,
		messege: optionalText,
		data: z.unknown().optional(),
	})
	.passthrough();

/** fine_tune_status answer: the current state in `messege`, a step log in `data`. */
export const trainingStatusResponseSchema = z
	.object({
		status: apiStatusSchema,
		message: optionalText,
		messege: optionalText,
		data: z.unknown().optional(),
		training_status: z.string().optional(),
	})
	.passthrough();

/** POST /v1/workflows/{id}/run answer (HTTP 202). */
export const workflowRunResponseSchema = z
	.object({
		status: apiStatusSchema,
		message: optionalText,
		execution_id: idSchema.optional(),
		workflow_id: z.union([z.string(), z.number()]).optional(),
		status_url: z.string().optional(),
	})
	.passthrough();

export const workflowRunStatusSchema = z.enum([
	'pending',
	'running',
	'completed',
	'failed',
	'cancelled',
]);

/** GET /v1/workflows/{id}/runs/{execution_id} answer. */
export const workflowRunStateResponseSchema = z
	.object({
		status: apiStatusSchema,
		message: optionalText,
		execution: z
			.object({
				id: idSchema,
				workflow_id: z.union([z.string(), z.number()]).optional(),
				status: workflowRunStatusSchema,
			})
			.passthrough()
			.optional(),
		output: z
			.object({ output: urlListSchema, proxy_links: urlListSchema })
			.passthrough()
			.nullable()
			.optional(),
		error: z.unknown().optional(),
	})
	.passthrough();

/** The error envelope, whatever the HTTP status (the API also returns it with HTTP 200). */
export const errorBodySchema = z
	.object({
		status: z.literal('error').optional(),
		message: optionalText,
		messege: optionalText,
		retry_after: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
	})
	.passthrough();

/** ModelsLab's own words about a request, whichever spelling the endpoint uses. */
export function apiMessage(body: { message?: string; messege?: string }): string | undefined {
	return body.message ?? body.messege;
}

/** A JSON object (not null, not an array). */
export function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}
