import { spawnSync } from 'node:child_process';
import { cpSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What ships, plus what `n8n-node lint` needs to run: the shipped sources, their icons, the
 * manifest, the (unmodified) eslint config and the tsconfig its import resolver reads.
 */
const SHIPPED = [
	'nodes',
	'credentials',
	'icons',
	'package.json',
	'eslint.config.mjs',
	'tsconfig.json',
];

/**
 * `n8n-node lint` (strict mode: eslint.config.mjs must equal the template) always lints `.`, and in
 * this repo `.` holds tests and scripts that need timers, process and node:http, which n8n's Cloud
 * rules forbid in node code. Run it unmodified on a copy that holds only the shipped sources.
 */
export function n8nNodeLint(root: string, folder: string): { passed: boolean; output: string } {
	for (const entry of SHIPPED) cpSync(join(root, entry), join(folder, entry), { recursive: true });
	symlinkSync(join(root, 'node_modules'), join(folder, 'node_modules'), 'dir');
	const run = spawnSync(join(root, 'node_modules', '.bin', 'n8n-node'), ['lint'], {
		cwd: folder,
		encoding: 'utf8',
	});
	// n8n-node forces colour on eslint; strip it so the report reads in CI logs.
	const output = `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '').trim();
	return { passed: run.status === 0, output };
}
