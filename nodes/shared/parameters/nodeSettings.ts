import type { INode } from 'n8n-workflow';

/** "On Error: Continue" in any of its forms; webhook contexts have no continueOnFail(). */
export function continuesOnFail(node: INode): boolean {
	return (
		node.continueOnFail === true ||
		node.onError === 'continueRegularOutput' ||
		node.onError === 'continueErrorOutput'
	);
}
