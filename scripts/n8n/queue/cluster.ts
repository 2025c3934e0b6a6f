// n8n 2.x in queue mode: 1 main + 1 webhook processor + N workers on one Redis and one
// PostgreSQL, all on loopback, every process with the package installed in its user folder.
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { N8nApi, type Workflow } from '../api';
import { n8nEnv } from '../env';
import { ensureN8n, type N8nInstall } from '../install';
import { LogBuffer } from '../logs';
import { installPackageTarball, nodesDir } from '../packages';
import { freePorts } from '../ports';
import { spawnN8n, stopProcess, waitReady, type Spawned } from '../process';
import { newOwner, RestSession, type OwnerCredentials } from '../session';
import { stderrProgress, type Progress } from '../steps';
import { startProxy, type RoundRobinProxy, type Routing } from './roundRobin';
import { startPostgres, startRedis, type PostgresService, type ServiceProcess } from './services';
import { ensureServiceBinaries, type ServiceBinaries } from './system';

export type QueueRole = 'main' | 'webhook' | 'worker';

export interface QueueClusterOptions {
	/** Community package tarball installed into every process's user folder. */
	tarball?: string;
	tarballs?: string[];
	/** Default 2. */
	workers?: number;
	/**
	 * Webhook processors (`n8n webhook`); default 1. With more, a proxy in front of them is the
	 * webhook origin (WEBHOOK_URL), routing by `routing` (default round-robin).
	 */
	webhookProcessors?: number;
	routing?: Routing;
	/** Jobs each worker runs at once (`n8n worker --concurrency`); default 10. */
	workerConcurrency?: number;
	/** Extra env for every n8n process, applied last. */
	env?: Record<string, string>;
	/** Extra PostgreSQL settings (`-c name=value`). */
	postgresSettings?: Record<string, string>;
	/** Default a fresh temp dir, removed by stop() unless MODELSLAB_N8N_KEEP is set. */
	baseDir?: string;
	readyTimeoutMs?: number;
	onProgress?: Progress;
}

export interface QueueProcessInfo {
	name: string;
	role: QueueRole;
	/** HTTP port: the editor/API (main), webhooks (webhook), the health server (worker). */
	port: number;
	pid: number | undefined;
	running: boolean;
	logFile: string;
	userFolder: string;
}

export interface QueueCluster {
	readonly line: '2';
	readonly version: string;
	/** Main instance: editor, REST, public API, WaitTracker (timed resumes). */
	readonly baseUrl: string;
	/** Webhook processor origin (no trailing slash): `/webhook/*` and `/webhook-waiting/*`; WEBHOOK_URL points here. */
	readonly webhookUrl: string;
	/** The main's public API; its waitForWebhook/activateWorkflow poll the webhook processor, where webhooks go. */
	readonly api: N8nApi;
	readonly apiKey: string;
	readonly owner: OwnerCredentials;
	readonly encryptionKey: string;
	readonly baseDir: string;
	/** With several webhook processors: the proxy in front of them, and how many requests each got. */
	readonly proxy?: RoundRobinProxy;
	readonly redis: ServiceProcess;
	readonly postgres: PostgresService;
	readonly install: N8nInstall;
	readonly services: ServiceBinaries;
	processes(): QueueProcessInfo[];
	/** Output of one process (`main`, `webhook`, `worker-1`, …), or its last `lines` lines. */
	logs(name: string, lines?: number): string;
	/** Output of every process (or its last `lines` lines), by name, in start order. */
	processLogs(lines?: number): Record<string, string>;
	/** The same as one text: a `--- <name> (<log file>):` section per process. */
	allLogs(lines?: number): string;
	/** Publishes the workflow and waits until its webhooks answer on the webhook processor (as `api.activateWorkflow` does). */
	activateWorkflow(id: string, webhookPaths: string[]): Promise<Workflow>;
	/** Polls the webhook processor until `OPTIONS /webhook/<path>` answers 204. */
	waitForWebhook(path: string, timeoutMs?: number): Promise<void>;
	/** Sends `signal` (default SIGKILL) to every n8n process at once and waits for all exits. Redis and PostgreSQL keep running. */
	killAll(
		signal?: NodeJS.Signals,
	): Promise<Array<{ name: string; code: number | null; signal: NodeJS.Signals | null }>>;
	/** Starts every n8n process again (main first), same folders, ports, DB and queue. */
	restartAll(): Promise<void>;
	/** Milliseconds of the latest (re)start of all n8n processes. */
	readonly startMs: number;
	/** Every n8n process (SIGTERM, workers last), then Redis and PostgreSQL; removes a temp baseDir. */
	stop(): Promise<void>;
}

interface Member {
	name: string;
	role: QueueRole;
	port: number;
	userFolder: string;
	env: NodeJS.ProcessEnv;
	args: string[];
	log: LogBuffer;
	proc?: Spawned;
}

const READY_LINES: Record<QueueRole, string> = {
	main: 'Editor is now accessible via:',
	webhook: 'Webhook listener waiting for requests.',
	worker: 'n8n worker is now ready',
};

function memberUrl(m: Member): string {
	return `http://127.0.0.1:${m.port}`;
}

export async function startQueueCluster(opts: QueueClusterOptions = {}): Promise<QueueCluster> {
	const say = opts.onProgress ?? stderrProgress;
	const t0 = Date.now();
	const install = await ensureN8n('2', { onProgress: say });
	const services = await ensureServiceBinaries(say);
	const ownDir = !opts.baseDir;
	const baseDir = opts.baseDir ? resolve(opts.baseDir) : mkdtempSync(join(tmpdir(), 'n8n-queue-'));
	// PostgreSQL runs as its own user and must reach its data dir below this one.
	chmodSync(baseDir, 0o755);
	const workers = opts.workers ?? 2;
	const webhookProcessors = Math.max(1, opts.webhookProcessors ?? 1);
	let proxy: RoundRobinProxy | undefined;
	const readyTimeout = opts.readyTimeoutMs ?? 180_000;
	const removeOnStop = () => ownDir && !process.env.MODELSLAB_N8N_KEEP;

	let redis: ServiceProcess | undefined;
	let postgres: PostgresService | undefined;
	const members: Member[] = [];
	const stopAll = async () => {
		// Workers last: they finish what the main and the webhook processor already queued.
		const order = [
			...members.filter((m) => m.role !== 'worker'),
			...members.filter((m) => m.role === 'worker'),
		];
		for (const m of order) if (m.proc) await stopProcess(m.proc, 15_000);
		await proxy?.stop();
		await redis?.stop();
		await postgres?.stop();
	};

	try {
		const [redisPort, pgPort] = await freePorts(2);
		redis = await startRedis(services, join(baseDir, 'redis'), redisPort);
		postgres = await startPostgres(services, join(baseDir, 'postgres'), pgPort, {
			settings: opts.postgresSettings,
		});
		say(`queue: redis on ${redisPort}, postgres ${services.pgVersion} on ${pgPort} (${baseDir})`);

		const encryptionKey = randomBytes(24).toString('hex');
		const ports = await freePorts(2 * (1 + webhookProcessors + workers) + 1);
		const processorUrls = Array.from(
			{ length: webhookProcessors },
			(_, i) => `http://127.0.0.1:${ports[2 + 2 * i]}`,
		);
		if (webhookProcessors > 1)
			proxy = await startProxy(
				processorUrls,
				opts.routing ?? 'round-robin',
				ports[ports.length - 1],
			);
		const webhookUrl = proxy?.url ?? processorUrls[0];
		const shared: Record<string, string> = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pgPort),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			DB_POSTGRESDB_POOL_SIZE: '4',
			N8N_ENCRYPTION_KEY: encryptionKey,
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			// Debug logging of four processes under load costs more CPU than the work measured.
			N8N_LOG_LEVEL: 'info',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		};
		const roles: Array<{ name: string; role: QueueRole; args: string[] }> = [
			{ name: 'main', role: 'main', args: ['start'] },
			...Array.from({ length: webhookProcessors }, (_, i) => ({
				name: i === 0 ? 'webhook' : `webhook-${i + 1}`,
				role: 'webhook' as const,
				args: ['webhook'],
			})),
			...Array.from({ length: workers }, (_, i) => ({
				name: `worker-${i + 1}`,
				role: 'worker' as const,
				args: ['worker', `--concurrency=${opts.workerConcurrency ?? 10}`],
			})),
		];
		roles.forEach((r, i) => {
			const port = ports[i * 2];
			const brokerPort = ports[i * 2 + 1];
			const userFolder = join(baseDir, r.name);
			mkdirSync(userFolder, { recursive: true });
			const env = n8nEnv({
				line: '2',
				userFolder,
				port,
				brokerPort,
				webhookUrl: `${webhookUrl}/`,
				extra: {
					...shared,
					...(r.role === 'worker' ? { QUEUE_HEALTH_CHECK_PORT: String(port) } : {}),
					...opts.env,
				},
			});
			members.push({
				...r,
				port,
				userFolder,
				env,
				log: new LogBuffer(join(baseDir, 'logs', `${r.name}.log`)),
			});
		});

		// One npm install, copied to the others: the same files in every process.
		const tarballs = [...(opts.tarball ? [opts.tarball] : []), ...(opts.tarballs ?? [])];
		if (tarballs.length) {
			for (const tgz of tarballs) await installPackageTarball(members[0].userFolder, tgz, say);
			for (const m of members.slice(1))
				cpSync(nodesDir(members[0].userFolder), nodesDir(m.userFolder), { recursive: true });
		}

		const boot = async (m: Member) => {
			m.proc = spawnN8n(install.nodeBinary, install.n8nEntry, m.env, m.userFolder, m.log, m.args);
			try {
				await waitReady(m.proc, memberUrl(m), m.log, readyTimeout, READY_LINES[m.role]);
			} catch (e) {
				throw new Error(`queue ${m.name}: ${(e as Error).message}`);
			}
		};
		let startMs = 0;
		const bootAll = async () => {
			const s0 = Date.now();
			await boot(members[0]); // the main migrates the DB first
			await Promise.all(members.slice(1).map(boot));
			startMs = Date.now() - s0;
		};
		await bootAll();

		const main = members[0];
		const session = new RestSession(memberUrl(main));
		const owner = newOwner();
		await session.setupOwner(owner);
		const apiKey = await session.createApiKey('n8n-nodes-modelslab queue cluster');
		const api = new N8nApi(memberUrl(main), apiKey, '2', session, webhookUrl);
		const version =
			/Version: (\d+\.\d+\.\d+\S*)/.exec(main.log.currentRun())?.[1] ?? install.version;
		say(
			`queue: n8n ${version} main ${memberUrl(main)}, webhook ${webhookUrl}, ${workers} workers, up in ${Date.now() - t0} ms`,
		);

		const running = redis;
		const pg = postgres;
		const cluster: QueueCluster = {
			line: '2',
			version,
			baseUrl: memberUrl(main),
			webhookUrl,
			api,
			apiKey,
			owner,
			encryptionKey,
			baseDir,
			proxy,
			redis: running,
			postgres: pg,
			install,
			services,
			get startMs() {
				return startMs;
			},
			processes: () =>
				members.map((m) => ({
					name: m.name,
					role: m.role,
					port: m.port,
					pid: m.proc?.child.pid,
					running: m.proc?.isRunning() ?? false,
					logFile: m.log.file,
					userFolder: m.userFolder,
				})),
			logs(name, lines) {
				const m = members.find((x) => x.name === name);
				if (!m)
					throw new Error(`no process ${name} (have ${members.map((x) => x.name).join(', ')})`);
				return m.log.get(lines);
			},
			processLogs: (lines) => Object.fromEntries(members.map((m) => [m.name, m.log.get(lines)])),
			allLogs: (lines) =>
				members.map((m) => `--- ${m.name} (${m.log.file}):\n${m.log.get(lines)}`).join('\n'),
			activateWorkflow: (id, webhookPaths) =>
				api.activateWorkflow(id, { webhookPaths, timeoutMs: 30_000 }),
			waitForWebhook: (path, timeoutMs = 30_000) => api.waitForWebhook(path, { timeoutMs }),
			async killAll(signal = 'SIGKILL') {
				const live = members.filter((m) => m.proc?.isRunning());
				for (const m of live) m.proc!.child.kill(signal);
				const timeout = new Promise<never>((_, reject) =>
					setTimeout(
						() => reject(new Error(`n8n processes still running 30 s after ${signal}`)),
						30_000,
					).unref(),
				);
				return Promise.race([
					Promise.all(live.map(async (m) => ({ name: m.name, ...(await m.proc!.exited) }))),
					timeout,
				]);
			},
			async restartAll() {
				for (const m of members) if (m.proc?.isRunning()) await stopProcess(m.proc, 15_000);
				await bootAll();
				await session.login(owner);
			},
			async stop() {
				await stopAll();
				if (removeOnStop()) rmSync(baseDir, { recursive: true, force: true });
			},
		};
		return cluster;
	} catch (e) {
		await stopAll().catch(() => undefined);
		const logs = members
			.filter((m) => m.proc)
			.map((m) => `--- ${m.name} (last 15 lines):\n${m.log.get(15)}`)
			.join('\n');
		if (removeOnStop()) rmSync(baseDir, { recursive: true, force: true });
		throw new Error(
			`queue cluster failed to start: ${(e as Error).message}\n${logs}\n(base dir ${baseDir}${removeOnStop() ? ' removed; MODELSLAB_N8N_KEEP=1 keeps it' : ''})`,
		);
	}
}
