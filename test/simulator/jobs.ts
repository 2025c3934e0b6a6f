/**
 * The job store: id allocation and the mutable records behind the read-only `jobs` map.
 */
import { randomBytes, randomInt } from 'node:crypto';

import type { OutputFileType } from './endpoints';
import type { TimerHandle } from './timers';
import type { SimJob } from './types';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface OutputFile {
	/** `<id>-<n>.<ext>`, the last segment of the URL under `/files/`. */
	name: string;
	type: OutputFileType;
	seed: number;
}

export interface JobRecord extends Mutable<SimJob> {
	output: string[];
	files: OutputFile[];
	/** The pending timer that moves the job on, if any. */
	timer?: TimerHandle;
	/** Callbacks of one job are sent in order: each waits for the previous one. */
	callbackChain: Promise<void>;
	/** Training: index into the state list of the state reported last (-1 before the first callback). */
	trainingStep?: number;
	/** Workflow runs. */
	startedAt?: number;
	error?: string;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Jobs that take a place in the account queue (§7): workflow runs do not. */
export function takesQueuePlace(job: Pick<SimJob, 'kind'>): boolean {
	return job.kind === 'generation' || job.kind === 'training';
}

export class JobStore {
	readonly byId = new Map<string, JobRecord>();
	/** Queue-counted jobs that were processing when last looked at; finished ones are dropped lazily. */
	private readonly running = new Set<JobRecord>();
	private highestRunning = 0;
	/** Request and execution ids: integers counting up from a random 9-digit start, never reused. */
	private nextId = randomInt(100_000_000, 800_000_000);

	allocateNumericId(): number {
		return this.nextId++;
	}

	/** Training ids look like `F5jvdzGnYi`: ten alphanumeric characters. */
	allocateTrainingId(): string {
		for (;;) {
			const id = [...randomBytes(10)]
				.map((byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length])
				.join('');
			if (!this.byId.has(id)) return id;
		}
	}

	add(job: JobRecord): void {
		this.byId.set(job.id, job);
		if (takesQueuePlace(job) && job.status === 'processing') {
			this.running.add(job);
			this.highestRunning = Math.max(this.highestRunning, this.runningCount());
		}
	}

	/**
	 * Generation and training jobs not yet in a final state. A job leaves the count the moment its
	 * status becomes final, whether or not its callback has been delivered.
	 */
	runningCount(): number {
		for (const job of this.running) if (job.status !== 'processing') this.running.delete(job);
		return this.running.size;
	}

	/** The highest `runningCount()` since the last `clear()`. */
	get maxRunning(): number {
		return this.highestRunning;
	}

	get(id: string): JobRecord | undefined {
		return this.byId.get(id);
	}

	/** What `processing/request_count` reports. */
	processingCount(): number {
		return [...this.byId.values()].filter((job) => job.status === 'processing').length;
	}

	clear(): void {
		this.byId.clear();
		this.running.clear();
		this.highestRunning = 0;
	}
}

/** Output URLs live on the simulator itself so clients can download real files. */
export function outputFiles(
	origin: string,
	id: string | number,
	type: OutputFileType,
	count: number,
): { files: OutputFile[]; urls: string[] } {
	const files = Array.from({ length: count }, (_, n) => ({
		name: `${id}-${n}.${type}`,
		type,
		seed: Number(id) + n,
	}));
	return { files, urls: files.map((file) => `${origin}/files/${file.name}`) };
}
