// Captures a child's output: everything to a file, the recent part in memory for assertions.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';

const MAX_CHARS = 8_000_000;
const RUN_MARK = '\n#### n8n-runtime: process started ';

export class LogBuffer {
	private text = '';

	constructor(readonly file: string) {
		mkdirSync(dirname(file), { recursive: true });
	}

	attach(stream: Readable): void {
		stream.on('data', (b: Buffer) => this.write(b.toString('utf8')));
	}

	write(s: string): void {
		appendFileSync(this.file, s);
		this.text += s;
		// Debug logging is verbose: keep the newest part only (the file has all of it).
		if (this.text.length > MAX_CHARS) this.text = this.text.slice(-MAX_CHARS / 2);
	}

	/** Separates the output of each (re)start, so readiness checks see the current run only. */
	newRun(pid: number | undefined): void {
		this.write(`${RUN_MARK}pid=${pid} at ${new Date().toISOString()}\n`);
	}

	currentRun(): string {
		const i = this.text.lastIndexOf(RUN_MARK);
		return i < 0 ? this.text : this.text.slice(i);
	}

	/** All captured output, or its last `lines` lines. */
	get(lines?: number): string {
		return lines === undefined
			? this.text
			: this.text
					.split('\n')
					.slice(-lines - 1)
					.join('\n');
	}
}
