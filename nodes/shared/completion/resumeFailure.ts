import type { IWebhookFunctions } from 'n8n-workflow';

interface ResumableRunData {
	runExecutionData?: {
		resultData?: { error?: unknown; lastNodeExecuted?: string };
		executionData?: { nodeExecutionStack?: Array<{ metadata?: Record<string, unknown> }> };
	};
}

/**
 * A failed job must fail the node without running anything downstream, while ModelsLab still gets
 * its 2xx. Throwing in webhook() does neither: n8n answers 500 and runs the next node once with an
 * empty item. Instead the resume returns no items, and the error is attached where the engine
 * raises it for the resumed node: n8n 2.x rethrows `metadata.resumeError` of the resumed stack
 * entry before it forwards anything. n8n 1.x lacks that hook; there the empty output stops the
 * branch and the error is left on the run data for the execution's status.
 */
export function markResumeFailed(context: IWebhookFunctions, error: Error): void {
	const runData = (context as unknown as ResumableRunData).runExecutionData;
	const resumed = runData?.executionData?.nodeExecutionStack?.[0];
	if (resumed) resumed.metadata = { ...(resumed.metadata ?? {}), resumeError: error };
	if (runData?.resultData) {
		runData.resultData.error = error;
		runData.resultData.lastNodeExecuted = context.getNode().name;
	}
}
