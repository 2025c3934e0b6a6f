import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { INodeParameters, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { ModelsLabTrigger } from '../../nodes/ModelsLabTrigger/ModelsLabTrigger.node';
import { modelOptionName } from '../../nodes/shared/catalog/modelChoice';
import { v7TextToVideo } from '../../nodes/shared/catalog/v7/video';
import { ACTION_NODES } from '../support/actionNodes';
import { launchChromium, type Browser } from './support/chromium';
import {
	canvasIssueCount,
	canvasNodes,
	closeNodePanel,
	closeOperations,
	executeFromDefaultButton,
	openNodePanel,
	openOperations,
	openResourceList,
	openWorkflow,
	readPanel,
	selectOperation,
	selectResource,
	signIn,
	type PanelState,
} from './support/editor';
import { expectedPanel, operationName, operationNames } from './support/expectedPanel';
import { scrollToParameter, selectParameterOption } from './support/parameterOptions';
import { startEditorStack, type EditorStack } from './support/stack';

/**
 * The nodes as a user meets them: a real n8n 2.x editor in headless chromium, every example
 * workflow opened, every ModelsLab node's panel opened by double-click and checked against the
 * node's description, the image node switched through all its operations, and the video node
 * switched to v7 text to video and two of its models. Screenshots go to docs/images/ (the README
 * shows them).
 */
const root = join(__dirname, '..', '..');
const SCREENSHOTS = join(root, 'docs', 'images');
const PREFIX = 'n8n-nodes-modelslab.';
/** The example whose canvas and image node are photographed and whose operations are switched. */
const IMAGE_EXAMPLE = 'image-text-to-image.json';
// The trigger example was split in two; the second one holds the ModelsLab Trigger.
const TRIGGER_EXAMPLE = 'trigger-2-receive-results.json';
/** The example whose Video node is switched to v7 text to video and two of its models. */
const VIDEO_EXAMPLE = 'video-text-to-video.json';
const V7_VIDEO = 'v7_text_to_video';
/** [model, the other model, screenshot]: Kling's duration and ratio are top level, Seedance's optional. */
const V7_VIDEO_MODELS = [
	['kling-v2-5-turbo-t2v', 'seedance-t2v', 'video-v7-kling.png'],
	['seedance-t2v', 'kling-v2-5-turbo-t2v', 'video-v7-seedance.png'],
] as const;
const modelOf = (id: string) => {
	const model = v7TextToVideo.models?.find((entry) => entry.id === id);
	if (!model) throw new Error(`${id} is not a model of ${V7_VIDEO}`);
	return model;
};
/** n8n's own entry in the Operation dropdown of nodes with a credential, not one of ours. */
const CUSTOM_API_CALL = 'Custom API Call';

const exampleFiles = readdirSync(join(root, 'examples'))
	.filter((file) => file.endsWith('.json'))
	.sort();
const descriptions = new Map<string, INodeTypeDescription>(
	[...Object.values(ACTION_NODES), new ModelsLabTrigger() as INodeType].map((node) => [
		`${PREFIX}${node.description.name}`,
		node.description,
	]),
);

/** Things n8n prints in a panel when a node type or its options fail to load. */
const LOAD_ERRORS = /Could not load|not currently installed|Install this node|Node not found/i;

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

function expectRenders(
	panel: PanelState,
	description: INodeTypeDescription,
	parameters: INodeParameters,
	typeVersion = 1,
): void {
	expect(panel.editable).toBe(true);
	expect(panel.text).not.toMatch(LOAD_ERRORS);
	const expected = expectedPanel(description, parameters, typeVersion);
	for (const label of expected.labels) expect(panel.lines).toContain(label);
	for (const notice of expected.notices) expect(squash(panel.text)).toContain(squash(notice));
	if (parameters.operation !== undefined)
		expect(panel.operation).toBe(operationName(description, parameters.operation));
}

describe('n8n 2.x editor with n8n-nodes-modelslab installed from its tarball', () => {
	let stack: EditorStack;
	let browser: Browser;
	const timings: string[] = [];
	const timed = async <T>(label: string, step: () => Promise<T>): Promise<T> => {
		const started = Date.now();
		const result = await step();
		timings.push(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
		return result;
	};

	beforeAll(
		async () => {
			mkdirSync(SCREENSHOTS, { recursive: true });
			stack = await timed('n8n start, credential, examples imported', () => startEditorStack());
			browser = await timed('chromium start and sign-in', async () => {
				const launched = await launchChromium();
				// Leaving the image example with its switched (unsaved) operation may ask before unload.
				launched.page.on('dialog', (dialog) => void dialog.accept());
				await signIn(launched.page, stack.n8n.baseUrl, stack.n8n.owner);
				return launched;
			});
		},
		15 * 60 * 1000,
	);

	afterAll(async () => {
		await browser?.close();
		await stack?.stop();
		process.stderr.write(
			`browser test timings (n8n ${stack?.n8n.version ?? '?'}):\n  ${timings.join('\n  ')}\n`,
		);
	});

	it.each(exampleFiles)(
		'%s: the canvas and every ModelsLab node panel render',
		async (file) => {
			const example = stack.examples.find((entry) => entry.file === file);
			if (!example) throw new Error(`${file} was not imported`);
			const { page } = browser;
			await timed(`${file}`, async () => {
				await openWorkflow(page, stack.n8n.baseUrl, example.id);
				const onCanvas = await canvasNodes(page);
				const expected = example.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
				expect(onCanvas.map((node) => `${node.name} ${node.type}`).sort()).toEqual(
					expected.map((node) => `${node.name} ${node.type}`).sort(),
				);
				expect(await canvasIssueCount(page)).toBe(0);
				if (file === IMAGE_EXAMPLE) await screenshot('workflow-canvas.png');

				for (const node of example.nodes.filter((entry) => entry.type.startsWith(PREFIX))) {
					const description = descriptions.get(node.type) as INodeTypeDescription;
					const parameters = node.parameters as INodeParameters;
					await openNodePanel(page, node.name);
					const panel = await readPanel(page);
					expect(panel.title).toBe(node.name);
					expect(panel.issues).toEqual([]);
					expectRenders(panel, description, parameters, node.typeVersion);
					if (file === TRIGGER_EXAMPLE && node.type === `${PREFIX}modelsLabTrigger`)
						await screenshot('trigger-panel.png');
					if (file === IMAGE_EXAMPLE && node.type === `${PREFIX}modelsLabImage`) {
						// Scrolled just enough to show the completion notice under the Operation dropdown.
						await page
							.locator('[data-test-id="node-parameters"]')
							.getByText('The execution waits until')
							.scrollIntoViewIfNeeded();
						await screenshot('image-node-panel.png');
						await everyOperation(description);
					}
					await closeNodePanel(page);
				}
			});
		},
		5 * 60 * 1000,
	);

	/** The node that runs last in each example, when it is not called "Result". */
	const LAST_NODE: Record<string, string> = {
		'batch-three-prompts.json': 'Results',
		'recovery-after-timeout.json': 'Done',
		'trigger-1-submit-only.json': 'Submitted',
	};
	// The receiving trigger workflow runs when another example sends it a result, not from a button.
	const runnable = exampleFiles.filter((file) =>
		readFileSync(join(root, 'examples', file), 'utf8').includes('"n8n-nodes-base.manualTrigger"'),
	);

	it.each(runnable)(
		"%s runs from the canvas's default Execute workflow button, through its wait and resume",
		async (file) => {
			const example = stack.examples.find((entry) => entry.file === file);
			if (!example) throw new Error(`${file} was not imported`);
			const { page } = browser;
			const last = LAST_NODE[file] ?? 'Result';
			await timed(`${file}: executed from the button`, async () => {
				// As shipped: n8n 2.x autosaved what the panel test above switched in the editor.
				await stack.n8n.api.updateWorkflow(example.id, example.input);
				await openWorkflow(page, stack.n8n.baseUrl, example.id);
				try {
					await executeFromDefaultButton(page, last, 150_000);
				} catch (error) {
					throw await stuckExecution(error, file, example.id);
				}
				expect(await canvasIssueCount(page)).toBe(0);
				if (file === IMAGE_EXAMPLE) {
					await screenshot('example-finished.png');
					// The result as the user reads it: the ModelsLab node's output, opened from the canvas.
					const modelsLab = example.nodes.find((node) => node.type.startsWith(PREFIX));
					await openNodePanel(page, String(modelsLab?.name));
					await page
						.locator('[data-test-id="output-panel"] [data-test-id="ndv-data-container"]')
						.first()
						.waitFor();
					await screenshot('example-output.png');
					await closeNodePanel(page);
				}
			});
		},
		4 * 60 * 1000,
	);

	it(
		'the Video node switched to Text to Video (Provider Models) shows each chosen model its own fields',
		async () => {
			const example = stack.examples.find((entry) => entry.file === VIDEO_EXAMPLE);
			if (!example) throw new Error(`${VIDEO_EXAMPLE} was not imported`);
			const node = example.nodes.find((entry) => entry.type === `${PREFIX}modelsLabVideo`);
			if (!node) throw new Error(`${VIDEO_EXAMPLE} has no ModelsLab Video node`);
			const description = descriptions.get(node.type) as INodeTypeDescription;
			const { page } = browser;
			await timed('video node: v7 models', async () => {
				await openWorkflow(page, stack.n8n.baseUrl, example.id);
				await openNodePanel(page, node.name);
				await selectOperation(page, operationName(description, V7_VIDEO) as string);
				const shownFor = (modelId: string) =>
					expectedPanel(description, { operation: V7_VIDEO, modelId } as INodeParameters);
				for (const [modelId, other, file] of V7_VIDEO_MODELS) {
					await selectParameterOption(page, 'modelId', modelOptionName(modelOf(modelId)));
					const panel = await readPanel(page);
					const parameters = { operation: V7_VIDEO, modelId } as INodeParameters;
					expectRenders(panel, description, parameters);
					expect(panel.issues).toEqual([]);
					// The other model's own top-level fields are gone, not merely empty.
					const own = new Set(shownFor(modelId).labels);
					for (const label of shownFor(other).labels.filter((entry) => !own.has(entry)))
						expect(panel.lines).not.toContain(label);
					await scrollToParameter(page, 'modelId');
					await screenshot(file);
					timings.push(`  ${modelId}: ${[...own].join(', ')}`);
				}
				await closeNodePanel(page);
			});
		},
		5 * 60 * 1000,
	);

	it(
		"the Model ID picker lists the simulator's models, and picking one sets the model",
		async () => {
			const { page } = browser;
			await timed('model picker', async () => {
				await openWorkflow(page, stack.n8n.baseUrl, stack.picker.workflowId);
				await openNodePanel(page, stack.picker.nodeName);
				// Loaded through searchModels with the node's credential, from the simulator.
				const offered = await openResourceList(page, 'modelId');
				// The examples run before this test train models; the account's list holds them too.
				const trainedBySession = [...stack.sim.jobs.values()]
					.filter((job) => job.kind === 'training' && job.trainingState === 'model_ready')
					.map((job) => `Your trained model ${job.id}`);
				expect(offered).toEqual([
					'Your trained model F5jvdzGnYi',
					'Your trained model Lq7R2mXw9T',
					...trainedBySession,
					'Flux',
					'SDXL',
					'Realistic Vision 5.1',
					'LazyMix v4 Inpaint',
				]);
				await screenshot('model-picker.png');
				await selectResource(page, 'modelId', 'Realistic Vision 5.1');
				const panel = await readPanel(page);
				expect(panel.issues).not.toContain('modelId');
				await closeNodePanel(page);
			});
		},
		5 * 60 * 1000,
	);

	/** Switches the open panel through every operation; n8n 2.x autosaves it, the run test puts the example back. */
	async function everyOperation(description: INodeTypeDescription): Promise<void> {
		const { page } = browser;
		const offered = await openOperations(page);
		// The list opens scrolled to the current operation; show it from its first entry.
		await page
			.locator('[data-test-id="parameter-input-item"]:visible')
			.first()
			.scrollIntoViewIfNeeded();
		await screenshot('image-operations.png');
		await closeOperations(page);
		const ours = operationNames(description);
		expect(offered.filter((name) => name !== CUSTOM_API_CALL).sort()).toEqual(
			ours.map((operation) => operation.name).sort(),
		);
		for (const operation of ours) {
			await selectOperation(page, operation.name);
			const panel = await readPanel(page);
			const parameters = { operation: operation.value } as INodeParameters;
			expectRenders(panel, description, parameters);
			// Switching leaves required fields empty, and n8n flags those; nothing else may have an issue.
			expect(panel.issues).not.toContain('operation');
			for (const issue of panel.issues)
				expect(expectedPanel(description, parameters).required).toContain(issue);
			// The canvas shows them too: proof that the "no issues" check on the canvas can see any.
			if (panel.issues.length) expect(await canvasIssueCount(page)).toBeGreaterThan(0);
			timings.push(
				`  image operation ${operation.name}: empty required fields flagged: ${panel.issues.join(', ') || 'none'}`,
			);
		}
	}

	/** Viewport-sized PNG; CSS transitions (the dropdown fading in) are finished first. */
	/**
	 * What the editor and n8n showed when an example did not finish: a screenshot (in the temp
	 * folder, not docs/images) and the workflow's executions with their status and last node.
	 */
	async function stuckExecution(error: unknown, file: string, workflowId: string): Promise<Error> {
		const shot = join(tmpdir(), `modelslab-browser-${file.replace(/\.json$/, '')}.png`);
		await browser.page.screenshot({ path: shot }).catch(() => undefined);
		const executions = await stack.n8n.api
			.listExecutions({ workflowId, limit: 5 })
			.then((list) => Promise.all(list.map((entry) => stack.n8n.api.getExecution(entry.id, true))))
			.then((list) =>
				list.map((entry) => ({
					id: entry.id,
					status: entry.status,
					lastNode: entry.data?.resultData?.lastNodeExecuted,
					error: entry.data?.resultData?.error?.message,
				})),
			)
			.catch((reason: Error) => reason.message);
		return new Error(
			`${(error as Error).message}\nscreenshot: ${shot}\nexecutions: ${JSON.stringify(executions)}\nn8n log:\n${stack.n8n.logs(30)}`,
		);
	}

	async function screenshot(name: string): Promise<void> {
		// The pointer rests on an empty spot, so no hover toolbar shows up on a parameter.
		await browser.page.mouse.move(1000, 250);
		await browser.page.screenshot({ path: join(SCREENSHOTS, name), animations: 'disabled' });
	}
});
