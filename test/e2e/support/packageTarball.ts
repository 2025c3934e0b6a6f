// The package as users get it: `npm pack` of the built dist/, rebuilt first when dist/ is stale.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { cleanEnv } from '../../../scripts/n8n/steps';

const REPO = join(__dirname, '..', '..', '..');
/** What `npm run build` reads; a file newer than the oldest compiled file means dist is stale. */
const BUILD_INPUTS = [
	'nodes',
	'credentials',
	'icons',
	'package.json',
	'tsconfig.json',
	'gulpfile.js',
];

function filesUnder(path: string): string[] {
	if (!existsSync(path)) return [];
	if (!statSync(path).isDirectory()) return [path];
	return readdirSync(path).flatMap((name) => filesUnder(join(path, name)));
}

/** The files package.json's `n8n` field names: n8n refuses to load a package missing one. */
function declaredDistFiles(): string[] {
	const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	return [...pkg.n8n.nodes, ...pkg.n8n.credentials];
}

function distIsStale(): boolean {
	const dist = filesUnder(join(REPO, 'dist'));
	if (dist.length === 0 || declaredDistFiles().some((f) => !existsSync(join(REPO, f)))) return true;
	// Only tsc output: gulp copies icons with their source mtimes.
	const builtAt = Math.min(
		...dist.filter((f) => f.endsWith('.js')).map((f) => statSync(f).mtimeMs),
	);
	return BUILD_INPUTS.flatMap((p) => filesUnder(join(REPO, p))).some(
		(f) => statSync(f).mtimeMs > builtAt,
	);
}

/** Content hash of dist/ + package.json: one tarball per build, shared by all test files of a run. */
function buildHash(): string {
	const hash = createHash('sha256');
	for (const f of [join(REPO, 'package.json'), ...filesUnder(join(REPO, 'dist')).sort()]) {
		hash.update(relative(REPO, f)).update(readFileSync(f));
	}
	return hash.digest('hex').slice(0, 16);
}

/** Tarballs of earlier builds; kept for a while since another run may still be installing one. */
function pruneOldTarballs(cache: string): void {
	if (!existsSync(cache)) return;
	const cutoff = Date.now() - 6 * 3600_000;
	for (const name of readdirSync(cache)) {
		const path = join(cache, name);
		if (statSync(path).mtimeMs < cutoff) rmSync(path, { recursive: true, force: true });
	}
}

/** Path of a tarball of the current build (cached in the OS temp dir by content hash). */
export function packPackage(): string {
	if (distIsStale()) {
		process.stderr.write('e2e: dist/ is older than the sources, running npm run build\n');
		execFileSync('npm', ['run', 'build'], {
			cwd: REPO,
			env: cleanEnv(),
			stdio: ['ignore', 'ignore', 'inherit'],
		});
	}
	const cache = join(tmpdir(), 'n8n-nodes-modelslab-e2e');
	pruneOldTarballs(cache);
	const dir = join(cache, buildHash());
	const tgz = join(dir, 'package.tgz');
	if (existsSync(tgz)) return tgz;
	const work = `${dir}.${process.pid}`;
	rmSync(work, { recursive: true, force: true });
	mkdirSync(work, { recursive: true });
	const out = execFileSync(
		'npm',
		['pack', '--ignore-scripts', '--silent', '--pack-destination', work],
		{ cwd: REPO, env: cleanEnv(), encoding: 'utf8' },
	);
	const packed = join(work, out.trim().split('\n').pop() ?? '');
	// A build running elsewhere in this tree at the same moment could leave holes: check the contents.
	const listed = execFileSync('tar', ['-tzf', packed], { encoding: 'utf8' });
	const missing = declaredDistFiles().filter((f) => !listed.includes(`package/${f}`));
	if (missing.length)
		throw new Error(
			`npm pack produced ${packed} without ${missing.join(', ')}: was dist/ being rebuilt?`,
		);
	mkdirSync(dir, { recursive: true });
	renameSync(packed, tgz);
	rmSync(work, { recursive: true, force: true });
	return tgz;
}
