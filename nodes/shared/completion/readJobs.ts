import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	ISupplyDataFunctions,
} from 'n8n-workflow';

import { PARAM } from '../parameters/commonParameters';
import { readEndpointValues } from '../parameters/readParameters';
import { buildRequestBody } from '../parameters/requestBody';
import type { ReadEndpointSpec } from '../catalog/types';
import { fetchJob } from '../transport/jobs';
import type { JobState } from '../transport/jobState';
import { downloadSettings } from '../parameters/downloadSettings';
import { userFacingError } from '../transport/errors';
import { recordJson } from '../transport/results';
import type { ItemJob } from './itemJob';
import { outputItems } from './outputItems';

type RunContext = IExecuteFunctions | ISupplyDataFunctions;

/**
 * getResult / getStatus / getRun: reads one job per item; a job still running is a result too.
 * Each item carries ModelsLab's own record beside the contract's fields (transport/results.ts
 * `recordJson`): a run's own status, steps and timings, a training's log.
 */
export async function runReadOperation(
	this: RunContext,
	endpoint: ReadEndpointSpec,
): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const items = this.getInputData();
	const options = this.getNodeParameter(PARAM.options, 0, {}) as IDataObject;
	const continueOnFail = this.continueOnFail();
	const jobs: ItemJob[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const job: ItemJob = { itemIndex, trackId: '' };
		try {
			const { values } = readEndpointValues(this, endpoint, itemIndex);
			const { pathValues } = buildRequestBody(endpoint, values);
			job.state = await readOne.call(this, endpoint, pathValues, itemIndex);
			const track =
				job.state.raw.track_id ?? (job.state.raw.meta as IDataObject | undefined)?.track_id;
			job.trackId = track === undefined || track === null ? '' : String(track);
		} catch (error) {
			job.error = userFacingError(error);
		}
		jobs.push(job);
	}
	// A pending job is reported as it stands (status "processing"), not as an error.
	const finished = jobs.filter((job) => job.state?.phase !== 'pending');
	const outcome = await outputItems(this, node, finished, {
		continueOnFail,
		download: downloadSettings(options),
		unfinished: (job) => job.error ?? new Error('not read'),
	});
	if ('failure' in outcome) throw outcome.failure;
	const byIndex = new Map(jobs.map((job) => [job.itemIndex, job]));
	const done = outcome.items.map((item) => {
		const state = byIndex.get(itemIndexOf(item))?.state;
		return state?.phase === 'success' && !item.error
			? { ...item, json: { ...state.raw, ...item.json } }
			: item;
	});
	const running = jobs
		.filter((job) => job.state?.phase === 'pending')
		.map((job) => ({
			json: recordJson(job.state as JobState, job.trackId),
			pairedItem: { item: job.itemIndex },
		}));
	return [[...done, ...running].sort((a, b) => itemIndexOf(a) - itemIndexOf(b))];
}

function itemIndexOf(item: INodeExecutionData): number {
	const paired = item.pairedItem;
	return typeof paired === 'object' && paired !== null && !Array.isArray(paired) ? paired.item : 0;
}

/**
 * Reads the job at the operation's path, then at its alternates while one answers not found (a
 * v7 job read by the v6 Get Result, face-swap jobs under /faceswap/ and /deepfake/).
 */
async function readOne(
	this: RunContext,
	endpoint: ReadEndpointSpec,
	pathValues: IDataObject,
	itemIndex: number,
): Promise<JobState> {
	// The job's id under whichever name the operation asks for it.
	const values = {
		...pathValues,
		id: pathValues.request_id ?? pathValues.training_id ?? pathValues.execution_id,
	};
	return await fetchJob.call(this, endpoint.jobKind, endpoint.path, values, itemIndex, {
		alternatePaths: endpoint.alternatePaths ?? [],
	});
}
