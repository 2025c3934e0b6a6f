// Runs a long command (npm) with its output in a log file and a heartbeat on progress.
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';

export type Progress = (line: string) => void;

export const stderrProgress: Progress = (line) => process.stderr.write(`${line}\n`);

export function fmtMs(ms: number): string {
	const s = Math.round(ms / 1000);
	return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export function tail(text: string, lines: number): string {
	return text
		.split('\n')
		.slice(-lines - 1)
		.join('\n');
}

/**
 * process.env without npm_* variables: under `npx`/`npm run` they carry the repo's npm config
 * (e.g. its .npmrc `ignore-scripts=true`, which silently turns `npm rebuild` into a no-op).
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
	return { ...env, ...extra };
}

export interface StepOptions {
	cwd: string;
	env?: NodeJS.ProcessEnv;
	logFile: string;
	onProgress: Progress;
	label: string;
	heartbeatMs?: number;
}

/** Resolves with the duration in ms; rejects with the log tail on a non-zero exit. */
export function runStep(cmd: string, args: string[], o: StepOptions): Promise<number> {
	const started = Date.now();
	appendFileSync(
		o.logFile,
		`\n### ${new Date().toISOString()} ${o.label}: ${cmd} ${args.join(' ')}\n`,
	);
	o.onProgress(`${o.label}: started (${cmd} ${args.join(' ')})`);
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			cwd: o.cwd,
			env: o.env ?? cleanEnv(),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let last = '';
		const onData = (b: Buffer) => {
			appendFileSync(o.logFile, b);
			const lines = b
				.toString()
				.split('\n')
				.map((l) => l.trim())
				.filter(Boolean);
			if (lines.length) last = lines[lines.length - 1];
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		// npm is silent or very chatty for minutes: a periodic line shows it is alive.
		const beat = setInterval(() => {
			o.onProgress(
				`${o.label}: ${fmtMs(Date.now() - started)} elapsed${last ? ` | ${last.slice(0, 110)}` : ''}`,
			);
		}, o.heartbeatMs ?? 20_000);
		child.on('error', (e) => {
			clearInterval(beat);
			reject(e);
		});
		child.on('close', (code, signal) => {
			clearInterval(beat);
			const ms = Date.now() - started;
			if (code === 0) {
				o.onProgress(`${o.label}: done in ${fmtMs(ms)}`);
				resolve(ms);
				return;
			}
			const log = tail(readFileSync(o.logFile, 'utf8'), 40);
			reject(
				new Error(
					`${o.label} failed (exit ${code ?? signal}) after ${fmtMs(ms)}; log ${o.logFile}:\n${log}`,
				),
			);
		});
	});
}
