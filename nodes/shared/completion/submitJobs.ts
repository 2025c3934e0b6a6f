import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type ISupplyDataFunctions,
} from 'n8n-workflow';

import { PARAM } from '../parameters/commonParameters';
import { readEndpointValues } from '../parameters/readParameters';
import { buildRequestBody, InvalidParameterError } from '../parameters/requestBody';
import type { SubmitEndpointSpec } from '../catalog/types';
import { generatedTrackId, trackIdForBody } from '../parameters/trackId';
import { submitJob } from '../transport/jobs';
import type { JobState } from '../transport/jobState';

/** Where one input item stands after submission. */
export interface ItemJob {
	itemIndex: number;
	trackId: string;
	state?: JobState;
	error?: Error;
}

interface PreparedRequest {
	itemIndex: number;
	trackId: string;
	body: IDataObject;
	pathValues: IDataObject;
}

/** Parallel submits; ModelsLab's queue limit (5-15 per account) is enforced by its 429s. */
const SUBMIT_CONCURRENCY = 2;

type RunContext = IExecuteFunctions | ISupplyDataFunctions;

/** The track id an item's job is sent with: the user's, or a generated one. */
export function itemTrackId(
	context: RunContext,
	endpoint: SubmitEndpointSpec,
	itemIndex: number,
): string {
	if (endpoint.trackId === 'none') return '';
	const given = String(context.getNodeParameter(PARAM.trackId, itemIndex, '') ?? '').trim();
	return (
		given ||
		generatedTrackId(endpoint.trackId, context.getExecutionId(), context.getNode().id, itemIndex)
	);
}

/**
 * Validates every item first (a bad parameter stops the run before anything is submitted), then
 * submits one job per item. With Continue On Fail, bad items become errors and the rest go on;
 * without it, the first failure stops further submits and names the jobs already running.
 */
export async function submitItemJobs(
	this: RunContext,
	endpoint: SubmitEndpointSpec,
	itemCount: number,
	callbackUrl: string | undefined,
	continueOnFail: boolean,
): Promise<ItemJob[]> {
	const node = this.getNode();
	const jobs: ItemJob[] = [];
	const prepared: PreparedRequest[] = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const trackId = itemTrackId(this, endpoint, itemIndex);
		jobs.push({ itemIndex, trackId });
		try {
			const { values, extra } = readEndpointValues(this, endpoint, itemIndex);
			const trackValue = trackIdForBody(endpoint.trackId, trackId);
			if (trackValue !== undefined) values.track_id = trackValue;
			if (callbackUrl) values.webhook = callbackUrl;
			prepared.push({ itemIndex, trackId, ...buildRequestBody(endpoint, values, extra) });
		} catch (error) {
			const failure =
				error instanceof InvalidParameterError || error instanceof Error
					? error
					: new Error(String(error));
			if (!continueOnFail) {
				throw new NodeOperationError(node, failure.message, {
					itemIndex,
					description:
						'Nothing was submitted to ModelsLab: every item is checked before the first request.',
				});
			}
			jobs[itemIndex].error = failure;
		}
	}

	let stopped: { itemIndex: number; error: Error } | undefined;
	const queue = [...prepared];
	const worker = async (): Promise<void> => {
		for (let request = queue.shift(); request && !stopped; request = queue.shift()) {
			try {
				jobs[request.itemIndex].state = await submitJob.call(
					this,
					endpoint,
					request.body,
					request.pathValues,
					request.itemIndex,
				);
			} catch (error) {
				const failure = error instanceof Error ? error : new Error(String(error));
				if (continueOnFail) jobs[request.itemIndex].error = failure;
				else stopped ??= { itemIndex: request.itemIndex, error: failure };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(SUBMIT_CONCURRENCY, prepared.length) }, worker));
	if (stopped) {
		const running = jobs
			.filter((job) => job.state)
			.map((job) => `item ${job.itemIndex}: ${job.state?.id}`);
		if (running.length && stopped.error instanceof Error && 'description' in stopped.error) {
			const described = stopped.error as Error & { description?: string | null };
			described.description = [
				described.description,
				`Jobs already submitted (read them with Get Result): ${running.join(', ')}`,
			]
				.filter(Boolean)
				.join('. ');
		}
		throw stopped.error;
	}
	return jobs;
}
