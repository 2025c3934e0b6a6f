// Figures of the fault suite: one row per scenario × signal × n8n line / deployment, printed as it
// is measured and appended to a JSON-lines file (MODELSLAB_FAULTS_FIGURES, default
// <tmp>/modelslab-faults-figures.jsonl) that bench/results-faults.md is written from.
import { appendFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FaultFigures {
	/** `1`…`4`, as the brief numbers the scenarios. */
	scenario: string;
	signal: NodeJS.Signals;
	/** n8n version and deployment, e.g. `2.41.1 single`. */
	n8n: string;
	status: string;
	/** Jobs ModelsLab (the simulator) created for the run's prompts. */
	submits: number;
	/** Prompts submitted more than once. */
	duplicates: number;
	/** Prompts never submitted. */
	missing: number;
	/** Items of the node's output with `status: success`, of `items`. */
	results: number;
	items: number;
	/**
	 * From restart() resolving (n8n back) to the execution's stoppedAt; undefined if it did not
	 * end. Negative: it ended while n8n was starting, before n8n said it was ready.
	 */
	secondsAfterRestart?: number;
	/** From the kill signal to the execution's stoppedAt. */
	secondsAfterKill?: number;
	/** From the kill signal to restart() resolving. */
	secondsDown: number;
	/** How n8n exited: the signal that ended it, or its exit code (SIGTERM: n8n shuts down itself). */
	exit: string;
	/** Callbacks the simulator could not deliver (n8n down) or n8n refused. */
	lostCallbacks: number;
	/** Job reads (fetches) the run made. */
	reads: number;
	/** The execution's error message, shortened, if it has one. */
	error?: string;
	/** What the scenario saw at the kill (jobs submitted, callbacks taken). */
	atKill: string;
}

export function figuresFile(): string {
	return process.env.MODELSLAB_FAULTS_FIGURES ?? join(tmpdir(), 'modelslab-faults-figures.jsonl');
}

/** Prints the row and appends it (with the time) to the figures file. */
export function recordFigures(row: FaultFigures): void {
	const line = { at: new Date().toISOString(), ...row };
	process.stderr.write(`faults figures: ${JSON.stringify(line)}\n`);
	appendFileSync(figuresFile(), `${JSON.stringify(line)}\n`);
}

type Row = FaultFigures & { at: string };

const cell = (value: unknown): string =>
	value === undefined ? '–' : String(value).replace(/\|/g, '\\|');

/** The rows as the table of bench/results-faults.md (latest row per scenario × signal × n8n). */
export function markdownTable(rows: Row[]): string {
	const latest = new Map<string, Row>();
	for (const row of rows) latest.set(`${row.n8n}|${row.scenario}|${row.signal}`, row);
	const head =
		'| n8n | scenario | signal | status | submits (dup / missing) | results | s after restart | s after kill | s down | lost callbacks | reads | at the kill | error |';
	const rule = `|${' --- |'.repeat(13)}`;
	const lines = [...latest.values()].map(
		(row) =>
			`| ${cell(row.n8n)} | ${cell(row.scenario)} | ${cell(row.signal)} | ${cell(row.status)} | ${row.submits} (${row.duplicates} / ${row.missing}) | ${row.results}/${row.items} | ${cell(row.secondsAfterRestart)} | ${cell(row.secondsAfterKill)} | ${cell(row.secondsDown)} | ${row.lostCallbacks} | ${row.reads} | ${cell(row.atKill)} | ${cell(row.error?.split(' — ')[0])} |`,
	);
	return [head, rule, ...lines].join('\n');
}

// `npx tsx test/e2e/faults/figures.ts [file]`: prints the table of a figures file.
if (require.main === module) {
	const file = process.argv[2] ?? figuresFile();
	const rows = readFileSync(file, 'utf8')
		.split('\n')
		.filter((line) => line.trim())
		.map((line) => JSON.parse(line) as Row);
	process.stdout.write(`${markdownTable(rows)}\n`);
}
