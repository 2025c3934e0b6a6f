import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

/**
 * Shapes of what ModelsLab answers, as documented (docs/modelslab-api.md §4) including its quirks:
 * integer or string ids, `message` or `messege`, `output` as "" while running, `proxy_links` as an
 * array, "" or null, `eta` and `message` as null. Unknown fields pass through untouched.
 *
 * Answers are parsed leniently: a field of an unexpected type is dropped rather than fatal, since
 * an answer to a paid submit must never be thrown away over a detail. Only what makes an answer
 * unusable (no `status`, for instance) is an error, and it names the field.
 */

/** Ids are integers in most examples and strings in some; they are exposed as strings. */
export const idSchema = z.union([z.string().min(1), z.number().int()]).transform(String);

/**
 * A workflow's id as a callback names it, before it goes into a read path: a UUID in ModelsLab's
 * docs (docs/modelslab-api.md §3.7); letters, digits, `-` and `_` at most, never `.` or `/`.
 */
export const workflowIdSchema = z
	.union([z.string().regex(/^[\w-]{1,128}$/), z.number().int().nonnegative()])
	.transform(String);

/** An id if there is a usable one. */
const lenientId = z
	.unknown()
	.transform((value) =>
		typeof value === 'string' && value.trim() !== ''
			? value.trim()
			: typeof value === 'number' && Number.isFinite(value)
				? String(value)
				: undefined,
	);

/** A list of URLs: an array (non-strings dropped), one URL as text, or "" / null (none yet). */
export const urlListSchema = z
	.unknown()
	.transform((value) =>
		Array.isArray(value)
			? value.filter((entry): entry is string => typeof entry === 'string' && entry !== '')
			: typeof value === 'string' && value !== ''
				? [value]
				: [],
	);

/** A URL list where the answer has the field at all; undefined where it has not. */
export const optionalUrlListSchema = z
	.unknown()
	.transform((value) => (value === undefined ? undefined : urlListSchema.parse(value)));

/**
 * The documented forms of an output list only (an array of strings, "" or null), for callbacks: a
 * callback anyone could have sent is read strictly; an odd one is checked with ModelsLab instead.
 */
export const strictUrlListSchema = z
	.union([z.array(z.string()), z.literal(''), z.null()])
	.optional()
	.transform((value) => (Array.isArray(value) ? value.filter((entry) => entry !== '') : []));

const lenientText = z
	.unknown()
	.transform((value) =>
		typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined,
	);

const lenientNumber = z
	.unknown()
	.transform((value) =>
		typeof value === 'number' && Number.isFinite(value)
			? value
			: typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)
				? Number(value)
				: undefined,
	);

const lenientObject = z.unknown().transform((value) => (isObject(value) ? value : undefined));

/** Every ModelsLab body carries a status; failed jobs say `failed`, rejected requests `error`. */
export const apiStatusSchema = z.enum(['success', 'processing', 'error', 'failed']);

const generationFields = {
	id: lenientId,
	output: urlListSchema,
	proxy_links: urlListSchema,
	future_links: urlListSchema,
	eta: lenientNumber,
	fetch_result: lenientText,
	message: lenientText,
	messege: lenientText,
	error: z.unknown().optional(),
	/** 3D: further files of the job, e.g. its render video (docs/modelslab-api.md §6). */
	extra_assets: optionalUrlListSchema,
	track_id: z
		.unknown()
		.transform((value) =>
			typeof value === 'string' || typeof value === 'number' ? value : undefined,
		),
	meta: lenientObject,
};

/** Fetch answers of the generation endpoints (v3-v7): without a status they say nothing. */
export const generationResponseSchema = z
	.object({ status: z.string({ required_error: 'is missing' }).min(1), ...generationFields })
	.passthrough();
export type GenerationResponse = z.infer<typeof generationResponseSchema>;

/** A submit answer: ModelsLab took the job (and the money); only a missing id makes it unusable. */
export const generationSubmitResponseSchema = z
	.object({ status: lenientText, ...generationFields })
	.passthrough();

/** lora_fine_tune / fine_tune submit answer: the training id, and the first state in `messege`. */
export const trainingSubmitResponseSchema = z
	.object({
		status: lenientText,
		training_id: lenientId,
		message: lenientText,
		messege: lenientText,
		data: z.unknown().optional(),
	})
	.passthrough();

/** fine_tune_status answer: the current state in `messege`, a step log in `data`. */
export const trainingStatusResponseSchema = z
	.object({
		status: z.string({ required_error: 'is missing' }).min(1),
		message: lenientText,
		messege: lenientText,
		error: z.unknown().optional(),
		data: z.unknown().optional(),
		training_status: lenientText,
	})
	.passthrough();

/** POST /v1/workflows/{id}/run answer (HTTP 202). */
export const workflowRunResponseSchema = z
	.object({
		status: lenientText,
		message: lenientText,
		execution_id: lenientId,
		workflow_id: z.unknown().optional(),
		status_url: lenientText,
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
		status: z.string({ required_error: 'is missing' }).min(1),
		message: lenientText,
		execution: z
			.object({
				id: idSchema,
				workflow_id: z.unknown().optional(),
				// Read as text: a status this package does not know yet counts as running.
				status: z.string(),
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

/**
 * The error envelope, whatever the HTTP status (the API also returns it with HTTP 200). The text is
 * `message`, the legacy `messege`, or `error` (ModelsLab's CLI reads `message`, then `error`;
 * docs/modelslab-api.md §4).
 */
export const errorBodySchema = z
	.object({
		status: z.string().optional().catch(undefined),
		message: lenientText,
		messege: lenientText,
		error: z.unknown().optional(),
		retry_after: lenientNumber,
	})
	.passthrough();

/** ModelsLab's own words about a request, whichever field the endpoint puts them in. */
export function apiMessage(body: {
	message?: string | undefined;
	messege?: string | undefined;
	error?: unknown;
}): string | undefined {
	const text = body.message ?? body.messege;
	if (text !== undefined && text.trim() !== '') return text;
	return typeof body.error === 'string' && body.error.trim() !== '' ? body.error : text;
}

/** A JSON object (not null, not an array). */
export function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * `base64_to_url` answer (docs/modelslab-api.md §3.8): `{status, id, output: [url]}`. Read
 * leniently; only the URL is needed, and its absence is named by the caller.
 */
export const uploadResponseSchema = z
	.object({ status: lenientText, id: lenientId, output: urlListSchema })
	.passthrough();

/** One entry of a model list, whichever of the names ModelsLab's CLI reads it carries (§3.8). */
const modelEntrySchema = z
	.object({
		model_id: lenientId,
		model_name: lenientText,
		name: lenientText,
		provider: lenientText,
		model_category: lenientText,
		feature: lenientText,
		model_type: lenientText,
		model_subcategory: lenientText,
		description: lenientText,
	})
	.passthrough();
export type ModelEntry = z.infer<typeof modelEntrySchema>;

/**
 * `GET /v6/model-search` and `GET /v7/models` (§3.8; the shape is undocumented, ModelsLab's CLI
 * reads entries from `data` and the total from `meta`): entries without a model id are dropped;
 * without a list the answer is unusable.
 */
export const modelSearchResponseSchema = z
	.object({
		data: z
			.array(z.unknown(), { required_error: 'is missing', invalid_type_error: 'is not a list' })
			.transform((entries) =>
				entries.flatMap((entry) => {
					const parsed = modelEntrySchema.safeParse(entry);
					return parsed.success && parsed.data.model_id ? [parsed.data] : [];
				}),
			),
		meta: z
			.object({ total: lenientNumber, page: lenientNumber, last_page: lenientNumber })
			.passthrough()
			.optional()
			.catch(undefined),
	})
	.passthrough();

/** `POST /v6/voice/voice_list`: `{status, voices: [{voice_id, name, language}]}` (§3.3). */
export const voiceListResponseSchema = z
	.object({
		voices: z
			.array(z.unknown(), { required_error: 'is missing', invalid_type_error: 'is not a list' })
			.transform((entries) =>
				entries.flatMap((entry) => {
					if (!isObject(entry)) return [];
					const voiceId = lenientId.parse(entry.voice_id);
					if (!voiceId) return [];
					return [
						{
							voice_id: voiceId,
							name: lenientText.parse(entry.name),
							language: lenientText.parse(entry.language),
						},
					];
				}),
			),
	})
	.passthrough();

/**
 * `POST /v3/finetune_list` (§3.6): `data` is a list of trained model ids; objects with an id
 * (`model_id`, `id` or `training_id`) are read too, since only an empty example is documented.
 */
export const trainedModelListResponseSchema = z
	.object({
		data: z
			.array(z.unknown(), { required_error: 'is missing', invalid_type_error: 'is not a list' })
			.transform((entries) =>
				entries.flatMap((entry) => {
					const id = isObject(entry)
						? (lenientId.parse(entry.model_id) ??
							lenientId.parse(entry.id) ??
							lenientId.parse(entry.training_id))
						: lenientId.parse(entry);
					return id ? [id] : [];
				}),
			),
	})
	.passthrough();

/** `GET /v1/workflows` (§3.7): the API-enabled workflows, `{id, name, description, ...}`. */
export const workflowListResponseSchema = z
	.object({
		workflows: z
			.array(z.unknown(), { required_error: 'is missing', invalid_type_error: 'is not a list' })
			.transform((entries) =>
				entries.flatMap((entry) => {
					if (!isObject(entry)) return [];
					const id = lenientId.parse(entry.id);
					if (!id) return [];
					return [
						{
							id,
							name: lenientText.parse(entry.name),
							description: lenientText.parse(entry.description),
						},
					];
				}),
			),
	})
	.passthrough();
