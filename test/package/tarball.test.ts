import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Installs the packed tarball the way n8n's Community Nodes screen does (npm install into an empty
 * folder; npm adds the n8n-workflow peer and its zod), then loads every file the `n8n` field lists.
 * Proves the package needs no runtime dependency of its own.
 */
const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	name: string;
	dependencies?: Record<string, string>;
	n8n: { nodes: string[]; credentials: string[] };
};

describe('packed tarball', () => {
	let folder: string;

	beforeAll(() => {
		if (!existsSync(join(root, 'dist', 'nodes')))
			throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
		folder = mkdtempSync(join(tmpdir(), 'modelslab-tarball-'));
		const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', folder], {
			cwd: root,
			encoding: 'utf8',
		});
		const [{ filename }] = JSON.parse(packed) as Array<{ filename: string }>;
		writeFileSync(
			join(folder, 'package.json'),
			JSON.stringify({ name: 'empty-n8n-nodes-folder', private: true }),
		);
		execFileSync(
			'npm',
			[
				'install',
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
				'--prefer-offline',
				join(folder, filename),
			],
			{ cwd: folder, stdio: 'pipe' },
		);
	}, 300_000);

	afterAll(() => rmSync(folder, { recursive: true, force: true }));

	it('declares no runtime dependencies and only n8n-workflow as peer', () => {
		expect(manifest.dependencies ?? {}).toEqual({});
	});

	it('loads every node and credential listed in the n8n field without a missing module', () => {
		const files = [...manifest.n8n.nodes, ...manifest.n8n.credentials];
		const script = `
			const path = require('path');
			const base = path.join(process.cwd(), 'node_modules', ${JSON.stringify(manifest.name)});
			const loaded = ${JSON.stringify(files)}.map((file) => {
				const exported = require(path.join(base, file));
				const [name] = Object.keys(exported);
				const instance = new exported[name]();
				return (instance.description && instance.description.name) || instance.name;
			});
			process.stdout.write(JSON.stringify(loaded));
		`;
		const output = execFileSync(process.execPath, ['-e', script], {
			cwd: folder,
			encoding: 'utf8',
		});
		expect(JSON.parse(output)).toEqual([
			'modelsLabImage',
			'modelsLabVideo',
			'modelsLabAudio',
			'modelsLab3d',
			'modelsLabImageEditing',
			'modelsLabInterior',
			'modelsLabTraining',
			'modelsLabWorkflow',
			'modelsLabTrigger',
			'modelsLabApi',
		]);
	});

	it('ships only dist/ plus the package files', () => {
		const listing = execFileSync('tar', ['-tzf', join(folder, readdirTarball(folder))], {
			encoding: 'utf8',
		})
			.trim()
			.split('\n');
		const outside = listing.filter(
			(entry) => !/^package\/(dist\/|package\.json$|README\.md$|LICENSE$)/.test(entry),
		);
		expect(outside).toEqual([]);
		expect(listing).toContain('package/dist/nodes/ModelsLabImage/modelslab.svg');
		expect(listing).toContain('package/dist/nodes/ModelsLabImage/ModelsLabImage.node.json');
	});
});

function readdirTarball(folder: string): string {
	const name = readdirSync(folder).find((file) => file.endsWith('.tgz'));
	if (!name) throw new Error('no tarball');
	return name;
}
