// Cross-process lock (a directory holding the owner's pid) so two installs never share a prefix.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Progress } from './steps';

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

export async function withLock<T>(target: string, say: Progress, fn: () => Promise<T>): Promise<T> {
	const lock = `${target}.lock`;
	let waitedSince = 0;
	for (;;) {
		try {
			mkdirSync(lock);
			writeFileSync(`${lock}/pid`, String(process.pid));
			break;
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
			const pid = Number(readFileSafe(`${lock}/pid`));
			// An empty pid file may be a lock taken a moment ago: only a stale one is broken.
			if (pid ? !alive(pid) : ageMs(lock) > 10_000) {
				// Owner died (interrupted install): take over; the caller redoes the work.
				rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (!waitedSince) waitedSince = Date.now();
			if ((Date.now() - waitedSince) % 20_000 < 1000)
				say(`waiting for pid ${pid} installing into ${target}`);
			await new Promise((r) => setTimeout(r, 1000));
		}
	}
	try {
		return await fn();
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
}

function ageMs(p: string): number {
	try {
		return Date.now() - statSync(p).mtimeMs;
	} catch {
		return Infinity;
	}
}

function readFileSafe(p: string): string {
	try {
		return readFileSync(p, 'utf8');
	} catch {
		return '';
	}
}
