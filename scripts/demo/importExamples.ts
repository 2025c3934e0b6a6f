import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { N8nApi, WorkflowInput } from '../n8n';

/** The package's node types as a Community Nodes install names them. */
const PACKAGE_PREFIX = 'n8n-nodes-modelslab.';

/**
 * Reads examples/*.json, points every ModelsLab credential reference at `credential`, and (when
 * `api` is given) creates the workflows. Returns the workflows as they were sent.
 */
export function loadExamples(
	folder: string,
	credential: { id: string; name: string },
): WorkflowInput[] {
	return readdirSync(folder)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const workflow = JSON.parse(readFileSync(join(folder, file), 'utf8')) as WorkflowInput;
			for (const node of workflow.nodes) {
				if (!String(node.type).startsWith(PACKAGE_PREFIX)) continue;
				const credentials = (node as { credentials?: Record<string, unknown> }).credentials;
				if (credentials?.modelsLabApi) credentials.modelsLabApi = { ...credential };
			}
			return workflow;
		});
}

export async function importExamples(
	api: N8nApi,
	folder: string,
	credential: { id: string; name: string },
): Promise<Array<{ id: string; name: string }>> {
	const created: Array<{ id: string; name: string }> = [];
	for (const workflow of loadExamples(folder, credential)) {
		const saved = await api.createWorkflow(workflow);
		created.push({ id: saved.id, name: saved.name });
		// A workflow started by the ModelsLab Trigger only receives results while it is active.
		const trigger = workflow.nodes.find(
			(node) => node.type === `${PACKAGE_PREFIX}modelsLabTrigger`,
		);
		if (trigger)
			await api.activateWorkflow(saved.id, { webhookPaths: [String(trigger.parameters.path)] });
	}
	return created;
}
