// The n8n the queue, load and bench runs talk to: a queue-mode cluster (main + webhook processor
// + 2 workers, Redis, PostgreSQL) or one n8n 2.x process (SQLite), with the packed package, the
// ModelsLab simulator and a credential pointing at it. Same surface for both.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	startN8n,
	startQueueCluster,
	type Credential,
	type N8nApi,
	type QueueCluster,
	type RunningN8n,
	type Workflow,
} from '../../../scripts/n8n';
import type { Routing } from '../../../scripts/n8n/queue/roundRobin';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator';
import { packPackage } from '../support/packageTarball';
import { CREDENTIAL_TYPE } from '../support/stack';
import { postgresDatabase, sqliteDatabase, type TargetDatabase } from './database';
import type { Shape } from './workflows';

export type TargetMode = 'queue' | 'single';

export interface Target {
	mode: TargetMode;
	version: string;
	/** Main instance (API). */
	baseUrl: string;
	/** Where webhooks and callbacks go (the webhook processor in queue mode). */
	webhookBase: string;
	api: N8nApi;
	sim: Simulator;
	credential: Credential;
	/** n8n's own database, for what the public API cannot do or show (fault injection, raw counts). */
	db: TargetDatabase;
	/** Publishes and waits until the webhook paths answer where callbacks go. */
	activate(workflowId: string, webhookPaths: string[]): Promise<Workflow>;
	/** Every n8n process. */
	killAll(signal?: NodeJS.Signals): Promise<void>;
	restartAll(): Promise<void>;
	/** Pids of the n8n processes (for memory figures). */
	pids(): number[];
	/** Last lines of every n8n process's log. */
	logs(lines?: number): string;
	/** Full captured output of each n8n process, by name (`main`, `webhook`, `worker-1`, … or `n8n`). */
	processLogs(): Record<string, string>;
	describe(): string;
	stop(): Promise<void>;
}

/** Creates the workflow, activates it and waits until its webhook path answers; returns its id. */
export async function deploy(t: Target, shape: Shape): Promise<string> {
	const wf = await t.api.createWorkflow(shape.input);
	await t.activate(wf.id, [shape.path]);
	return wf.id;
}

export interface TargetOptions {
	simulator?: SimulatorOptions;
	env?: Record<string, string>;
	/** Queue mode: webhook processors behind a proxy (default 1, no proxy). */
	webhookProcessors?: number;
	routing?: Routing;
}

/** MODELSLAB_LOAD_TARGET=single|queue (default queue). */
export function targetModeFromEnv(fallback: TargetMode = 'queue'): TargetMode {
	const v = process.env.MODELSLAB_LOAD_TARGET;
	return v === 'single' || v === 'queue' ? v : fallback;
}

export async function startTarget(mode: TargetMode, opts: TargetOptions = {}): Promise<Target> {
	const tarball = packPackage();
	const sim = await startSimulator(opts.simulator);
	try {
		return mode === 'queue'
			? await queueTarget(tarball, sim, opts)
			: await singleTarget(tarball, sim, opts);
	} catch (e) {
		await sim.stop();
		throw e;
	}
}

async function credentialFor(api: N8nApi, sim: Simulator): Promise<Credential> {
	return api.createCredential({
		name: 'ModelsLab (simulator)',
		type: CREDENTIAL_TYPE,
		data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
	});
}

async function queueTarget(tarball: string, sim: Simulator, opts: TargetOptions): Promise<Target> {
	const cluster: QueueCluster = await startQueueCluster({
		tarball,
		env: opts.env,
		webhookProcessors: opts.webhookProcessors,
		routing: opts.routing,
	});
	const processors = opts.webhookProcessors ?? 1;
	try {
		const credential = await credentialFor(cluster.api, sim);
		return {
			mode: 'queue',
			version: cluster.version,
			baseUrl: cluster.baseUrl,
			webhookBase: cluster.webhookUrl,
			api: cluster.api,
			sim,
			credential,
			db: postgresDatabase(cluster.postgres),
			activate: (id, paths) => cluster.activateWorkflow(id, paths),
			async killAll(signal = 'SIGKILL') {
				await cluster.killAll(signal);
			},
			restartAll: () => cluster.restartAll(),
			pids: () => cluster.processes().flatMap((p) => (p.pid ? [p.pid] : [])),
			logs: (lines = 20) => cluster.allLogs(lines),
			processLogs: () => cluster.processLogs(),
			describe: () =>
				`n8n ${cluster.version} queue mode: main + ${processors > 1 ? `${processors} webhook processors behind a ${opts.routing ?? 'round-robin'} proxy` : 'webhook processor'} + 2 workers, Redis, PostgreSQL ${cluster.services.pgVersion}`,
			async stop() {
				await cluster.stop();
				await sim.stop();
			},
		};
	} catch (e) {
		await cluster.stop();
		throw e;
	}
}

async function singleTarget(tarball: string, sim: Simulator, opts: TargetOptions): Promise<Target> {
	const n8n: RunningN8n = await startN8n({
		line: '2',
		tarballs: [tarball],
		env: { N8N_LOG_LEVEL: 'info', ...opts.env },
	});
	try {
		const credential = await credentialFor(n8n.api, sim);
		return {
			mode: 'single',
			version: n8n.version,
			baseUrl: n8n.baseUrl,
			webhookBase: n8n.baseUrl,
			api: n8n.api,
			sim,
			credential,
			// n8n keeps its SQLite file in <N8N_USER_FOLDER>/.n8n; Node 24 (n8n's own runtime) reads it.
			db: sqliteDatabase(join(n8n.userFolder, '.n8n', 'database.sqlite'), n8n.install.nodeBinary),
			activate: (id, paths) =>
				n8n.api.activateWorkflow(id, { webhookPaths: paths, timeoutMs: 30_000 }),
			async killAll(signal = 'SIGKILL') {
				await n8n.kill(signal);
			},
			restartAll: () => n8n.restart(),
			pids: () => {
				const pid = currentPid(n8n);
				return pid ? [pid] : [];
			},
			logs: (lines = 20) => `--- n8n (${n8n.logFile}):\n${n8n.logs(lines)}`,
			processLogs: () => ({ n8n: n8n.logs() }),
			describe: () => `n8n ${n8n.version} single process (SQLite)`,
			async stop() {
				await n8n.stop();
				await sim.stop();
			},
		};
	} catch (e) {
		await n8n.stop();
		throw e;
	}
}

/** The running n8n's pid: the log marks each (re)start with `pid=<n>`. */
function currentPid(n8n: RunningN8n): number | undefined {
	const text = readFileSync(n8n.logFile, 'utf8');
	const all = [...text.matchAll(/process started pid=(\d+)/g)];
	const last = all[all.length - 1];
	return last ? Number(last[1]) : undefined;
}
