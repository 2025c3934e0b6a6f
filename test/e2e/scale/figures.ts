// Figures of load runs and benchmarks: printed as they come, collected in one JSON file at the end.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class Figures {
	private readonly all: Record<string, Record<string, unknown>> = {};

	constructor(private readonly label: string) {}

	/** Prints `name: {…}` on stderr (jest keeps stderr writes unbuffered) and keeps it. */
	record(name: string, values: Record<string, unknown>): void {
		this.all[name] = values;
		process.stderr.write(`\n[${this.label}] ${name}\n${JSON.stringify(values, null, 2)}\n`);
	}

	/** Writes everything recorded to <tmp>/modelslab-<label>-figures.json; returns the path. */
	save(extra: Record<string, unknown> = {}): string {
		const file = join(tmpdir(), `modelslab-${this.label}-figures.json`);
		writeFileSync(
			file,
			JSON.stringify({ at: new Date().toISOString(), ...extra, figures: this.all }, null, 2),
		);
		process.stderr.write(`\n[${this.label}] figures written to ${file}\n`);
		return file;
	}
}

export function secs(ms: number): number {
	return Math.round(ms / 10) / 100;
}

export function perSec(count: number, ms: number): number {
	return Math.round((count / (ms / 1000)) * 10) / 10;
}
