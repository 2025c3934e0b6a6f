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
import { resultJson } from '../transport/results';
import type { ItemJob } from './itemJob';
import { outputItems } from './outputItems';

type RunContext = IExecuteFunctions | ISupplyDataFunctions;

/** getResult / getStatus / getRun: reads one job per item; a job still running is a result too. */
export async function runReadOperation(
	this: RunContext,
	endpoint: ReadEndpointSpec,
): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const items = this.getInputData();
	const options = this.getNodeParameter(PARAM.options, 0, {}) as IDataObject;
	const continueOnFail = this.continueOnFail();
	const jobs: ItemJob[] = [];
	const running: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const job: ItemJob = { itemIndex, trackId: '' };
		try {
			const { values } = readEndpointValues(this, endpoint, itemIndex);
			const { pathValues } = buildRequestBody(endpoint, values);
			job.state = await readWithFallback.call(this, endpoint, pathValues, itemIndex);
			const track =
				job.state.raw.track_id ?? (job.state.raw.meta as IDataObject | undefined)?.track_id;
			job.trackId = track === undefined || track === null ? '' : String(track);
		} catch (error) {
			job.error = error instanceof Error ? error : new Error(String(error));
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
	const done = outcome.items;
	for (const job of jobs.filter((entry) => entry.state?.phase === 'pending')) {
		const state = job.state as JobState;
		running.push({ json: resultJson(state, job.trackId), pairedItem: { item: job.itemIndex } });
	}
	return [[...done, ...running].sort((a, b) => itemIndexOf(a) - itemIndexOf(b))];
}

function itemIndexOf(item: INodeExecutionData): number {
	const paired = item.pairedItem;
	return typeof paired === 'object' && paired !== null && !Array.isArray(paired) ? paired.item : 0;
}

/** Tries the operation's path, then its alternates (face-swap jobs live under another family). */
async function readWithFallback(
	this: RunContext,
	endpoint: ReadEndpointSpec,
	pathValues: IDataObject,
	itemIndex: number,
): Promise<JobState> {
	const paths = [endpoint.path, ...(endpoint.alternatePaths ?? [])];
	// The job's id under whichever name the operation asks for it.
	const values = {
		...pathValues,
		id: pathValues.request_id ?? pathValues.training_id ?? pathValues.execution_id,
	};
	let firstError: unknown;
	for (const path of paths) {
		try {
			return await fetchJob.call(this, endpoint.jobKind, path, values, itemIndex);
		} catch (error) {
			firstError ??= error;
		}
	}
	throw firstError;
}
