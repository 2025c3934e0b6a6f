import { LoadOptionsContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	ILoadOptionsFunctions,
	INode,
} from 'n8n-workflow';

import { TestExecution } from './n8nHarness';

/**
 * Runs `fn` inside a real n8n-core LoadOptionsContext, as the editor's resource-locator list
 * requests do: the node's current parameters, its credential resolved and authenticated by the
 * test credentials helper, real HTTP.
 */
export async function inLoadOptionsContext<T>(
	credentials: ICredentialDataDecryptedObject,
	node: { type: string; typeVersion?: number; parameters: IDataObject },
	fn: (this: ILoadOptionsFunctions) => Promise<T>,
): Promise<T> {
	const execution = new TestExecution({
		node: { id: 'picker-0000', ...node, parameters: node.parameters as INode['parameters'] },
		items: [{}],
		credentials,
		waitingBaseUrl: 'http://127.0.0.1:9/webhook-waiting',
	});
	const target = execution.workflow.getNode(execution.nodeName) as INode;
	const context = new LoadOptionsContext(
		execution.workflow,
		target,
		{ ...execution.additionalData, currentNodeParameters: target.parameters },
		`parameters.${Object.keys(node.parameters)[0] ?? ''}`,
	);
	return await fn.call(context);
}
