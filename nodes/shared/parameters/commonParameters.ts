/** Names of the parameters every submitting operation has besides its catalog fields. */
export const PARAM = {
	operation: 'operation',
	trackId: 'trackId',
	completion: 'completion',
	additionalFields: 'additionalFields',
	options: 'options',
	/** Inside Additional Fields: JSON merged into the body, for fields the catalog lacks. */
	extraFields: 'extraFields',
} as const;

/** Names of the model choice of a provider-model (v7) operation. */
export const MODEL_PARAM = {
	/** The chosen model: a catalog model's `model_id`, or OTHER_MODEL. */
	modelId: 'modelId',
	/** "Other Model (by ID)": the `model_id`, a resource locator (modes list and id). */
	customModelId: 'customModelId',
	/** "Other Model (by ID)": the model's body fields as a JSON object. */
	customModelFields: 'customModelFields',
	/** listSearch method behind the list mode of customModelId. */
	searchMethod: 'searchModels',
} as const;

/** Names inside the Options collection. */
export const OPTION = {
	waitLimit: 'waitLimit',
	pollInterval: 'pollInterval',
	downloadOutputs: 'downloadOutputs',
	binaryPropertyName: 'binaryPropertyName',
	maxDownloadSizeMb: 'maxDownloadSizeMb',
	/** Jobs of one node run that may run at once; 0 = as many as ModelsLab's queue takes. */
	maxConcurrentJobs: 'maxConcurrentJobs',
	/** Submit Only: where ModelsLab posts the result (a ModelsLab Trigger's production URL). */
	resultWebhookUrl: 'resultWebhookUrl',
} as const;

/** Option values of `completion` (docs/public-names.md). */
export type CompletionMode = 'callback' | 'poll' | 'submit';

export const DEFAULT_MAX_DOWNLOAD_MB = 100;
export const DEFAULT_BINARY_PROPERTY = 'data';
