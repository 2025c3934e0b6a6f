import type { IWebhookFunctions } from 'n8n-workflow';

import { allEndpoints, getEndpoint } from '../shared/catalog';
import type { NormalisedCallback } from '../shared/transport/callbackPayload';
import { fetchJob } from '../shared/transport/jobs';
import type { JobState } from '../shared/transport/jobState';

export interface EndpointFamily {
	/** The option value saved in workflows. */
	value: string;
	label: string;
	fetchPath: string;
}

/**
 * Labels of the Endpoint Family option, in the order the panel lists them. The first nine values
 * are saved in workflows; a family the catalog adds later and this table does not name gets a
 * label made from its value.
 */
const FAMILY_LABELS: Readonly<Record<string, string>> = {
	images: 'Images',
	video: 'Video',
	voice: 'Audio (Voice)',
	'3d': '3D',
	image_editing: 'Image Editing',
	faceswap: 'Face Swap',
	v7_images: 'Images (Provider Models, v7)',
	v7_video: 'Video (Provider Models, v7)',
	v7_voice: 'Audio (Provider Models, v7)',
	realtime: 'Realtime',
	interior: 'Interior',
};

/**
 * Read-back paths of families the catalog may not have an operation of (docs/modelslab-api.md §4,
 * "Poll endpoints"); a catalog entry with the same family wins.
 */
const DOCUMENTED_FETCH_PATHS: Readonly<Record<string, string>> = {
	realtime: '/v6/realtime/fetch/{id}',
	interior: '/v6/interior/fetch/{id}',
};

/** `/v6/images/fetch/{id}` → `images`, `/v7/video-fusion/fetch/{id}` → `v7_video`; else undefined. */
export function familyOfFetchPath(fetchPath: string): string | undefined {
	const match = /^\/v(\d+)\/([\w-]+)\/fetch\/\{id\}$/.exec(fetchPath);
	if (!match) return undefined;
	const [, version, segment] = match;
	const name = segment === 'video-fusion' ? 'video' : segment;
	return version === '6' ? name : `v${version}_${name}`;
}

/**
 * Where a generation job is read back, one entry per family: the catalog's fetch paths, so a
 * family the catalog gains is verifiable too, and the documented ones it lacks.
 */
function endpointFamilies(): EndpointFamily[] {
	const paths = new Map<string, string>();
	for (const endpoint of allEndpoints()) {
		if (endpoint.type !== 'submit' || endpoint.jobKind !== 'generation') continue;
		const family = familyOfFetchPath(endpoint.fetchPath);
		if (family && !paths.has(family)) paths.set(family, endpoint.fetchPath);
	}
	for (const [family, path] of Object.entries(DOCUMENTED_FETCH_PATHS))
		if (!paths.has(family)) paths.set(family, path);
	const named = Object.keys(FAMILY_LABELS).filter((family) => paths.has(family));
	const others = [...paths.keys()].filter((family) => !(family in FAMILY_LABELS)).sort();
	return [...named, ...others].map((value) => ({
		value,
		label: FAMILY_LABELS[value] ?? value.replace(/_/g, ' '),
		fetchPath: paths.get(value) as string,
	}));
}

export const ENDPOINT_FAMILIES: readonly EndpointFamily[] = endpointFamilies();

const TRAINING_STATUS_PATH = '/v3/fine_tune_status/{id}';

/** Where a Workflows run is read: the Get Run operation's path (nodes/shared/catalog/workflow.ts). */
const WORKFLOW_RUN_PATH = getEndpoint('workflow', 'getRun').path;

/** Where a callback's job is read back: a fetch path and the values that fill it. */
export interface JobRead {
	fetchPath: string;
	pathValues: Readonly<Record<string, string>>;
}

/**
 * Where a callback's job is read from, or undefined when it cannot be read: a Workflows run is
 * read under its workflow's id, so one whose callback names no usable workflow id cannot be.
 */
export function verificationRead(
	callback: NormalisedCallback,
	family: string,
): JobRead | undefined {
	const id = callback.id;
	if (callback.kind === 'workflowRun') {
		if (callback.workflowId === undefined) return undefined;
		return {
			fetchPath: WORKFLOW_RUN_PATH,
			pathValues: { id, workflow_id: callback.workflowId, execution_id: id },
		};
	}
	if (callback.kind === 'training') return { fetchPath: TRAINING_STATUS_PATH, pathValues: { id } };
	const entry = ENDPOINT_FAMILIES.find((candidate) => candidate.value === family);
	return { fetchPath: (entry ?? ENDPOINT_FAMILIES[0]).fetchPath, pathValues: { id } };
}

/**
 * The job as ModelsLab reports it now, and nothing of the callback but its id: status, outputs,
 * `track_id` and `meta` are ModelsLab's (callbackOwner.ts compares them with the callback).
 * Throws the transport's NodeApiError when the job cannot be read.
 */
export async function verifyCallback(
	this: IWebhookFunctions,
	callback: NormalisedCallback,
	read: JobRead,
): Promise<JobState> {
	const state = await fetchJob.call(this, callback.kind, read.fetchPath, read.pathValues);
	return { ...state, id: callback.id };
}
