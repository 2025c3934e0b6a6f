// startN8n(): a running, owner-provisioned n8n with an API key, and its lifecycle.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { N8nApi } from './api';
import { n8nEnv } from './env';
import { ensureN8n, type N8nInstall } from './install';
import type { N8nLine } from './lines';
import { LogBuffer } from './logs';
import { installPackageTarball } from './packages';
import { freePorts } from './ports';
import { spawnN8n, stopProcess, waitReady, type Spawned } from './process';
import { newOwner, RestSession, type OwnerCredentials } from './session';
import { stderrProgress, type Progress } from './steps';

export interface StartOptions {
	line: N8nLine;
	/** Reused as is (DB, owner, installed packages); default: a fresh temp folder, removed by stop(). */
	userFolder?: string;
	/** Dirs for N8N_CUSTOM_EXTENSIONS: nodes load as `CUSTOM.<node>`. */
	customExtensions?: string[];
	/** Community package tarballs installed into <userFolder>/.n8n/nodes before the start. */
	tarballs?: string[];
	/** Extra env for n8n, applied last. */
	env?: Record<string, string>;
	/** Public base URL for webhooks and resume URLs; default the local URL. */
	webhookUrl?: string;
	/** Default <userFolder>/n8n.log. */
	logFile?: string;
	readyTimeoutMs?: number;
	onProgress?: Progress;
}

export interface RunningN8n {
	readonly line: N8nLine;
	readonly version: string;
	readonly baseUrl: string;
	readonly port: number;
	readonly brokerPort: number;
	readonly userFolder: string;
	readonly apiKey: string;
	readonly api: N8nApi;
	readonly owner: OwnerCredentials;
	readonly install: N8nInstall;
	readonly logFile: string;
	/** Milliseconds from spawn to ready (the three readiness stages) of the latest (re)start. */
	readonly startMs: number;
	logs(lines?: number): string;
	isRunning(): boolean;
	/** SIGTERM, then SIGKILL after 20 s; removes a temp user folder this runtime created. */
	stop(): Promise<void>;
	/**
	 * Sends `signal` (default SIGKILL) and waits up to 30 s for the exit (crash tests); restart()
	 * brings it back. After a kill n8n logs "Last session crashed" and its next start sleeps 10 s.
	 */
	kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	/** Same user folder, ports and DB. */
	restart(): Promise<void>;
	/** Installs a community package tarball and (by default) restarts so n8n loads it. Returns the package name. */
	installPackageTarball(tgzPath: string, opts?: { restart?: boolean }): Promise<string>;
	/** Called when n8n exits without stop()/kill()/restart(). */
	onExit(cb: (code: number | null, signal: NodeJS.Signals | null) => void): void;
}

const STATE_FILE = 'modelslab-runtime.json';

interface SavedState {
	owner: OwnerCredentials;
	apiKey: string;
}

function readState(userFolder: string): SavedState | undefined {
	const f = join(userFolder, STATE_FILE);
	return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as SavedState) : undefined;
}

/** Owner + API key: set up on a fresh DB, logged in again on a reused one. */
async function provision(
	session: RestSession,
	api: (key: string) => N8nApi,
	userFolder: string,
): Promise<SavedState> {
	const saved = readState(userFolder);
	if (saved) {
		await session.login(saved.owner);
		return saved;
	}
	const owner = newOwner();
	try {
		await session.setupOwner(owner);
	} catch (e) {
		throw new Error(
			`owner setup failed (a user folder with an owner must come with ${STATE_FILE}): ${(e as Error).message}`,
		);
	}
	const apiKey = await session.createApiKey('n8n-nodes-modelslab runtime');
	const state = { owner, apiKey };
	writeFileSync(join(userFolder, STATE_FILE), JSON.stringify(state, null, 2), { mode: 0o600 });
	await api(apiKey).listExecutions({ limit: 1 }); // the key works
	return state;
}

function versionFromLog(text: string): string | undefined {
	return /Version: (\d+\.\d+\.\d+\S*)/.exec(text)?.[1];
}

export async function startN8n(opts: StartOptions): Promise<RunningN8n> {
	const say = opts.onProgress ?? stderrProgress;
	const install = await ensureN8n(opts.line, { onProgress: say });
	const ownFolder = !opts.userFolder;
	const userFolder = opts.userFolder
		? resolve(opts.userFolder)
		: mkdtempSync(join(tmpdir(), `n8n-${opts.line}-run-`));
	for (const tgz of opts.tarballs ?? []) await installPackageTarball(userFolder, tgz, say);
	const [port, brokerPort] = await freePorts(2);
	const baseUrl = `http://127.0.0.1:${port}`;
	const env = n8nEnv({
		line: opts.line,
		userFolder,
		port,
		brokerPort,
		webhookUrl: opts.webhookUrl ?? `${baseUrl}/`,
		customExtensions: opts.customExtensions?.map((d) => resolve(d)),
		extra: opts.env,
	});
	const log = new LogBuffer(opts.logFile ? resolve(opts.logFile) : join(userFolder, 'n8n.log'));
	const session = new RestSession(baseUrl);
	const readyTimeout = opts.readyTimeoutMs ?? 180_000;
	const exitListeners: Array<(code: number | null, signal: NodeJS.Signals | null) => void> = [];
	let proc: Spawned;
	let expectedExit = false;
	let startMs = 0;

	const boot = async () => {
		const t0 = Date.now();
		expectedExit = false;
		proc = spawnN8n(install.nodeBinary, install.n8nEntry, env, userFolder, log);
		const mine = proc;
		void mine.exited.then(({ code, signal }) => {
			if (!expectedExit && mine === proc) for (const cb of exitListeners) cb(code, signal);
		});
		try {
			await waitReady(proc, baseUrl, log, readyTimeout);
		} catch (e) {
			expectedExit = true;
			await stopProcess(proc);
			throw e;
		}
		startMs = Date.now() - t0;
	};

	const removeOnStop = () => ownFolder && !process.env.MODELSLAB_N8N_KEEP;
	let state: SavedState;
	try {
		await boot();
		state = await provision(
			session,
			(key) => new N8nApi(baseUrl, key, opts.line, session),
			userFolder,
		);
	} catch (e) {
		expectedExit = true;
		if (proc!) await stopProcess(proc);
		if (removeOnStop()) rmSync(userFolder, { recursive: true, force: true });
		throw new Error(
			`${(e as Error).message}\n(n8n ${opts.line}, user folder ${userFolder}${removeOnStop() ? ' removed; MODELSLAB_N8N_KEEP=1 keeps it' : ''})`,
		);
	}
	const api = new N8nApi(baseUrl, state.apiKey, opts.line, session);
	const version = versionFromLog(log.currentRun()) ?? install.version;

	const stopInternal = async () => {
		expectedExit = true;
		await stopProcess(proc);
	};

	const running: RunningN8n = {
		line: opts.line,
		version,
		baseUrl,
		port,
		brokerPort,
		userFolder,
		apiKey: state.apiKey,
		api,
		owner: state.owner,
		install,
		logFile: log.file,
		get startMs() {
			return startMs;
		},
		logs: (lines) => log.get(lines),
		isRunning: () => proc.isRunning(),
		async stop() {
			await stopInternal();
			if (removeOnStop()) rmSync(userFolder, { recursive: true, force: true });
		},
		async kill(signal = 'SIGKILL') {
			expectedExit = true;
			proc.child.kill(signal);
			// After SIGTERM n8n waits up to 30 s for its active executions (its graceful shutdown
			// timeout), then exits by itself: give it that and some.
			const limitS = signal === 'SIGKILL' ? 30 : 45;
			const timeout = new Promise<never>((_, reject) =>
				setTimeout(
					() => reject(new Error(`n8n still running ${limitS} s after ${signal}`)),
					limitS * 1000,
				).unref(),
			);
			return Promise.race([proc.exited, timeout]);
		},
		async restart() {
			await stopInternal();
			await boot();
			await session.login(state.owner);
		},
		async installPackageTarball(tgzPath, o = {}) {
			const name = await installPackageTarball(userFolder, tgzPath, say);
			if (o.restart ?? true) await running.restart();
			return name;
		},
		onExit(cb) {
			exitListeners.push(cb);
		},
	};
	return running;
}
