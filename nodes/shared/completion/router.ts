import type { IExecuteFunctions, INodeExecutionData, ISupplyDataFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getEndpoint } from '../catalog';
import type { CategorySpec } from '../catalog/types';
import { runReadOperation } from './readJobs';
import { runSubmitOperation } from './runSubmit';
import { PARAM } from '../parameters/commonParameters';

/** Every action node's execute(): dispatches the chosen operation of its category. */
export async function routeOperation(
	this: IExecuteFunctions | ISupplyDataFunctions,
	category: CategorySpec,
): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter(PARAM.operation, 0) as string;
	let endpoint;
	try {
		endpoint = getEndpoint(category.category, operation);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), error as Error, {
			description: 'Choose an operation from the list',
		});
	}
	return endpoint.type === 'read'
		? await runReadOperation.call(this, endpoint)
		: await runSubmitOperation.call(this, category, endpoint);
}
