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
