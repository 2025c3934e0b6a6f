// One n8n child process: spawn, readiness, and shutdown.
import { spawn, type ChildProcess } from 'node:child_process';
import { http } from './http';
import type { LogBuffer } from './logs';

export const READY_LINE = 'Editor is now accessible via:';
const STOP_GRACE_MS = 20_000;

// Children still running when this process exits are killed with it, never left behind.
const live = new Set<ChildProcess>();
process.once('exit', () => {
	for (const c of live) c.kill('SIGKILL');
});

export interface Spawned {
	child: ChildProcess;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	isRunning(): boolean;
}

/** `args` is the n8n command and its flags; default `start` (queue mode also runs `webhook` and `worker`). */
export function spawnN8n(
	nodeBinary: string,
	n8nEntry: string,
	env: NodeJS.ProcessEnv,
	cwd: string,
	log: LogBuffer,
	args: string[] = ['start'],
): Spawned {
	const child = spawn(nodeBinary, [n8nEntry, ...args], {
		env,
		cwd,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	log.newRun(child.pid);
	live.add(child);
	let running = true;
	log.attach(child.stdout!);
	log.attach(child.stderr!);
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
		child.on('exit', (code, signal) => {
			running = false;
			live.delete(child);
			log.write(`\n#### n8n-runtime: process exited code=${code} signal=${signal}\n`);
			resolve({ code, signal });
		});
		child.on('error', (e) => {
			running = false;
			live.delete(child);
			log.write(`\n#### n8n-runtime: spawn error ${e.message}\n`);
			resolve({ code: -1, signal: null });
		});
	});
	return { child, exited, isRunning: () => running };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function status(url: string): Promise<number> {
	try {
		return (await http({ url, timeoutMs: 5000 })).status;
	} catch {
		return 0; // not listening yet
	}
}

/**
 * Ready = /healthz 200, /healthz/readiness 200 (DB migrated), then the editor log line:
 * n8n can still exit after /healthz (e.g. expression engine init), and REST/activation work only after it.
 */
export async function waitReady(
	p: Spawned,
	baseUrl: string,
	log: LogBuffer,
	timeoutMs: number,
	readyLine: string = READY_LINE,
): Promise<void> {
	const until = Date.now() + timeoutMs;
	const stages: Array<[string, () => Promise<boolean>]> = [
		['/healthz 200', async () => (await status(`${baseUrl}/healthz`)) === 200],
		['/healthz/readiness 200', async () => (await status(`${baseUrl}/healthz/readiness`)) === 200],
		[`log line "${readyLine}"`, async () => log.currentRun().includes(readyLine)],
	];
	for (const [name, check] of stages) {
		for (;;) {
			if (!p.isRunning()) {
				const { code, signal } = await p.exited;
				throw new Error(
					`n8n exited (code ${code}, signal ${signal}) before ${name}; last 50 log lines:\n${log.get(50)}`,
				);
			}
			if (await check()) break;
			if (Date.now() > until)
				throw new Error(
					`n8n not ready after ${timeoutMs} ms (waiting for ${name}); last 50 log lines:\n${log.get(50)}`,
				);
			await sleep(200);
		}
	}
}

/** SIGTERM (n8n shuts down gracefully), then SIGKILL after 20 s. */
export async function stopProcess(p: Spawned, graceMs = STOP_GRACE_MS): Promise<void> {
	if (!p.isRunning()) return;
	p.child.kill('SIGTERM');
	const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
	if ((await Promise.race([p.exited, timer])) === 'timeout') {
		p.child.kill('SIGKILL');
		await p.exited;
	}
}
