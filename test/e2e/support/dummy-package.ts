// Builds a minimal community package tarball (one plain-JS node) with `npm pack`, offline.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv } from '../../../scripts/n8n/steps';

export const DUMMY_PACKAGE = 'n8n-nodes-dummytest';
export const DUMMY_NODE = 'dummyTest';

const NODE_JS = `'use strict';
// Passes its input through; enough for n8n's loader to register a node type.
class DummyTest {
	constructor() {
		this.description = {
			displayName: 'Dummy Test', name: '${DUMMY_NODE}', group: ['transform'], version: 1,
			description: 'Passes items through', defaults: { name: 'Dummy Test' },
			inputs: ['main'], outputs: ['main'], properties: [],
		};
	}
	async execute() {
		return [this.getInputData()];
	}
}
module.exports = { DummyTest };
`;

export function buildDummyPackage(): string {
	const dir = mkdtempSync(join(tmpdir(), 'n8n-dummy-pkg-'));
	mkdirSync(join(dir, 'nodes'), { recursive: true });
	writeFileSync(join(dir, 'nodes', 'DummyTest.node.js'), NODE_JS);
	writeFileSync(
		join(dir, 'package.json'),
		JSON.stringify(
			{
				name: DUMMY_PACKAGE,
				version: '0.0.1',
				description: 'e2e dummy',
				license: 'MIT',
				keywords: ['n8n-community-node-package'],
				files: ['nodes'],
				// 2.x skips packages without n8nNodesApiVersion.
				n8n: { n8nNodesApiVersion: 1, nodes: ['nodes/DummyTest.node.js'], credentials: [] },
			},
			null,
			2,
		),
	);
	const out = execFileSync(
		'npm',
		['pack', '--ignore-scripts', '--silent', '--pack-destination', dir],
		{ cwd: dir, env: cleanEnv(), encoding: 'utf8' },
	);
	return join(dir, out.trim().split('\n').pop() ?? '');
}
