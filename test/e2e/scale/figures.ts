// Figures of load runs and benchmarks: printed as they come, collected in one JSON file at the end.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Values = Record<string, unknown>;

/** How long a probe may take when a test ended early (n8n may be the thing that hangs). */
const PROBE_MS = 15_000;

/**
 * The figures of one test while it runs: values noted as they are measured, probes read only if
 * the test ends early. `record()` prints the complete set; a test that failed or timed out before
 * that gets what it noted, the probes' readings and `partial: true` (Figures.flushUnfinished).
 */
export class FigureDraft {
	private readonly noted: Values = {};
	private readonly probes: Array<() => Values | Promise<Values>> = [];
	private closed = false;

	constructor(
		private name: string,
		private readonly figures: Figures,
	) {}

	/** For a name that counts what the test only knows once it has started. */
	rename(name: string): void {
		this.name = name;
	}

	/** Keeps values measured so far; later notes of the same key win. */
	note(values: Values): void {
		if (!this.closed) Object.assign(this.noted, values);
	}

	/** Values to read at the moment the test ends early (counts, counters). */
	probe(read: () => Values | Promise<Values>): void {
		if (!this.closed) this.probes.push(read);
	}

	/** The complete figures: everything noted, then `values`. */
	record(values: Values = {}): void {
		if (this.closed) return;
		this.closed = true;
		this.figures.record(this.name, { ...this.noted, ...values });
	}

	/** Prints what there is, marked partial. What a timed-out test notes later is dropped. */
	async recordPartial(reason: string): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		const read: Values = {};
		for (const probe of this.probes) {
			try {
				Object.assign(read, await withTimeout(Promise.resolve(probe()), PROBE_MS));
			} catch (e) {
				read.probeError = (e as Error).message.slice(0, 300);
			}
		}
		this.figures.record(`${this.name} (PARTIAL)`, {
			partial: true,
			partialBecause: reason,
			...this.noted,
			...(this.probes.length ? { atTheEnd: read } : {}),
		});
	}
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`probe took over ${ms} ms`)), ms);
		p.then(
			(v) => {
				clearTimeout(timer);
				resolve(v);
			},
			(e: unknown) => {
				clearTimeout(timer);
				reject(e instanceof Error ? e : new Error(String(e)));
			},
		);
	});
}

export class Figures {
	private readonly all: Record<string, Record<string, unknown>> = {};
	private readonly open = new Set<FigureDraft>();

	constructor(private readonly label: string) {}

	/** Starts the figures of one test (see FigureDraft). */
	begin(name: string): FigureDraft {
		const draft = new FigureDraft(name, this);
		this.open.add(draft);
		return draft;
	}

	/**
	 * For afterEach: prints every draft whose test did not record it (a failed expectation, an
	 * error, jest's timeout), marked partial. A timed-out test's body keeps running in the
	 * background; what it notes after this is dropped.
	 */
	async flushUnfinished(
		reason = 'the test failed or timed out before it recorded its figures',
	): Promise<void> {
		const drafts = [...this.open];
		this.open.clear();
		for (const draft of drafts) await draft.recordPartial(reason);
	}

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
