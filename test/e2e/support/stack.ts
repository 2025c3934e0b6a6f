// One n8n deployment with the packed package installed, the ModelsLab simulator, and a credential
// pointing at it: what every e2e test file starts once per line. The deployment is one n8n process
// (SQLite), or in a queue run (MODELSLAB_E2E_QUEUE=1, see lines.ts) n8n 2.x in queue mode: main +
// webhook processor + 2 workers on Redis and PostgreSQL, binary data in the database.
import { join } from 'node:path';
import {
	startN8n,
	startQueueCluster,
	type Credential,
	type N8nApi,
	type N8nLine,
	type OwnerCredentials,
	type QueueCluster,
	type RunningN8n,
} from '../../../scripts/n8n';
import { RestSession } from '../../../scripts/n8n/session';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator';
import { e2eDeployment, type E2eDeployment } from './lines';
import { packPackage } from './packageTarball';

export const PACKAGE = 'n8n-nodes-modelslab';
export const CREDENTIAL_TYPE = 'modelsLabApi';

export interface ProcessExit {
	code: number | null;
	signal: NodeJS.Signals | null;
}

/**
 * The n8n a test talks to, whatever the deployment: a RunningN8n as it is, or a queue cluster
 * seen through queueN8n() (kill and restart act on every process, logs show every process).
 */
export interface E2eN8n {
	readonly line: N8nLine;
	readonly version: string;
	/** The main instance: editor, /rest, public API. Webhooks go to E2eStack.webhookBase. */
	readonly baseUrl: string;
	/** Public API of the main; activateWorkflow waits until the webhooks answer where they are served. */
	readonly api: N8nApi;
	readonly owner: OwnerCredentials;
	/** The log file, or in queue mode the folder holding each process's log. */
	readonly logFile: string;
	/** Milliseconds of the latest (re)start. */
	readonly startMs: number;
	/** Captured output, or its last `lines` lines (in queue mode of each process, one labelled section each). */
	logs(lines?: number): string;
	/** Queue mode: the captured output of each process by name (`main`, `webhook`, `worker-1`, …). */
	processLogs?(): Record<string, string>;
	/** Sends `signal` (default SIGKILL) to n8n (every n8n process in queue mode) and waits for the exit. */
	kill(signal?: NodeJS.Signals): Promise<ProcessExit>;
	/** Stops and starts n8n again (every process), same DB, ports and folders. */
	restart(): Promise<void>;
}

export interface E2eStack {
	line: N8nLine;
	deployment: E2eDeployment;
	n8n: E2eN8n;
	/** Origin production webhooks and resume URLs are served at (no trailing slash): the webhook processor in queue mode, the main otherwise. */
	webhookBase: string;
	sim: Simulator;
	/** A modelsLabApi credential with the simulator's URL and key. */
	credential: Credential;
	/** The owner's cookie session for /rest routes the public API lacks (credential test, binary data). */
	rest: RestSession;
	/** One line for logs: version, deployment, URLs. */
	describe(): string;
	stop(): Promise<void>;
}

export interface StackOptions {
	simulator?: SimulatorOptions;
	/** Extra env for n8n (every process in queue mode). */
	env?: Record<string, string>;
}

interface Deployed {
	n8n: E2eN8n;
	webhookBase: string;
	describe: string;
	stop(): Promise<void>;
}

export async function startStack(line: N8nLine, opts: StackOptions = {}): Promise<E2eStack> {
	const deployment = e2eDeployment();
	if (deployment === 'queue' && line !== '2')
		throw new Error(`queue mode runs n8n 2.x only, not line ${line}`);
	const tarball = packPackage();
	const sim = await startSimulator(opts.simulator);
	let deployed: Deployed | undefined;
	try {
		deployed =
			deployment === 'queue'
				? await startQueue(tarball, opts)
				: await startSingle(line, tarball, opts);
		const { n8n } = deployed;
		process.stderr.write(
			`e2e: ${deployed.describe} up in ${n8n.startMs} ms, simulator ${sim.baseUrl}\n`,
		);
		const credential = await n8n.api.createCredential({
			name: 'ModelsLab (simulator)',
			type: CREDENTIAL_TYPE,
			data: credentialData(line, sim.apiKey, sim.baseUrl),
		});
		const rest = new RestSession(n8n.baseUrl);
		await rest.login(n8n.owner);
		const running = deployed;
		return {
			line,
			deployment,
			n8n,
			webhookBase: running.webhookBase,
			sim,
			credential,
			rest,
			describe: () => running.describe,
			async stop() {
				await running.stop();
				await sim.stop();
			},
		};
	} catch (e) {
		await deployed?.stop();
		await sim.stop();
		throw e;
	}
}

async function startSingle(line: N8nLine, tarball: string, opts: StackOptions): Promise<Deployed> {
	const n8n: RunningN8n = await startN8n({ line, tarballs: [tarball], env: opts.env });
	return {
		n8n,
		webhookBase: n8n.baseUrl,
		describe: `n8n ${n8n.version} (line ${line}) at ${n8n.baseUrl}`,
		stop: () => n8n.stop(),
	};
}

async function startQueue(tarball: string, opts: StackOptions): Promise<Deployed> {
	const cluster = await startQueueCluster({ tarball, env: opts.env });
	return {
		n8n: queueN8n(cluster),
		webhookBase: cluster.webhookUrl,
		describe:
			`n8n ${cluster.version} (line 2) in queue mode: main ${cluster.baseUrl}, webhook processor ${cluster.webhookUrl}, ` +
			`${cluster.processes().filter((p) => p.role === 'worker').length} workers, Redis, PostgreSQL ${cluster.services.pgVersion}`,
		stop: () => cluster.stop(),
	};
}

/** A queue cluster as an E2eN8n: the main's URL and API, every process killed, restarted and logged. */
export function queueN8n(cluster: QueueCluster): E2eN8n {
	return {
		line: cluster.line,
		version: cluster.version,
		baseUrl: cluster.baseUrl,
		api: cluster.api,
		owner: cluster.owner,
		logFile: join(cluster.baseDir, 'logs'),
		get startMs() {
			return cluster.startMs;
		},
		logs: (lines) => cluster.allLogs(lines),
		processLogs: () => cluster.processLogs(),
		async kill(signal = 'SIGKILL') {
			const exits = await cluster.killAll(signal);
			if (!exits.length) return { code: null, signal: null }; // none was running
			// Every process's exit in one: `signal` when all ended by it, else the first that did not.
			const odd = exits.find((x) => x.signal !== signal);
			return odd ? { code: odd.code, signal: odd.signal } : { code: null, signal };
		},
		restart: () => cluster.restartAll(),
	};
}

/**
 * 1.123 adds "Allowed HTTP Request Domains" fields to every credential type with `authenticate`,
 * and its public API schema then demands `allowedDomains` unless the selector is given
 * (a JSON-schema if/then that matches an absent property). 2.x needs neither.
 */
export function credentialData(
	line: N8nLine,
	apiKey: string,
	baseUrl: string,
): Record<string, unknown> {
	return line === '1' ? { apiKey, baseUrl, allowedHttpRequestDomains: 'all' } : { apiKey, baseUrl };
}

/** The type name a node of this package has when installed from its tarball. */
export function nodeType(name: string): string {
	return `${PACKAGE}.${name}`;
}
