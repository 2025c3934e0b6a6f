// Redis and PostgreSQL from Debian packages: found on disk, or installed with apt-get once.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withLock } from '../lock';
import { cacheRoot } from '../lines';
import { fmtMs, runStep, type Progress } from '../steps';

export interface ServiceBinaries {
	redisServer: string;
	/** Dir with initdb, postgres, pg_isready, createdb (e.g. /usr/lib/postgresql/15/bin). */
	pgBin: string;
	pgVersion: string;
}

const REDIS_CANDIDATES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];
const PG_ROOT = '/usr/lib/postgresql';

function findRedis(): string | undefined {
	return REDIS_CANDIDATES.find((p) => existsSync(p));
}

/** The newest installed server version under /usr/lib/postgresql/<major>/bin. */
function findPostgres(): { bin: string; version: string } | undefined {
	if (!existsSync(PG_ROOT)) return undefined;
	const majors = readdirSync(PG_ROOT)
		.filter(
			(v) =>
				/^\d+$/.test(v) &&
				existsSync(join(PG_ROOT, v, 'bin', 'initdb')) &&
				existsSync(join(PG_ROOT, v, 'bin', 'postgres')),
		)
		.sort((a, b) => Number(b) - Number(a));
	return majors.length ? { bin: join(PG_ROOT, majors[0], 'bin'), version: majors[0] } : undefined;
}

function isRoot(): boolean {
	return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * apt-get update + install of what is missing. Debian's maintainer scripts would start the
 * system services (redis on 6379, a postgres cluster on 5432); a policy-rc.d that answers 101
 * stops that, so the only servers running are the ones the harness starts on its own ports.
 */
async function aptInstall(packages: string[], say: Progress): Promise<void> {
	if (!isRoot())
		throw new Error(
			`missing ${packages.join(', ')}: install them (apt-get install ${packages.join(' ')}) or run as root`,
		);
	const logFile = join(cacheRoot(), 'apt-queue-services.log');
	const policy = '/usr/sbin/policy-rc.d';
	const ownPolicy = !existsSync(policy);
	if (ownPolicy)
		writeFileSync(
			policy,
			'#!/bin/sh\n# written by n8n-nodes-modelslab scripts/n8n/queue: no service starts during install\nexit 101\n',
			{ mode: 0o755 },
		);
	try {
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		await runStep('apt-get', ['update'], {
			cwd: '/',
			env,
			logFile,
			onProgress: say,
			label: 'apt-get update',
		});
		await runStep('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
			cwd: '/',
			env,
			logFile,
			onProgress: say,
			label: `apt-get install ${packages.join(' ')}`,
		});
	} finally {
		if (ownPolicy) rmSync(policy, { force: true });
	}
}

/** Paths of redis-server and the PostgreSQL server tools; installs the Debian packages when missing. */
export async function ensureServiceBinaries(say: Progress): Promise<ServiceBinaries> {
	const found = () => ({ redis: findRedis(), pg: findPostgres() });
	let now = found();
	if (!now.redis || !now.pg) {
		mkdirSync(cacheRoot(), { recursive: true });
		await withLock(join(cacheRoot(), 'apt-queue-services'), say, async () => {
			now = found();
			const missing = [...(now.redis ? [] : ['redis-server']), ...(now.pg ? [] : ['postgresql'])];
			if (!missing.length) return;
			const t0 = Date.now();
			say(`installing ${missing.join(', ')} from Debian packages`);
			await aptInstall(missing, say);
			say(`installed ${missing.join(', ')} in ${fmtMs(Date.now() - t0)}`);
		});
		now = found();
	}
	if (!now.redis)
		throw new Error(
			`redis-server not found after install (looked at ${REDIS_CANDIDATES.join(', ')})`,
		);
	if (!now.pg) throw new Error(`no PostgreSQL server under ${PG_ROOT}/<version>/bin after install`);
	return { redisServer: now.redis, pgBin: now.pg.bin, pgVersion: now.pg.version };
}

export function redisVersion(bin: string): string {
	return /v=(\S+)/.exec(execFileSync(bin, ['--version'], { encoding: 'utf8' }))?.[1] ?? 'unknown';
}
