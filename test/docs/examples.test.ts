import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { NodeHelpers, type INode, type INodeType } from 'n8n-workflow';

import { ModelsLabTrigger } from '../../nodes/ModelsLabTrigger/ModelsLabTrigger.node';
import { ACTION_NODES } from '../support/actionNodes';

/**
 * The example workflows refer to this package's node types and parameters; a renamed parameter
 * or operation would break users' imports, so every ModelsLab node in them is checked against
 * the node's own description. (The end-to-end suite imports and runs them in a real n8n.)
 */
const folder = join(__dirname, '..', '..', 'examples');
const files = readdirSync(folder).filter((file) => file.endsWith('.json'));
const byType = new Map<string, INodeType>(
	[...Object.values(ACTION_NODES), new ModelsLabTrigger()].map((node) => [
		`n8n-nodes-modelslab.${node.description.name}`,
		node,
	]),
);

interface ExampleWorkflow {
	name: string;
	nodes: INode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
	settings: Record<string, unknown>;
}

describe.each(files)('examples/%s', (file) => {
	const workflow = JSON.parse(readFileSync(join(folder, file), 'utf8')) as ExampleWorkflow;

	it('has only what the public API accepts: name, nodes, connections, settings', () => {
		expect(Object.keys(workflow).sort()).toEqual(['connections', 'name', 'nodes', 'settings']);
	});

	it('has exactly one trigger, so the editor\'s default "Execute workflow" button runs it', () => {
		const triggers = workflow.nodes.filter((node) => /trigger/i.test(node.type));
		expect(triggers.map((node) => node.type)).toHaveLength(1);
		expect(['n8n-nodes-base.manualTrigger', 'n8n-nodes-modelslab.modelsLabTrigger']).toContain(
			triggers[0].type,
		);
	});

	it('connects only nodes it has', () => {
		const names = new Set(workflow.nodes.map((node) => node.name));
		for (const [from, { main }] of Object.entries(workflow.connections)) {
			expect(names).toContain(from);
			for (const target of main.flat()) expect(names).toContain(target.node);
		}
	});

	it('uses the ModelsLab nodes with valid operations and parameters', () => {
		const modelsLab = workflow.nodes.filter((node) => node.type.startsWith('n8n-nodes-modelslab.'));
		expect(modelsLab.length).toBeGreaterThan(0);
		for (const node of modelsLab) {
			const nodeType = byType.get(node.type);
			expect(nodeType).toBeDefined();
			const description = (nodeType as INodeType).description;
			const resolved = NodeHelpers.getNodeParameters(
				description.properties,
				node.parameters,
				true,
				false,
				node,
				description,
			);
			const issues = NodeHelpers.getNodeParametersIssues(
				description.properties,
				{ ...node, parameters: resolved ?? {} },
				description,
			);
			expect(issues).toBeNull();
			// Every parameter the example sets exists in the description for its operation.
			for (const name of Object.keys(node.parameters))
				expect(Object.keys(resolved ?? {})).toContain(name);
			if (node.type !== 'n8n-nodes-modelslab.modelsLabTrigger')
				expect(node.credentials?.modelsLabApi).toBeDefined();
		}
	});
});
