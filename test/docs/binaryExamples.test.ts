import { join } from 'node:path';

import { loadExamples, SAMPLE_FILES_PLACEHOLDER } from '../../scripts/demo/importExamples';
import { SAMPLE_NAMES } from '../simulator';

/**
 * The examples that start from a downloaded file: one per file-taking category, runnable from the
 * editor's Execute workflow button (one Manual Trigger), downloading from the placeholder host
 * the import step points at the simulator's sample files.
 */
const folder = join(__dirname, '..', '..', 'examples');
const credential = { id: 'c1', name: 'ModelsLab' };
const binaryExamples = loadExamples(folder, credential).filter((workflow) =>
	workflow.nodes.some((node) => node.type === 'n8n-nodes-base.httpRequest'),
);

it('covers every category that takes files', () => {
	const categories = binaryExamples.flatMap((workflow) =>
		workflow.nodes
			.filter((node) => node.type.startsWith('n8n-nodes-modelslab.'))
			.map((node) => node.type),
	);
	expect([...new Set(categories)].sort()).toEqual(
		[
			'modelsLab3d',
			'modelsLabAudio',
			'modelsLabImage',
			'modelsLabImageEditing',
			'modelsLabInterior',
			'modelsLabTraining',
			'modelsLabVideo',
		].map((name) => `n8n-nodes-modelslab.${name}`),
	);
});

describe.each(binaryExamples.map((workflow) => [workflow.name, workflow] as const))(
	'%s',
	(_name, workflow) => {
		it('has exactly one trigger, a Manual Trigger', () => {
			const triggers = workflow.nodes.filter((node) => /Trigger$|\.webhook$/i.test(node.type));
			expect(triggers.map((node) => node.type)).toEqual(['n8n-nodes-base.manualTrigger']);
		});

		it('downloads simulator sample files as binary data and feeds a ModelsLab node from them', () => {
			const downloads = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.httpRequest');
			for (const node of downloads) {
				const url = String(node.parameters.url);
				expect(url.startsWith(SAMPLE_FILES_PLACEHOLDER)).toBe(true);
				expect(SAMPLE_NAMES).toContain(url.slice(SAMPLE_FILES_PLACEHOLDER.length));
				expect(node.parameters.options).toMatchObject({
					response: { response: { responseFormat: 'file' } },
				});
			}
			const modelsLab = workflow.nodes.find((node) => node.type.startsWith('n8n-nodes-modelslab.'));
			const parameters = JSON.stringify(modelsLab?.parameters);
			expect(parameters).toMatch(/InputType":"binary"/);
			const sticky = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.stickyNote');
			expect(String(sticky?.parameters.content)).toContain('sample-files.modelslab.invalid');
		});

		it('is imported with its file URLs pointing at the simulator', () => {
			const [imported] = loadExamples(folder, credential, {
				sampleFilesOrigin: 'http://127.0.0.1:4010/',
			}).filter((entry) => entry.name === workflow.name);
			const urls = imported.nodes
				.filter((node) => node.type === 'n8n-nodes-base.httpRequest')
				.map((node) => String(node.parameters.url));
			expect(urls.length).toBeGreaterThan(0);
			for (const url of urls) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:4010\/samples\/[\w.-]+$/);
		});
	},
);
