import type { IWebhookFunctions } from 'n8n-workflow';

import type { NormalisedCallback } from '../shared/transport/callbackPayload';
import { fetchJob } from '../shared/transport/jobs';
import type { JobState } from '../shared/transport/jobState';

/** Where a generation job is read back (docs/modelslab-api.md §4, poll endpoints). */
export const ENDPOINT_FAMILIES = [
	{ value: 'images', label: 'Images', fetchPath: '/v6/images/fetch/{id}' },
	{ value: 'video', label: 'Video', fetchPath: '/v6/video/fetch/{id}' },
	{ value: 'voice', label: 'Audio (Voice)', fetchPath: '/v6/voice/fetch/{id}' },
	{ value: '3d', label: '3D', fetchPath: '/v6/3d/fetch/{id}' },
	{ value: 'image_editing', label: 'Image Editing', fetchPath: '/v6/image_editing/fetch/{id}' },
	{ value: 'faceswap', label: 'Face Swap', fetchPath: '/v6/faceswap/fetch/{id}' },
	// The provider-model operations (docs/modelslab-api.md §1, §4 "poll endpoints").
	{ value: 'v7_images', label: 'Images (Provider Models, v7)', fetchPath: '/v7/images/fetch/{id}' },
	{
		value: 'v7_video',
		label: 'Video (Provider Models, v7)',
		fetchPath: '/v7/video-fusion/fetch/{id}',
	},
	{ value: 'v7_voice', label: 'Audio (Provider Models, v7)', fetchPath: '/v7/voice/fetch/{id}' },
] as const;

export type EndpointFamily = (typeof ENDPOINT_FAMILIES)[number]['value'];

const TRAINING_STATUS_PATH = '/v3/fine_tune_status/{id}';

/**
 * The path a callback's job is read from, or undefined when it cannot be read: a Workflows run is
 * read under its workflow's id, which the trigger does not know.
 */
export function verificationPath(
	kind: NormalisedCallback['kind'],
	family: string,
): string | undefined {
	if (kind === 'workflowRun') return undefined;
	if (kind === 'training') return TRAINING_STATUS_PATH;
	return (ENDPOINT_FAMILIES.find((entry) => entry.value === family) ?? ENDPOINT_FAMILIES[0])
		.fetchPath;
}

/**
 * The job as ModelsLab reports it now. Status, outputs and training state are ModelsLab's; the
 * callback's other fields (track_id, meta, generationTime) stay, since fetch answers are slim.
 * Throws the transport's NodeApiError when the job cannot be read.
 */
export async function verifyCallback(
	this: IWebhookFunctions,
	callback: NormalisedCallback,
	fetchPath: string,
): Promise<JobState> {
	const state = await fetchJob.call(this, callback.kind, fetchPath, { id: callback.id });
	return { ...state, id: callback.id, raw: { ...callback.raw, ...state.raw } };
}
