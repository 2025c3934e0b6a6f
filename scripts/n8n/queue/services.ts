// A private Redis and PostgreSQL for one queue-mode cluster: loopback only, own data dirs and
// ports, children of this process (never the system services).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { LogBuffer } from '../logs';
import type { ServiceBinaries } from './system';

export interface ServiceProcess {
	readonly name: string;
	readonly port: number;
	readonly pid: number | undefined;
	readonly logFile: string;
	isRunning(): boolean;
	logs(lines?: number): string;
	/** Graceful stop (SIGTERM for Redis, SIGINT = fast shutdown for PostgreSQL), SIGKILL after 20 s. */
	stop(): Promise<void>;
}

// Servers still running when this process exits go with it (PostgreSQL: SIGQUIT = immediate
// shutdown, which also ends its backends; a SIGKILLed postmaster would leave them behind).
const live = new Map<ChildProcess, NodeJS.Signals>();
process.once('exit', () => {
	for (const [c, sig] of live) c.kill(sig);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Started {
	child: ChildProcess;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	running: () => boolean;
}

function spawnService(
	name: string,
	cmd: string,
	args: string[],
	o: { cwd: string; log: LogBuffer; uid?: number; gid?: number; exitSignal: NodeJS.Signals },
): Started {
	const child = spawn(cmd, args, {
		cwd: o.cwd,
		stdio: ['ignore', 'pipe', 'pipe'],
		uid: o.uid,
		gid: o.gid,
		env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' },
	});
	o.log.newRun(child.pid);
	o.log.attach(child.stdout!);
	o.log.attach(child.stderr!);
	live.set(child, o.exitSignal);
	let running = true;
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
		child.on('exit', (code, signal) => {
			running = false;
			live.delete(child);
			o.log.write(`\n#### ${name}: exited code=${code} signal=${signal}\n`);
			resolve({ code, signal });
		});
		child.on('error', (e) => {
			running = false;
			live.delete(child);
			o.log.write(`\n#### ${name}: spawn error ${e.message}\n`);
			resolve({ code: -1, signal: null });
		});
	});
	return { child, exited, running: () => running };
}

async function stopStarted(s: Started, signal: NodeJS.Signals, graceMs = 20_000): Promise<void> {
	if (!s.running()) return;
	s.child.kill(signal);
	const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
	if ((await Promise.race([s.exited, timer])) === 'timeout') {
		s.child.kill('SIGKILL');
		await s.exited;
	}
}

function asService(
	name: string,
	port: number,
	s: Started,
	log: LogBuffer,
	stopSignal: NodeJS.Signals,
): ServiceProcess {
	return {
		name,
		port,
		pid: s.child.pid,
		logFile: log.file,
		isRunning: s.running,
		logs: (lines) => log.get(lines),
		stop: () => stopStarted(s, stopSignal),
	};
}

/** One RESP round trip: `PING` answered `+PONG` means Redis takes commands. */
function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const sock = connect({ host: '127.0.0.1', port });
		const done = (ok: boolean) => {
			sock.destroy();
			resolve(ok);
		};
		sock.setTimeout(2000, () => done(false));
		sock.on('error', () => done(false));
		sock.on('connect', () => sock.write('PING\r\n'));
		sock.on('data', (b) => done(b.toString().startsWith('+PONG')));
	});
}

async function waitUntil(
	what: string,
	s: Started,
	log: LogBuffer,
	probe: () => Promise<boolean>,
	timeoutMs = 60_000,
): Promise<void> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		if (!s.running()) throw new Error(`${what} exited before it was ready; log:\n${log.get(30)}`);
		if (await probe()) return;
		if (Date.now() > until)
			throw new Error(`${what} not ready after ${timeoutMs} ms; log:\n${log.get(30)}`);
		await sleep(100);
	}
}

/** redis-server on 127.0.0.1:<port>, no persistence (the queue only holds jobs in flight). */
export async function startRedis(
	bin: ServiceBinaries,
	dir: string,
	port: number,
): Promise<ServiceProcess> {
	mkdirSync(dir, { recursive: true });
	const log = new LogBuffer(join(dir, 'redis.log'));
	const args = [
		'--port',
		String(port),
		'--bind',
		'127.0.0.1',
		'--protected-mode',
		'yes',
		'--dir',
		dir,
		'--save',
		'',
		'--appendonly',
		'no',
		'--daemonize',
		'no',
		'--logfile',
		'',
	];
	const s = spawnService('redis', bin.redisServer, args, { cwd: dir, log, exitSignal: 'SIGKILL' });
	try {
		await waitUntil(`redis-server on port ${port}`, s, log, () => redisPing(port));
	} catch (e) {
		await stopStarted(s, 'SIGKILL');
		throw e;
	}
	return asService('redis', port, s, log, 'SIGTERM');
}

export interface PostgresService extends ServiceProcess {
	readonly database: string;
	readonly user: string;
	readonly password: string;
	/** Runs one SQL statement through psql and returns its unaligned, tuples-only output. */
	query(sql: string): string;
}

function idOf(user: string, flag: '-u' | '-g'): number {
	return Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
}

/**
 * A fresh cluster (initdb) in `dir`, served on 127.0.0.1:<port> with trust auth for the local
 * user `n8n`, and a database `n8n`. PostgreSQL refuses to run as root: as root the server runs as
 * the Debian package's `postgres` user, which then owns `dir`.
 */
export async function startPostgres(
	bin: ServiceBinaries,
	dir: string,
	port: number,
	o: { settings?: Record<string, string> } = {},
): Promise<PostgresService> {
	const data = join(dir, 'data');
	mkdirSync(data, { recursive: true });
	const asRoot = process.getuid?.() === 0;
	const uid = asRoot ? idOf('postgres', '-u') : undefined;
	const gid = asRoot ? idOf('postgres', '-g') : undefined;
	if (uid !== undefined && gid !== undefined) {
		chownSync(dir, uid, gid);
		chownSync(data, uid, gid);
	}
	chmodSync(data, 0o700);
	const log = new LogBuffer(join(dir, 'postgres.log'));
	const user = 'n8n';
	execFileSync(
		join(bin.pgBin, 'initdb'),
		[
			'-D',
			data,
			'-U',
			user,
			'--auth=trust',
			'-E',
			'UTF8',
			'--locale=C',
			'--no-sync',
			'--no-instructions',
		],
		{
			cwd: dir,
			uid,
			gid,
			stdio: 'pipe',
		},
	);
	const settings: Record<string, string> = {
		listen_addresses: '127.0.0.1',
		unix_socket_directories: dir,
		max_connections: '200',
		logging_collector: 'off',
		...o.settings,
	};
	const args = [
		'-D',
		data,
		'-p',
		String(port),
		...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
	];
	const s = spawnService('postgres', join(bin.pgBin, 'postgres'), args, {
		cwd: dir,
		log,
		uid,
		gid,
		exitSignal: 'SIGQUIT',
	});
	const psql = (db: string, sql: string) =>
		execFileSync(
			join(bin.pgBin, 'psql'),
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				user,
				'-d',
				db,
				'-v',
				'ON_ERROR_STOP=1',
				'-At',
				'-c',
				sql,
			],
			{
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'pipe'],
				env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PGCONNECT_TIMEOUT: '5' },
			},
		);
	try {
		await waitUntil(`postgres on port ${port}`, s, log, async () => {
			try {
				psql('postgres', 'select 1');
				return true;
			} catch {
				return false;
			}
		});
		psql('postgres', "create database n8n encoding 'UTF8'");
	} catch (e) {
		await stopStarted(s, 'SIGQUIT');
		throw e;
	}
	return {
		...asService('postgres', port, s, log, 'SIGINT'),
		database: 'n8n',
		user,
		// Trust auth ignores it; n8n wants one set.
		password: 'n8n',
		query: (sql) => psql('n8n', sql).trim(),
	};
}

/** PostgreSQL major version of the server binaries (for the machine notes). */
export function postgresVersion(bin: ServiceBinaries): string {
	try {
		return execFileSync(join(bin.pgBin, 'postgres'), ['--version'], { encoding: 'utf8' })
			.trim()
			.replace(/^postgres \(PostgreSQL\) /, '');
	} catch {
		return bin.pgVersion;
	}
}
