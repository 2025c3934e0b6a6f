import type { IDataObject } from 'n8n-workflow';

import {
	CREDENTIAL_TYPE,
	type ModelsLabCredentials,
	type ModelsLabRequestContext,
} from './context';
import { modelsLabRequest } from './request';
import {
	modelSearchResponseSchema,
	trainedModelListResponseSchema,
	voiceListResponseSchema,
	workflowListResponseSchema,
	type ModelEntry,
} from './schemas';
import { parseOrThrow } from './validate';

/**
 * The list endpoints behind the resource locators (docs/modelslab-api.md §3.3, §3.6-§3.8;
 * /work/research/list-endpoints.md). Each returns what it read, parsed leniently; an unusable
 * answer is a NodeApiError naming the field.
 */

export interface ModelSearch {
	/** `v6` searches `/v6/model-search`, `v7` the provider models at `/v7/models`. */
	api: 'v6' | 'v7';
	search?: string;
	/** `imagen`, `video_fusion`, `audio_gen` (the REST guide's underscore forms). */
	feature?: string;
	/** e.g. `lora`. */
	subcategory?: string;
	page: number;
	perPage: number;
}

export interface ModelPage {
	models: ModelEntry[];
	/** Whether ModelsLab has a page after this one. */
	hasMore: boolean;
}

/** One page of ModelsLab's model catalogue, searched and filtered by ModelsLab. */
export async function searchModelCatalog(
	this: ModelsLabRequestContext,
	query: ModelSearch,
): Promise<ModelPage> {
	// These two take the key in the query string only (§3.8); the credential sends it in the body
	// and a header, which a GET does not carry reliably.
	const { apiKey } = await this.getCredentials<ModelsLabCredentials>(CREDENTIAL_TYPE);
	const path = query.api === 'v7' ? '/v7/models' : '/v6/model-search';
	const qs: IDataObject = { key: apiKey, page: query.page, per_page: query.perPage };
	if (query.search) qs.search = query.search;
	if (query.feature) qs.feature = query.feature;
	if (query.subcategory) qs.model_subcategory = query.subcategory;
	const context = `listing models (${path})`;
	const raw = await modelsLabRequest.call(this, { method: 'GET', path, query: qs, context });
	const body = parseOrThrow(this.getNode(), modelSearchResponseSchema, raw, { context });
	const lastPage = body.meta?.last_page;
	const hasMore =
		lastPage !== undefined ? query.page < lastPage : body.data.length >= query.perPage;
	return { models: body.data, hasMore };
}

/** The account's voices of one `voice_list` type (`manual`: pretrained, `trained`: cloned). */
export async function listVoices(
	this: ModelsLabRequestContext,
	type: 'manual' | 'trained',
): Promise<Array<{ voice_id: string; name?: string; language?: string }>> {
	const path = '/v6/voice/voice_list';
	const context = `listing voices (${path})`;
	const raw = await modelsLabRequest.call(this, {
		method: 'POST',
		path,
		body: { type },
		context,
	});
	return parseOrThrow(this.getNode(), voiceListResponseSchema, raw, { context }).voices;
}

/** The ids of the account's trained models (`finetune_list`; no search, no pages). */
export async function listTrainedModels(this: ModelsLabRequestContext): Promise<string[]> {
	const path = '/v3/finetune_list';
	const context = `listing trained models (${path})`;
	const raw = await modelsLabRequest.call(this, { method: 'POST', path, body: {}, context });
	return parseOrThrow(this.getNode(), trainedModelListResponseSchema, raw, { context }).data;
}

/** The account's API-enabled ModelsLab workflows (no search, no pages; key in the header). */
export async function listWorkflows(
	this: ModelsLabRequestContext,
): Promise<Array<{ id: string; name?: string; description?: string }>> {
	const path = '/v1/workflows';
	const context = `listing workflows (${path})`;
	const raw = await modelsLabRequest.call(this, { method: 'GET', path, context });
	return parseOrThrow(this.getNode(), workflowListResponseSchema, raw, { context }).workflows;
}
