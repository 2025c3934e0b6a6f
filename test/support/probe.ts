import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';

import { TestExecution } from './n8nHarness';
import { ProbeNode } from './testNodes';

/**
 * Runs `fn` inside a real n8n-core ExecuteContext (real request helpers, real credential
 * authentication through the test credentials helper), so transport code meets real HTTP.
 */
export async function inNodeContext<T>(
	credentials: ICredentialDataDecryptedObject,
	fn: (this: IExecuteFunctions) => Promise<T>,
): Promise<{ result?: T; error?: Error; execution: TestExecution }> {
	ProbeNode.run = fn as (this: IExecuteFunctions) => Promise<unknown>;
	const execution = new TestExecution({
		node: { id: 'probe-0000', type: 'test.probe', parameters: {} },
		items: [{}],
		credentials,
		waitingBaseUrl: 'http://127.0.0.1:9/webhook-waiting',
	});
	await execution.start();
	ProbeNode.run = undefined;
	return {
		result: ProbeNode.result as T | undefined,
		error: ProbeNode.error as Error | undefined,
		execution,
	};
}
