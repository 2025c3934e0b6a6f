import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { sourcesTable } from '../../scripts/sourcesTable';

const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'modelslab-api.md'), 'utf8');

describe('docs/modelslab-api.md', () => {
	it('holds the sources of every endpoint exactly as test/catalog/endpointSources.json gives them (npx tsx scripts/sourcesTable.ts)', () => {
		expect(doc).toContain(sourcesTable());
	});

	it('has one row per endpoint in §11, each with at least one cited source', () => {
		const rows = sourcesTable()
			.split('\n')
			.slice(2)
			.map((line) => line.split(/(?<!\\)\|/).slice(1, -1));
		expect(rows.length).toBeGreaterThan(70);
		for (const [endpoint, sources] of rows) {
			expect(endpoint).toMatch(/`\w+:\w+`/);
			expect(sources).toMatch(/ModelsLab\/[\w-]+@[0-9a-f]{7}|https?:\/\//);
		}
	});
});
