// What n8n's memory holds and what allocates it, through the inspector the bench starts every n8n
// process with. RSS read at a random moment is mostly garbage V8 has not collected yet: one idle
// n8n 2.41 read 731 MB before a full collection and 425 MB after, so a difference of two such
// readings says more about when V8 last collected than about what a batch costs. The bench reads
// RSS right after a full collection, and samples allocations to see whose code makes the garbage
// (bench/README.md, "Memory").
import { readFileSync } from 'node:fs';

import type { Target } from '../test/e2e/scale/target';

/** Passed to n8n as NODE_OPTIONS: every n8n process opens an inspector on a port of its own. */
export const INSPECTOR_NODE_OPTIONS = '--inspect=127.0.0.1:0';

/** VmRSS of the given processes in MB, as the kernel counts it now (0 for a process gone). */
export function rssMb(pids: number[]): number {
	let kb = 0;
	for (const pid of pids) {
		try {
			const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
			kb += Number(m?.[1] ?? 0);
		} catch {
			// process gone
		}
	}
	return kb / 1024;
}

interface Reply {
	id?: number;
	result?: { result?: { value?: unknown }; profile?: unknown };
	error?: { message: string };
}

/** One inspector session: requests by id, answers matched back. */
class InspectorSession {
	private nextId = 0;
	private readonly waiting = new Map<number, (reply: Reply) => void>();

	private constructor(private readonly socket: WebSocket) {
		socket.addEventListener('message', (event) => {
			const reply = JSON.parse(String(event.data)) as Reply;
			if (reply.id === undefined) return;
			this.waiting.get(reply.id)?.(reply);
			this.waiting.delete(reply.id);
		});
		socket.addEventListener('close', () => {
			for (const answer of this.waiting.values()) answer({ error: { message: 'closed' } });
			this.waiting.clear();
		});
	}

	static async open(url: string): Promise<InspectorSession> {
		if (typeof WebSocket === 'undefined')
			throw new Error("n8n's inspector needs a WebSocket: run the bench with `npm run bench`");
		const socket = new WebSocket(url);
		await new Promise<void>((resolve, reject) => {
			socket.addEventListener('open', () => resolve(), { once: true });
			socket.addEventListener('error', () => reject(new Error(`inspector ${url}: no answer`)), {
				once: true,
			});
		});
		return new InspectorSession(socket);
	}

	get open(): boolean {
		return this.socket.readyState === WebSocket.OPEN;
	}

	async call(method: string, params: object = {}, timeoutMs = 60_000): Promise<Reply> {
		const id = ++this.nextId;
		const reply = new Promise<Reply>((resolve) => {
			this.waiting.set(id, resolve);
			setTimeout(() => {
				if (this.waiting.delete(id)) resolve({ error: { message: `${method}: timed out` } });
			}, timeoutMs).unref();
		});
		this.socket.send(JSON.stringify({ id, method, params }));
		const answer = await reply;
		if (answer.error) throw new Error(`inspector ${method}: ${answer.error.message}`);
		return answer;
	}

	close(): void {
		this.socket.close();
	}
}

interface ProfileNode {
	callFrame: { url: string };
	selfSize: number;
	children: ProfileNode[];
}

/** A node of V8's CPU profile (Profiler.stop). */
interface CpuNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	hitCount?: number;
	children?: number[];
}

/** Where the sampled CPU time of the target's processes went, in ms. */
export interface CpuSummary {
	seconds: number;
	/** Sampled time outside "(idle)". */
	busyMs: number;
	/** Samples with a frame of this package's code on the stack. */
	packageMs: number;
	garbageCollectorMs: number;
	/** The functions with the most self time: name, file and line, ms. */
	top: Array<{ frame: string; selfMs: number }>;
}

export interface Allocations {
	seconds: number;
	/** Everything the processes allocated meanwhile, collected since or not. */
	totalMb: number;
	/** Allocated with a frame of this package's code on the stack. */
	packageMb: number;
}

/** Frames of the installed package (n8n's own path holds the cache folder's name too). */
const PACKAGE_FRAME = /node_modules\/n8n-nodes-modelslab\/dist\//;

/**
 * The inspectors of a target's n8n processes, found by the "Debugger listening on ws://…" line
 * each process logs at start (again after a restart) and matched to its pid by asking it.
 */
export class N8nInspectors {
	private readonly sessions = new Map<number, InspectorSession>();
	private readonly tried = new Set<string>();
	private profiled: InspectorSession[] = [];
	private profileStartedAt = 0;

	constructor(private readonly target: Target) {}

	/** Sum over the target's n8n processes of the RSS right after a full collection, in MB. */
	async settledRssMb(): Promise<number> {
		const pids = this.target.pids();
		await this.connect(pids);
		let total = 0;
		for (const pid of pids) {
			const session = this.sessions.get(pid);
			if (!session?.open) throw new Error(`n8n process ${pid} has no inspector to collect garbage`);
			await session.call('HeapProfiler.collectGarbage');
			total += rssMb([pid]);
		}
		return total;
	}

	/** Samples every allocation of the target's processes for `ms` (V8's sampling heap profiler). */
	async allocations(ms: number): Promise<Allocations> {
		const pids = this.target.pids();
		await this.connect(pids);
		const sessions = pids.flatMap((pid) => this.sessions.get(pid) ?? []);
		const sampling = {
			samplingInterval: 32_768,
			includeObjectsCollectedByMajorGC: true,
			includeObjectsCollectedByMinorGC: true,
		};
		for (const session of sessions) await session.call('HeapProfiler.startSampling', sampling);
		await new Promise((resolve) => setTimeout(resolve, ms));
		const result: Allocations = { seconds: ms / 1000, totalMb: 0, packageMb: 0 };
		for (const session of sessions) {
			const reply = await session.call('HeapProfiler.stopSampling');
			const profile = (reply.result as { profile?: { head: ProfileNode } } | undefined)?.profile;
			if (!profile) continue;
			const walk = (node: ProfileNode, underPackage: boolean): void => {
				const ours = underPackage || PACKAGE_FRAME.test(node.callFrame.url);
				result.totalMb += node.selfSize / 1048576;
				if (ours) result.packageMb += node.selfSize / 1048576;
				for (const child of node.children) walk(child, ours);
			};
			walk(profile.head, false);
		}
		return result;
	}

	/** Starts V8's sampling CPU profiler in every n8n process of the target (1 ms interval). */
	async startCpuProfile(): Promise<void> {
		const pids = this.target.pids();
		await this.connect(pids);
		this.profiled = pids.flatMap((pid) => this.sessions.get(pid) ?? []);
		for (const session of this.profiled) {
			await session.call('Profiler.enable');
			await session.call('Profiler.setSamplingInterval', { interval: 1000 });
			await session.call('Profiler.start');
		}
		this.profileStartedAt = Date.now();
	}

	/** Stops the profiler started by startCpuProfile and sums its samples over the processes. */
	async stopCpuProfile(topCount = 15): Promise<CpuSummary> {
		const self = new Map<string, number>();
		const summary: CpuSummary = {
			seconds: (Date.now() - this.profileStartedAt) / 1000,
			busyMs: 0,
			packageMs: 0,
			garbageCollectorMs: 0,
			top: [],
		};
		for (const session of this.profiled) {
			const reply = await session.call('Profiler.stop', {}, 120_000);
			const profile = (reply.result as { profile?: { nodes: CpuNode[] } } | undefined)?.profile;
			if (profile) addCpuProfile(profile.nodes, summary, self);
		}
		this.profiled = [];
		summary.top = [...self.entries()]
			.sort((a, b) => b[1] - a[1])
			.slice(0, topCount)
			.map(([frame, selfMs]) => ({ frame, selfMs }));
		return summary;
	}

	private async connect(pids: number[]): Promise<void> {
		if (pids.every((pid) => this.sessions.get(pid)?.open)) return;
		const logs = Object.values(this.target.processLogs()).join('\n');
		for (const [, url] of logs.matchAll(/Debugger listening on (ws:\/\/\S+)/g)) {
			if (this.tried.has(url)) continue;
			this.tried.add(url);
			const session = await InspectorSession.open(url).catch(() => undefined);
			if (!session) continue; // a process that has exited (a restart, a task runner)
			const reply = await session.call('Runtime.evaluate', {
				expression: 'process.pid',
				returnByValue: true,
			});
			const pid = Number(reply.result?.result?.value);
			if (pids.includes(pid)) this.sessions.set(pid, session);
			else session.close();
		}
	}

	close(): void {
		for (const session of this.sessions.values()) session.close();
		this.sessions.clear();
	}
}

/** Adds one process's profile (1 ms per sample) to the summary and the self times by frame. */
function addCpuProfile(nodes: CpuNode[], summary: CpuSummary, self: Map<string, number>): void {
	const parent = new Map<number, CpuNode>();
	for (const node of nodes) for (const child of node.children ?? []) parent.set(child, node);
	const underPackage = new Map<number, boolean>();
	const ours = (node: CpuNode): boolean => {
		const known = underPackage.get(node.id);
		if (known !== undefined) return known;
		const up = parent.get(node.id);
		const result = PACKAGE_FRAME.test(node.callFrame.url) || (up !== undefined && ours(up));
		underPackage.set(node.id, result);
		return result;
	};
	for (const node of nodes) {
		const ms = node.hitCount ?? 0;
		if (!ms || node.callFrame.functionName === '(idle)') continue;
		summary.busyMs += ms;
		if (node.callFrame.functionName === '(garbage collector)') summary.garbageCollectorMs += ms;
		if (ours(node)) summary.packageMs += ms;
		const file = node.callFrame.url.split('/').slice(-2).join('/');
		const frame = `${node.callFrame.functionName || '(anonymous)'} ${file}:${node.callFrame.lineNumber + 1}`;
		self.set(frame, (self.get(frame) ?? 0) + ms);
	}
}

const byTarget = new WeakMap<Target, N8nInspectors>();

/** The target's inspectors, connected on first use. */
export function inspectorsOf(target: Target): N8nInspectors {
	let inspectors = byTarget.get(target);
	if (!inspectors) {
		inspectors = new N8nInspectors(target);
		byTarget.set(target, inspectors);
	}
	return inspectors;
}

export function closeInspectors(target: Target): void {
	byTarget.get(target)?.close();
	byTarget.delete(target);
}
