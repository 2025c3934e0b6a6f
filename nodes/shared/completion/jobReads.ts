import type { SubmitEndpointSpec } from '../catalog/types';
import type { ModelsLabContext, ModelsLabCredentials } from '../transport/context';
import { fetchJob } from '../transport/jobs';
import type { ItemJob } from './itemJob';
import type { JobReader } from './jobTracker';

/** `{id}` plus the submit's own path values (a workflow run's status path needs `workflow_id`). */
export function fetchPathValues(job: ItemJob): Record<string, unknown> {
	return { ...job.pathValues, id: job.state?.id };
}

/**
 * How the jobs of an operation are read; `credentials`: read earlier, for reads that run after the
 * webhook call that read them answered (transport/request.ts).
 */
export function readerFor(
	context: ModelsLabContext,
	endpoint: SubmitEndpointSpec,
	credentials?: ModelsLabCredentials,
): JobReader {
	return async (job) =>
		await fetchJob.call(
			context,
			endpoint.jobKind,
			endpoint.fetchPath,
			fetchPathValues(job),
			job.itemIndex,
			// The submit's answer: its `fetch_result` is read first, its `future_links` carry over.
			{ credentials, submitted: job.state, alternatePaths: endpoint.alternateFetchPaths },
		);
}
