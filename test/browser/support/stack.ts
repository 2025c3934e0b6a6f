import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startN8n, type RunningN8n } from '../../../scripts/n8n';
import { loadExamples } from '../../../scripts/demo/importExamples';
import { packTarball } from '../../../scripts/scan/packTarball';

const root = join(__dirname, '..', '..', '..');

export interface ImportedExample {
	file: string;
	id: string;
	name: string;
	nodes: Array<{ name: string; type: string; parameters: Record<string, unknown> }>;
}

export interface EditorStack {
	n8n: RunningN8n;
	examples: ImportedExample[];
	stop(): Promise<void>;
}

/**
 * n8n 2.x with the packed package installed as Community Nodes installs it, a credential (its URL
 * goes nowhere: the panels must render without ModelsLab) and every example workflow imported.
 */
export async function startEditorStack(): Promise<EditorStack> {
	const packDir = mkdtempSync(join(tmpdir(), 'modelslab-browser-pack-'));
	let n8n: RunningN8n | undefined;
	try {
		const tarball = packTarball(root, packDir);
		n8n = await startN8n({ line: '2', tarballs: [tarball] });
		const credential = await n8n.api.createCredential({
			name: 'ModelsLab (browser test)',
			type: 'modelsLabApi',
			data: { apiKey: 'browser-test-key', baseUrl: 'http://127.0.0.1:9/api' },
		});
		const files = loadExampleFiles();
		const workflows = loadExamples(join(root, 'examples'), {
			id: credential.id,
			name: credential.name,
		});
		const examples: ImportedExample[] = [];
		for (const [index, workflow] of workflows.entries()) {
			const saved = await n8n.api.createWorkflow(workflow);
			examples.push({ file: files[index], id: saved.id, name: saved.name, nodes: workflow.nodes });
		}
		const running = n8n;
		return {
			n8n: running,
			examples,
			async stop() {
				await running.stop();
				rmSync(packDir, { recursive: true, force: true });
			},
		};
	} catch (error) {
		await n8n?.stop();
		rmSync(packDir, { recursive: true, force: true });
		throw error;
	}
}

/** File names in the order loadExamples reads them. */
function loadExampleFiles(): string[] {
	return readdirSync(join(root, 'examples'))
		.filter((file) => file.endsWith('.json'))
		.sort();
}
