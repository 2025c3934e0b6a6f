import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** `npm pack` of the built package into `folder`; returns the tarball's path. */
export function packTarball(root: string, folder: string): string {
	const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', folder], {
		cwd: root,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [{ filename }] = JSON.parse(packed) as Array<{ filename: string }>;
	return join(folder, filename);
}

/** Packs and unpacks into `<folder>/package`, as the scanner unpacks a download. */
export function packAndExtract(
	root: string,
	folder: string,
): { tarball: string; packageDir: string } {
	const tarball = packTarball(root, folder);
	const packageDir = join(folder, 'package');
	mkdirSync(packageDir);
	execFileSync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
	return { tarball, packageDir };
}
