import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startN8n, type RunningN8n, type WorkflowInput } from '../../../scripts/n8n';
import { importExamples, loadExamples } from '../../../scripts/demo/importExamples';
import { packTarball } from '../../../scripts/scan/packTarball';
import { startSimulator, type Simulator } from '../../simulator';

const root = join(__dirname, '..', '..', '..');

export interface ImportedExample {
	file: string;
	id: string;
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		typeVersion: number;
		parameters: Record<string, unknown>;
	}>;
	/** The workflow as imported, to put it back after the editor changed it (n8n 2.x autosaves). */
	input: WorkflowInput;
}

export interface EditorStack {
	n8n: RunningN8n;
	examples: ImportedExample[];
	/** A workflow whose ModelsLab Image node (version 1.1) uses a credential on the simulator. */
	picker: { workflowId: string; nodeName: string };
	/** The simulator the credentials point at (what its lists hold depends on what ran before). */
	sim: Simulator;
	stop(): Promise<void>;
}

export const PICKER_NODE = 'ModelsLab Image';

/**
 * n8n 2.x with the packed package installed as Community Nodes installs it, a credential (its URL
 * goes nowhere: the panels must render without ModelsLab), every example workflow imported, and
 * for the pickers a ModelsLab simulator with a second credential and a workflow that uses it.
 */
export async function startEditorStack(): Promise<EditorStack> {
	const packDir = mkdtempSync(join(tmpdir(), 'modelslab-browser-pack-'));
	let n8n: RunningN8n | undefined;
	let sim: Simulator | undefined;
	try {
		// Jobs long enough to be waited for (no reads before the park), callbacks a second later.
		sim = await startSimulator({ callbackDelayMs: 1500, trainingStepDelayMs: 300 });
		sim.setDefaultBehaviour({ eta: 20 });
		const tarball = packTarball(root, packDir);
		n8n = await startN8n({ line: '2', tarballs: [tarball] });
		const credential = await n8n.api.createCredential({
			name: 'ModelsLab (browser test)',
			type: 'modelsLabApi',
			data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
		});
		const files = loadExampleFiles();
		// As `npm start` imports them: the receiving trigger workflow activated, sample files served.
		const imported = await importExamples(
			n8n.api,
			join(root, 'examples'),
			{ id: credential.id, name: credential.name },
			{ sampleFilesOrigin: sim.origin },
		);
		const workflows = loadExamples(
			join(root, 'examples'),
			{ id: credential.id, name: credential.name },
			{ sampleFilesOrigin: sim.origin },
		);
		const examples: ImportedExample[] = imported.map((saved, index) => ({
			file: files[index],
			id: saved.id,
			name: saved.name,
			nodes: workflows[index].nodes,
			input: workflows[index],
		}));
		const picker = await createPickerWorkflow(n8n, sim);
		const running = n8n;
		const simulator = sim;
		return {
			n8n: running,
			examples,
			picker,
			sim: simulator,
			async stop() {
				await running.stop();
				await simulator.stop();
				rmSync(packDir, { recursive: true, force: true });
			},
		};
	} catch (error) {
		await n8n?.stop();
		await sim?.stop();
		rmSync(packDir, { recursive: true, force: true });
		throw error;
	}
}

/** Manual Trigger → ModelsLab Image (version 1.1, Text to Image, Model ID empty in list mode). */
async function createPickerWorkflow(
	n8n: RunningN8n,
	sim: Simulator,
): Promise<{ workflowId: string; nodeName: string }> {
	const credential = await n8n.api.createCredential({
		name: 'ModelsLab (browser simulator)',
		type: 'modelsLabApi',
		data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
	});
	const trigger = "When clicking 'Execute workflow'";
	const saved = await n8n.api.createWorkflow({
		name: 'ModelsLab picker check',
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				name: trigger,
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				name: PICKER_NODE,
				type: 'n8n-nodes-modelslab.modelsLabImage',
				typeVersion: 1.1,
				position: [240, 0],
				parameters: {
					operation: 'text2img',
					modelId: { __rl: true, mode: 'list', value: '' },
					prompt: 'a lighthouse at dusk',
					completion: 'poll',
					additionalFields: {},
					options: {},
				},
				credentials: { modelsLabApi: { id: credential.id, name: credential.name } },
			},
		],
		connections: { [trigger]: { main: [[{ node: PICKER_NODE, type: 'main', index: 0 }]] } },
	});
	return { workflowId: saved.id, nodeName: PICKER_NODE };
}

/** File names in the order loadExamples reads them. */
function loadExampleFiles(): string[] {
	return readdirSync(join(root, 'examples'))
		.filter((file) => file.endsWith('.json'))
		.sort();
}
