import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { N8nApi, WorkflowInput } from '../n8n';

/** The package's node types as a Community Nodes install names them. */
const PACKAGE_PREFIX = 'n8n-nodes-modelslab.';

/**
 * Where the examples' HTTP Request nodes download their input files from: a host that never
 * resolves, rewritten on import to the ModelsLab simulator's `/samples/` files (its sticky note
 * tells users to put their own file's URL there).
 */
export const SAMPLE_FILES_PLACEHOLDER = 'https://sample-files.modelslab.invalid/';

export interface LoadOptions {
	/** Origin of a ModelsLab simulator (`sim.origin`): sample file URLs are pointed at it. */
	sampleFilesOrigin?: string;
}

/**
 * Reads examples/*.json, points every ModelsLab credential reference at `credential` and every
 * sample file URL at the simulator (when given), and (importExamples) creates the workflows.
 * Returns the workflows as they were sent.
 */
export function loadExamples(
	folder: string,
	credential: { id: string; name: string },
	options: LoadOptions = {},
): WorkflowInput[] {
	return readdirSync(folder)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const workflow = JSON.parse(readFileSync(join(folder, file), 'utf8')) as WorkflowInput;
			for (const node of workflow.nodes) {
				const parameters = node.parameters as { url?: unknown } | undefined;
				if (
					options.sampleFilesOrigin &&
					typeof parameters?.url === 'string' &&
					parameters.url.startsWith(SAMPLE_FILES_PLACEHOLDER)
				) {
					parameters.url = `${options.sampleFilesOrigin.replace(/\/+$/, '')}/samples/${parameters.url.slice(SAMPLE_FILES_PLACEHOLDER.length)}`;
				}
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
	options: LoadOptions = {},
): Promise<Array<{ id: string; name: string }>> {
	const created: Array<{ id: string; name: string }> = [];
	for (const workflow of loadExamples(folder, credential, options)) {
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
