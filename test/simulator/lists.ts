/**
 * List endpoints (§3.8; /work/research/list-endpoints.md): model search (v6 and v7), the legacy
 * model list, the voice list and the trained-model list, all over the fixed catalogue. Their
 * response shapes are what the research found, or what ModelsLab's CLI reads where it found none.
 */
import {
	CATALOGUE_MODELS,
	CATALOGUE_VOICES,
	TRAINED_MODEL_IDS,
	VOICE_LIST_TYPES,
	type CatalogueModel,
	type VoiceListType,
} from './catalogue';
import type { SimContext } from './context';
import { buildPng } from './files';
import { checkBodyKey, checkQueryKey, type IncomingCall } from './gate';
import { apiError, json, type Reply } from './replies';
import type { JsonObject } from './types';

const DEFAULT_PER_PAGE = 20;
const MAX_PER_PAGE = 100;

function previewUrl(ctx: SimContext, model: CatalogueModel): string {
	return `${ctx.origin}/previews/${encodeURIComponent(model.model_id)}.png`;
}

/** A positive integer query parameter, or a problem text. */
function pageParameter(
	query: URLSearchParams,
	name: string,
	fallback: number,
	max: number,
): number | string {
	const raw = query.get(name);
	if (raw === null || raw === '') return fallback;
	const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
	return value >= 1 && value <= max ? value : `${name} must be an integer from 1 to ${max}`;
}

/**
 * `GET /api/v6/model-search` and `GET /api/v7/models`, key in the query string. `search` is a
 * case-insensitive substring of the id or the name; `feature` and `model_subcategory` match exactly.
 * Answers `{status, data:[…], meta:{total, page, per_page, last_page}}`.
 */
export function searchModels(ctx: SimContext, call: IncomingCall): Reply {
	const keyProblem = checkQueryKey(ctx, call);
	if (keyProblem) return keyProblem;
	const { query } = call;
	const page = pageParameter(query, 'page', 1, Number.MAX_SAFE_INTEGER);
	const perPage = pageParameter(query, 'per_page', DEFAULT_PER_PAGE, MAX_PER_PAGE);
	if (typeof page === 'string') return apiError(page);
	if (typeof perPage === 'string') return apiError(perPage);

	const search = (query.get('search') ?? '').trim().toLowerCase();
	const feature = query.get('feature') || undefined;
	const subcategory = query.get('model_subcategory') || undefined;
	const matches = CATALOGUE_MODELS.filter(
		(model) =>
			(search === '' ||
				model.model_id.toLowerCase().includes(search) ||
				model.name.toLowerCase().includes(search)) &&
			(feature === undefined || model.feature === feature) &&
			(subcategory === undefined || model.model_subcategory === subcategory),
	);
	const data = matches.slice((page - 1) * perPage, page * perPage).map((model): JsonObject => ({
		model_id: model.model_id,
		name: model.name,
		model_name: model.name,
		provider: model.provider,
		feature: model.feature,
		model_type: model.model_type,
		model_subcategory: model.model_subcategory,
		base_model: model.base_model,
		description: model.description,
		screenshots: previewUrl(ctx, model),
	}));
	return json(200, {
		status: 'success',
		data,
		meta: {
			total: matches.length,
			page,
			per_page: perPage,
			last_page: Math.max(1, Math.ceil(matches.length / perPage)),
		},
	});
}

/** `POST /api/v4/dreambooth/model_list` with `{key}`: a bare array, no filters, no pages. */
export function legacyModelList(ctx: SimContext, call: IncomingCall): Reply {
	const keyProblem = checkBodyKey(ctx, call);
	if (keyProblem) return keyProblem;
	return json(
		200,
		CATALOGUE_MODELS.map((model) => ({
			model_id: model.model_id,
			status: 'model_ready',
			created_at: model.created_at,
			instance_prompt: model.instance_prompt ?? null,
			model_name: model.name,
			description: model.description,
			screenshots: previewUrl(ctx, model),
			model_category: model.category,
			model_subcategory: model.model_subcategory,
			feature: model.feature,
			is_nsfw: '0',
		})),
	);
}

function isVoiceListType(value: unknown): value is VoiceListType {
	return typeof value === 'string' && (VOICE_LIST_TYPES as readonly string[]).includes(value);
}

/** `POST /api/v6/voice/voice_list` with `{key, type?}`: `{status, voices:[{voice_id, name, language}]}`. */
export function voiceList(ctx: SimContext, call: IncomingCall): Reply {
	const keyProblem = checkBodyKey(ctx, call);
	if (keyProblem) return keyProblem;
	const type = call.body?.type ?? 'manual';
	if (!isVoiceListType(type))
		return apiError(`type must be one of: ${VOICE_LIST_TYPES.join(', ')}`);
	return json(200, {
		status: 'success',
		voices: CATALOGUE_VOICES[type].map((voice) => ({ ...voice })),
	});
}

/**
 * `POST /api/v3/finetune_list` with `{key}`: `{status, messege:'model list', data:[ids]}` (the
 * training endpoints' spelling). The fixed ids, then every simulated training that reached
 * `model_ready`.
 */
export function trainedModelList(ctx: SimContext, call: IncomingCall): Reply {
	const keyProblem = checkBodyKey(ctx, call, 'messege');
	if (keyProblem) return keyProblem;
	const trained = [...ctx.jobs.byId.values()]
		.filter((job) => job.kind === 'training' && job.trainingState === 'model_ready')
		.map((job) => job.id);
	return json(200, {
		status: 'success',
		messege: 'model list',
		data: [...TRAINED_MODEL_IDS, ...trained],
	});
}

/** `GET /previews/<model_id>.png`: the `screenshots` URL of a catalogue model. */
export function servePreview(name: string): Reply {
	const index = CATALOGUE_MODELS.findIndex((model) => `${model.model_id}.png` === name);
	if (index < 0) return apiError(`File not found: ${name}`, { httpStatus: 404 });
	return { status: 200, file: buildPng(index + 1), contentType: 'image/png' };
}
