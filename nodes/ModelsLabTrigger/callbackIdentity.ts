import type { IDataObject } from 'n8n-workflow';

import { isObject } from '../shared/transport/schemas';

/**
 * Whether a body names a job the way one of ModelsLab's callback shapes does (docs/modelslab-api.md §5):
 * generation `status` + `id`, training `training_status` + `model_id`, Workflows `event` +
 * `execution_id` or `execution.id`. A body that does, but that parseCallback still rejects (an
 * unknown status, an odd `output`), is a callback the trigger cannot use: it is acknowledged
 * rather than refused, since ModelsLab would only send the same body again.
 */
export function namesAJob(body: IDataObject): boolean {
	if ('training_status' in body) return present(body.model_id);
	if ('event' in body) {
		const execution = body.execution;
		return present(body.execution_id) || (isObject(execution) && present(execution.id));
	}
	return present(body.status) && present(body.id);
}

function present(value: unknown): boolean {
	return value !== undefined && value !== null && value !== '';
}
