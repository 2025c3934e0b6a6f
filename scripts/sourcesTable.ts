import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * docs/modelslab-api.md §11, generated from test/catalog/endpointSources.json (the table the
 * catalog contract test holds every endpoint against), so the two cannot drift apart.
 */
interface Source {
	repo?: string;
	commit?: string;
	file?: string;
	url?: string;
	for: string;
}

interface Row {
	endpoint: string;
	sources: Source[];
	note?: string;
}

const TABLE_FILE = join(__dirname, '..', 'test', 'catalog', 'endpointSources.json');

/** A table cell's text: a `|` of its own would end the cell. */
const cell = (text: string): string => text.replace(/\|/g, '\\|');

function cite(source: Source): string {
	const where = source.url ?? `${source.repo}@${source.commit?.slice(0, 7)} \`${source.file}\``;
	return `${where}: ${source.for}`;
}

export function sourcesTable(): string {
	const rows = JSON.parse(readFileSync(TABLE_FILE, 'utf8')) as Row[];
	const lines = [
		'| Endpoint (node category: operation) | Sources it follows | Where sources disagree |',
		'|---|---|---|',
	];
	for (const row of rows) {
		const sources = row.sources.map(cite).join('<br>');
		lines.push(`| \`${row.endpoint}\` | ${cell(sources)} | ${cell(row.note ?? '–')} |`);
	}
	return lines.join('\n');
}

if (require.main === module) process.stdout.write(`${sourcesTable()}\n`);
