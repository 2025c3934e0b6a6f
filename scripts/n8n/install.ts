// Installs a pinned n8n line into the cache once; a marker written last makes it reusable.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { cacheRoot, LINES, n8nPrefix, nodePrefix, type LineSpec, type N8nLine } from './lines';
import { withLock } from './lock';
import { cleanEnv, fmtMs, runStep, stderrProgress, type Progress } from './steps';

export interface N8nInstall {
	line: N8nLine;
	version: string;
	nodeBinary: string;
	n8nEntry: string;
	prefix: string;
}

export interface EnsureOptions {
	onProgress?: Progress;
}

const MARKER = '.modelslab-install-complete.json';
// Offline-friendly and quiet: no audit/fund calls, no lifecycle scripts (analytics, failing builds).
const NPM_FLAGS = [
	'--ignore-scripts',
	'--no-audit',
	'--no-fund',
	'--no-update-notifier',
	'--loglevel=http',
];

interface Marker {
	version: string;
	nodeVersion?: string;
}

function readMarker(dir: string): Marker | undefined {
	try {
		return JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as Marker;
	} catch {
		return undefined;
	}
}

/** Writes package.json and starts from an empty dir: an unfinished install is never reused. */
function freshDir(dir: string, pkg: object): void {
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
}

function nodeVersionOf(bin: string): string {
	return execFileSync(bin, ['-v'], { encoding: 'utf8' }).trim().replace(/^v/, '');
}

async function ensureNodeBinary(
	spec: LineSpec,
	say: Progress,
): Promise<{ bin: string; headers?: string }> {
	if (!spec.nodePackage) return { bin: process.execPath };
	const pkg = spec.nodePackage;
	const dir = nodePrefix(pkg);
	const home = join(dir, 'node_modules', pkg.name);
	const bin = join(home, 'bin', 'node');
	if (readMarker(dir)?.version === pkg.version && existsSync(bin)) return { bin, headers: home };
	await withLock(dir, say, async () => {
		if (readMarker(dir)?.version === pkg.version && existsSync(bin)) return;
		freshDir(dir, {
			name: 'modelslab-node-runtime',
			private: true,
			dependencies: { [pkg.name]: pkg.version },
		});
		const logFile = join(dir, 'install.log');
		await runStep('npm', ['install', ...NPM_FLAGS], {
			cwd: dir,
			logFile,
			onProgress: say,
			label: `${pkg.name}@${pkg.version} install`,
		});
		const got = nodeVersionOf(bin);
		if (got !== pkg.version) throw new Error(`${bin} reports ${got}, expected ${pkg.version}`);
		writeFileSync(
			join(dir, MARKER),
			JSON.stringify({ version: pkg.version, completedAt: new Date().toISOString() }),
		);
	});
	// The package ships include/node, so it is also the node-gyp nodedir.
	return { bin, headers: home };
}

/** Loads the native modules n8n needs with the runtime that will run n8n. */
function verifyNative(nodeBin: string, n8nDir: string, modules: string[]): void {
	const script = modules
		.map(
			(m) =>
				`require(require.resolve(${JSON.stringify(m)}, { paths: [${JSON.stringify(n8nDir)}] }));`,
		)
		.join('');
	try {
		execFileSync(nodeBin, ['-e', script], { stdio: 'pipe', env: cleanEnv() });
	} catch (e) {
		const err = String((e as { stderr?: Buffer }).stderr ?? e)
			.split('\n')
			.slice(0, 8)
			.join('\n');
		throw new Error(`native modules ${modules.join(', ')} do not load with ${nodeBin}:\n${err}`);
	}
}

export async function ensureN8n(line: N8nLine, opts: EnsureOptions = {}): Promise<N8nInstall> {
	const spec = LINES[line];
	const say: Progress = (l) => (opts.onProgress ?? stderrProgress)(`[n8n ${line}] ${l}`);
	mkdirSync(cacheRoot(), { recursive: true });
	const node = await ensureNodeBinary(spec, say);
	const prefix = n8nPrefix(spec);
	const n8nDir = join(prefix, 'node_modules', 'n8n');
	const result: N8nInstall = {
		line,
		version: spec.n8nVersion,
		nodeBinary: node.bin,
		n8nEntry: join(n8nDir, 'bin', 'n8n'),
		prefix,
	};
	const nodeVersion = nodeVersionOf(node.bin);
	const ok = () => {
		const m = readMarker(prefix);
		return (
			m?.version === spec.n8nVersion && m.nodeVersion === nodeVersion && existsSync(result.n8nEntry)
		);
	};
	if (ok()) return result;
	await withLock(prefix, say, async () => {
		if (ok()) return;
		const t0 = Date.now();
		say(`installing n8n@${spec.n8nVersion} into ${prefix} (several minutes)`);
		// n8n-nodes-base 1.x pins xlsx to a cdn.sheetjs.com tarball; the registry copy is equivalent.
		freshDir(prefix, {
			name: `modelslab-n8n-${line}`,
			private: true,
			dependencies: { n8n: spec.n8nVersion },
			overrides: { xlsx: '0.18.5' },
		});
		const logFile = join(prefix, 'install.log');
		const env = cleanEnv();
		if (node.headers) {
			// Scripts run by `npm rebuild` must see the target Node, and node-gyp its headers (no download).
			env.PATH = `${dirname(node.bin)}${delimiter}${env.PATH ?? ''}`;
			env.npm_config_nodedir = node.headers;
		}
		const durations: Record<string, number> = {};
		durations.install = await runStep('npm', ['install', ...NPM_FLAGS], {
			cwd: prefix,
			logFile,
			onProgress: say,
			label: 'npm install',
		});
		for (const mod of spec.rebuild) {
			// Only these need their install scripts; others (isolated-vm on Node 20) fail to build.
			durations[`rebuild ${mod}`] = await runStep(
				'npm',
				['rebuild', mod, '--ignore-scripts=false', '--no-update-notifier', '--foreground-scripts'],
				{
					cwd: prefix,
					env,
					logFile,
					onProgress: say,
					label: `npm rebuild ${mod}`,
				},
			);
		}
		verifyNative(node.bin, n8nDir, spec.rebuild);
		writeFileSync(
			join(prefix, MARKER),
			JSON.stringify(
				{ version: spec.n8nVersion, nodeVersion, durations, completedAt: new Date().toISOString() },
				null,
				2,
			),
		);
		say(`installed n8n@${spec.n8nVersion} in ${fmtMs(Date.now() - t0)}`);
	});
	return result;
}
