/**
 * The Workflows callback in the shape of the webhooks page (webhooks.mdx, §5): the run under
 * `execution`, its files in `execution.output_data.images`. workflows.ts sends it when a run's
 * behaviour asks for `workflowCallbackShape: 'webhooksPage'`.
 */
import type { JobRecord } from './jobs';
import type { JsonObject } from './types';

function iso(epochMs: number | undefined): string | null {
	return epochMs === undefined ? null : new Date(epochMs).toISOString();
}

export function webhooksPageCallback(
	job: JobRecord,
	outcome: 'success' | 'failed',
	completedAt: number,
): JsonObject {
	const startedAt = job.startedAt ?? job.createdAt;
	const execution: JsonObject = {
		id: Number(job.id),
		status: outcome === 'success' ? 'completed' : 'failed',
		started_at: iso(startedAt),
		completed_at: iso(completedAt),
		execution_time: Math.round((completedAt - startedAt) / 10) / 100,
		input_data: job.request,
		output_data: outcome === 'success' ? { images: [...job.output] } : {},
	};
	return {
		event: outcome === 'success' ? 'workflow.completed' : 'workflow.failed',
		workflow: { id: job.workflowId ?? '', name: 'Simulated workflow', user_id: 1 },
		execution,
		...(outcome === 'failed' ? { error: job.error ?? null } : {}),
	};
}
