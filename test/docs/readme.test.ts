import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { modelsTable, operationsTable } from '../../scripts/operationsTable';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README', () => {
	it('opens with the two commands for a fresh machine: run and test', () => {
		const firstBlock = /```(?:sh|bash)?\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
		expect(firstBlock).toMatch(/^npm start\b/m);
		expect(firstBlock).toMatch(/^npm test\b/m);
		expect(readme.indexOf('npm start')).toBeLessThan(600);
	});

	it('holds the operation table exactly as the catalog generates it (npx tsx scripts/operationsTable.ts)', () => {
		expect(readme).toContain(operationsTable());
	});

	it('holds the v7 models table exactly as the catalog generates it, every v7 operation in it', () => {
		const table = modelsTable();
		expect(readme).toContain(table);
		for (const [operation] of operationsTable().matchAll(/`v7_\w+`/g))
			expect(table).toContain(operation);
	});

	it('names every npm script it tells users to run', () => {
		const scripts = Object.keys(
			(
				JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
					scripts: Record<string, string>;
				}
			).scripts,
		);
		for (const [, name] of readme.matchAll(/npm run ([\w:-]+)/g)) expect(scripts).toContain(name);
	});
});
