import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { ModelsLabTrigger } from '../../nodes/ModelsLabTrigger/ModelsLabTrigger.node';
import { ACTION_NODES } from '../support/actionNodes';

/**
 * How the nodes present themselves in n8n's node panel: the codex file next to each node
 * (categories, documentation links), themed icons and the subtitle under the node's name.
 * Documentation links into this README must name headings that exist.
 */
const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	homepage: string;
	n8n: { nodes: string[] };
};
const repoUrl = manifest.homepage.replace(/#.*$/, '');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchors = new Set(
	[...readme.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) =>
		heading
			.trim()
			.toLowerCase()
			.replace(/[^\w\- ]/g, '')
			.replace(/ /g, '-'),
	),
);

// Codex categories the node panel offers; "AI" is reserved for @n8n/ai-node-sdk nodes.
const CATEGORIES = [
	'Analytics',
	'Communication',
	'Data & Storage',
	'Development',
	'Finance & Accounting',
	'Marketing & Content',
	'Miscellaneous',
	'Productivity',
	'Sales',
	'Utility',
];

interface Codex {
	node: string;
	nodeVersion: string;
	codexVersion: string;
	categories: string[];
	subcategories?: unknown;
	resources: Record<string, Array<{ url: string; label?: string }>>;
	alias?: string[];
}

const descriptions = new Map<string, INodeTypeDescription>(
	[...Object.values(ACTION_NODES), new ModelsLabTrigger() as INodeType].map((node) => [
		`n8n-nodes-modelslab.${node.description.name}`,
		node.description,
	]),
);

// package.json lists dist/nodes/X/X.node.js; the sources sit at nodes/X/X.node.{ts,json}.
const nodeFolders = manifest.n8n.nodes.map((file) => ({
	folder: join(root, dirname(file.replace(/^dist\//, ''))),
	codexFile: join(root, file.replace(/^dist\//, '').replace(/\.js$/, '.json')),
}));

describe.each(nodeFolders)('$codexFile', ({ folder, codexFile }) => {
	const codex = JSON.parse(readFileSync(codexFile, 'utf8')) as Codex;
	const description = descriptions.get(codex.node) as INodeTypeDescription;
	const isTrigger = codex.node.endsWith('Trigger');

	it('names a node of this package, version 1', () => {
		expect(description).toBeDefined();
		expect(codex).toMatchObject({ nodeVersion: '1.0', codexVersion: '1.0' });
	});

	it('has categories from the node panel, none reserved', () => {
		expect(codex.categories.length).toBeGreaterThan(0);
		for (const category of codex.categories) expect(CATEGORIES).toContain(category);
		expect(codex.subcategories).toBeUndefined();
	});

	it('links primary and credential documentation; README links name existing headings', () => {
		expect(codex.resources.primaryDocumentation?.length).toBeGreaterThan(0);
		expect(codex.resources.credentialDocumentation?.length).toBeGreaterThan(0);
		for (const { url } of Object.values(codex.resources).flat()) {
			expect(url).toMatch(/^https:\/\//);
			if (!url.startsWith(repoUrl)) continue;
			const anchor = url.slice(repoUrl.length).replace(/^#/, '');
			expect(anchors).toContain(anchor);
		}
	});

	it('has light and dark SVG icons that exist and differ', () => {
		const icon = description.icon as { light: string; dark: string };
		const light = join(folder, icon.light.replace(/^file:/, ''));
		const dark = join(folder, icon.dark.replace(/^file:/, ''));
		expect([light, dark].map((file) => file.endsWith('.svg') && existsSync(file))).toEqual([
			true,
			true,
		]);
		expect(readFileSync(light, 'utf8')).not.toEqual(readFileSync(dark, 'utf8'));
	});

	it(
		isTrigger
			? 'shows its track-id filter as subtitle and is not a tool'
			: 'shows the operation as subtitle and is usable as an AI tool',
		() => {
			if (isTrigger) {
				expect(description.subtitle).toContain('$parameter["trackId"]');
				expect(description.usableAsTool).toBeUndefined();
			} else {
				expect(description.subtitle).toContain('$parameter["operation"]');
				expect(description.usableAsTool).toBe(true);
			}
		},
	);
});
