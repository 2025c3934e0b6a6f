// Community packages the way the Community Nodes screen installs them: into <userFolder>/.n8n/nodes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runStep, type Progress } from './steps';

export function nodesDir(userFolder: string): string {
	return join(userFolder, '.n8n', 'nodes');
}

/**
 * `npm install <tarball>` into the nodes dir; n8n loads it at its next start as `<package>.<node>`.
 * Peer deps (n8n-workflow) are not installed: n8n strips them too and provides its own.
 */
export async function installPackageTarball(
	userFolder: string,
	tgzPath: string,
	onProgress: Progress = () => {},
): Promise<string> {
	const tgz = resolve(tgzPath);
	if (!existsSync(tgz)) throw new Error(`no such tarball: ${tgz}`);
	const dir = nodesDir(userFolder);
	mkdirSync(dir, { recursive: true });
	const pkgJson = join(dir, 'package.json');
	// Same shape n8n creates itself; without it npm would walk up and install elsewhere.
	if (!existsSync(pkgJson))
		writeFileSync(
			pkgJson,
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
	await runStep(
		'npm',
		[
			'install',
			tgz,
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--no-update-notifier',
			'--prefer-offline',
			'--legacy-peer-deps',
			'--bin-links=false',
			'--no-package-lock',
		],
		{ cwd: dir, logFile: join(dir, 'npm-install.log'), onProgress, label: `npm install ${tgz}` },
	);
	return packageNameOf(tgz, dir);
}

/** Name of the package a tarball installed, read back from the nodes dir's package.json. */
function packageNameOf(tgz: string, dir: string): string {
	const deps =
		(
			JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
				dependencies?: Record<string, string>;
			}
		).dependencies ?? {};
	const hit = Object.entries(deps).find(
		([, spec]) => spec.includes(tgz) || spec.endsWith(tgz.split('/').pop() ?? '\0'),
	);
	if (!hit)
		throw new Error(`${tgz} installed, but no dependency in ${dir}/package.json points to it`);
	return hit[0];
}
