import {
	NodeApiError,
	NodeOperationError,
	type ILoadOptionsFunctions,
	type INodeListSearchItems,
	type INodeListSearchResult,
} from 'n8n-workflow';

import type { Category, CategorySpec, FieldPicker } from '../catalog/types';
import { PARAM } from '../parameters/commonParameters';
import {
	listTrainedModels,
	listVoices,
	listWorkflows,
	searchModelCatalog,
} from '../transport/lists';
import type { ModelEntry } from '../transport/schemas';

type ListSearch = (
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
) => Promise<INodeListSearchResult>;

/** The `methods.listSearch` names the resource locators point at (searchModels is public: v7 uses it). */
export const LIST_SEARCH_METHOD: Readonly<Record<FieldPicker, string>> = {
	models: 'searchModels',
	voices: 'searchVoices',
	loraModels: 'searchLoraModels',
	workflows: 'searchWorkflows',
};

/** Entries per page of the model lists; ModelsLab allows 1 to 100. */
export const MODEL_PAGE_SIZE = 50;

/** The model-search `feature` of each category's models (docs/modelslab-api.md §3.8). */
const FEATURE: Partial<Record<Category, string>> = {
	image: 'imagen',
	video: 'video_fusion',
	audio: 'audio_gen',
};

/** v7 provider-model operations are named `v7_…` (docs/public-names.md §3). */
const isV7 = (operation: string): boolean => operation.startsWith('v7_');

/**
 * The list searches of one node's resource locators. Every call goes through the transport with
 * the node's credential. A list that cannot be loaded throws an error that says why and that the
 * "By ID" mode still works: n8n shows it in place of the list.
 */
export function listSearchMethods(
	category: CategorySpec,
	pageSize = MODEL_PAGE_SIZE,
): Record<string, ListSearch> {
	return {
		[LIST_SEARCH_METHOD.models]: async function (this, filter, paginationToken) {
			const operation = String(this.getNodeParameter(PARAM.operation, '') ?? '');
			const v7 = isV7(operation);
			return await softly(this, 'models', 'model', async () => {
				const page = pageOf(paginationToken);
				// model_id of the v6 image endpoints also takes the ID of a model the user trained.
				const trained =
					!v7 && category.category === 'image' && page === 1
						? await trainedModels(this, filter, 'Your trained model')
						: [];
				const found = await searchModelCatalog.call(this, {
					api: v7 ? 'v7' : 'v6',
					search: filter,
					feature: FEATURE[category.category],
					page,
					perPage: pageSize,
				});
				// LoRAs are no base models; provider models run on the v7 endpoints only.
				const fitting = found.models.filter(
					(model) =>
						model.model_subcategory !== 'lora' && (v7 || model.model_subcategory !== 'provider'),
				);
				return result([...trained, ...fitting.map(modelItem)], found.hasMore, page);
			});
		},

		[LIST_SEARCH_METHOD.loraModels]: async function (this, filter, paginationToken) {
			return await softly(this, 'LoRA models', 'LoRA model', async () => {
				const page = pageOf(paginationToken);
				const trained = page === 1 ? await trainedModels(this, filter, 'Your trained LoRA') : [];
				const found = await searchModelCatalog.call(this, {
					api: 'v6',
					search: filter,
					feature: FEATURE.image,
					subcategory: 'lora',
					page,
					perPage: pageSize,
				});
				return result([...trained, ...found.models.map(modelItem)], found.hasMore, page);
			});
		},

		[LIST_SEARCH_METHOD.voices]: async function (this, filter) {
			return await softly(this, 'voices', 'voice', async () => {
				// The pretrained voices must load; the account's cloned ones are a bonus.
				const [manual, trained] = await Promise.allSettled([
					listVoices.call(this, 'manual'),
					listVoices.call(this, 'trained'),
				]);
				if (manual.status === 'rejected') throw manual.reason;
				const voices = [
					...manual.value.map((voice) => ({ ...voice, cloned: false })),
					...(trained.status === 'fulfilled'
						? trained.value.map((voice) => ({ ...voice, cloned: true }))
						: []),
				];
				return {
					results: voices
						.filter((voice) => matches(filter, voice.voice_id, voice.name, voice.language))
						.map((voice) => ({
							name: `${voice.name ?? voice.voice_id}${voice.language ? ` (${voice.language})` : ''}`,
							value: voice.voice_id,
							description: voice.cloned ? 'Your trained voice' : `ID: ${voice.voice_id}`,
						})),
				};
			});
		},

		[LIST_SEARCH_METHOD.workflows]: async function (this, filter) {
			return await softly(this, 'workflows', 'workflow', async () => {
				const workflows = await listWorkflows.call(this);
				return {
					results: workflows
						.filter((workflow) => matches(filter, workflow.id, workflow.name, workflow.description))
						.map((workflow) => ({
							name: workflow.name ?? workflow.id,
							value: workflow.id,
							description: workflow.description ?? `ID: ${workflow.id}`,
						})),
				};
			});
		},
	};
}

function pageOf(token: string | undefined): number {
	const page = Number(token);
	return Number.isInteger(page) && page > 1 ? page : 1;
}

function result(
	results: INodeListSearchItems[],
	hasMore: boolean,
	page: number,
): INodeListSearchResult {
	return { results, ...(hasMore ? { paginationToken: String(page + 1) } : {}) };
}

function modelItem(model: ModelEntry): INodeListSearchItems {
	const id = model.model_id as string;
	const about = [model.provider ?? model.model_category, model.model_type ?? model.feature]
		.filter(Boolean)
		.join(', ');
	return {
		name: model.model_name ?? model.name ?? id,
		value: id,
		description: about ? `ID: ${id} (${about})` : `ID: ${id}`,
	};
}

/** The account's trained models matching the search; an empty list if they cannot be read. */
async function trainedModels(
	context: ILoadOptionsFunctions,
	filter: string | undefined,
	label: string,
): Promise<INodeListSearchItems[]> {
	let ids: string[];
	try {
		ids = await listTrainedModels.call(context);
	} catch {
		// The public catalogue still loads; trained models can be entered by ID.
		return [];
	}
	return ids
		.filter((id) => matches(filter, id))
		.map((id) => ({ name: `${label} ${id}`, value: id, description: `ID: ${id}` }));
}

/** Case-insensitive substring search over whatever an entry has (the lists without server search). */
function matches(filter: string | undefined, ...texts: Array<string | undefined>): boolean {
	const wanted = (filter ?? '').trim().toLowerCase();
	return wanted === '' || texts.some((text) => text?.toLowerCase().includes(wanted));
}

/**
 * Runs a list load; a failure becomes an error that says what could not be loaded, why, and that
 * the ID can be entered by hand. API errors keep their HTTP code, so n8n offers the credential.
 */
async function softly(
	context: ILoadOptionsFunctions,
	what: string,
	noun: string,
	load: () => Promise<INodeListSearchResult>,
): Promise<INodeListSearchResult> {
	try {
		return await load();
	} catch (error) {
		const reason = (error instanceof Error ? error.message : String(error)).replace(
			/^ModelsLab: /,
			'',
		);
		const message = `Could not load the ${what} from ModelsLab: ${reason}`;
		const description = [
			`Choose "By ID" and enter the ${noun} ID instead; the node runs the same.`,
			(error as { description?: string }).description,
		]
			.filter(Boolean)
			.join(' ');
		const node = context.getNode();
		if (error instanceof NodeApiError) {
			throw new NodeApiError(
				node,
				{ message, ...(error.httpCode ? { httpCode: error.httpCode } : {}) },
				{ message, description, httpCode: error.httpCode ?? undefined },
			);
		}
		throw new NodeOperationError(node, message, { description });
	}
}
