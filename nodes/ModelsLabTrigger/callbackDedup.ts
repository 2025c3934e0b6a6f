import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { JobKind } from '../shared/catalog/types';
import { isObject } from '../shared/transport/schemas';

/**
 * Drops repeated callbacks for one job state (ModelsLab may deliver a callback more than once,
 * docs/modelslab-api.md §5), without losing one whose execution n8n could not create:
 * - a claim in this process marks a job state as being handled. It becomes "seen" only once
 *   n8n answered its callback with a 2xx (on n8n 2.x, after it created the execution); any other
 *   answer frees it, so the sender's retry starts the job. A delivery that arrives while an
 *   earlier one is still being handled waits for that one's outcome;
 * - the node's static data keeps what was seen across restarts and webhook processors. n8n
 *   writes it (the whole blob, last writer wins) when it answers a callback whose request
 *   changed it, so writing it on every callback costs a database write each. Seen keys are
 *   written in batches instead: a request writes them when the last write of this node is
 *   older than FLUSH_INTERVAL_MS or FLUSH_BATCH keys wait. Until then they live in this
 *   process only: a restart within that window forgets them.
 */

/** Static data field holding `{ [dedup key]: epoch ms first handled }`. */
export const SEEN_FIELD = 'seenCallbacks';
/** Keys kept in static data; the oldest are dropped first. Duplicates come minutes apart, not weeks. */
export const MAX_SEEN = 1000;
/** At most one static-data write per node and process in this time, unless FLUSH_BATCH keys wait. */
export const FLUSH_INTERVAL_MS = 2_000;
export const FLUSH_BATCH = 100;
/** Longer keys (ids are caller-supplied text) are stored as a hash so static data stays small. */
const MAX_KEY_LENGTH = 200;

/** Outlives any copy of static data a concurrent request can still hold. */
const SEEN_TTL_MS = 60 * 60_000;
/** A callback n8n never answered (a hung request) frees its claim after this. */
const PENDING_TTL_MS = 5 * 60_000;
const MAX_CLAIMS = 10_000;

interface Claim {
	at: number;
	/** Set while the callback that claimed it waits for n8n's answer. */
	outcome?: Promise<boolean>;
	settle?: (answered2xx: boolean) => void;
}

/** `<workflow>:<node>|<key>` → claim, in this process. */
const claims = new Map<string, Claim>();
/** Per scope: keys seen here (answered 2xx) that no static-data write has carried yet. */
const unsaved = new Map<string, Map<string, number>>();
/** Per scope: when a request last wrote the seen keys into static data. */
const lastWrite = new Map<string, number>();

export interface DedupSubject {
	kind: JobKind;
	id: string;
	status: string;
	trainingStatus?: string;
}

/** One job state: kind + id + status, plus the training state (each one is its own callback). */
export function dedupKey(subject: DedupSubject): string {
	const key = [
		subject.kind,
		subject.id,
		subject.status,
		...(subject.kind === 'training' ? [subject.trainingStatus ?? ''] : []),
	].join(':');
	return key.length > MAX_KEY_LENGTH
		? `sha256:${createHash('sha256').update(key).digest('hex')}`
		: key;
}

export type ClaimResult =
	| { kind: 'claimed' }
	| { kind: 'seen' }
	/** Another delivery is being handled; true when n8n answered it with a 2xx. */
	| { kind: 'inFlight'; outcome: Promise<boolean> };

/** What one request claimed and wrote; settled once n8n answered it. */
export class DedupRequest {
	private readonly claimed: string[] = [];
	/** Keys this request's static data carries (its own and earlier unsaved ones). */
	private written: string[] = [];
	private settled = false;

	constructor(
		private readonly staticData: IDataObject,
		/** Workflow and node, so two triggers never share claims. */
		private readonly scope: string,
		private readonly now: number = Date.now(),
	) {}

	/** Synchronous check-and-set of one job state. */
	claim(key: string): ClaimResult {
		if (this.claimed.includes(key)) return { kind: 'claimed' };
		prune(this.now);
		const claimKey = this.claimKey(key);
		let existing = claims.get(claimKey);
		// The sweep runs at most once a second: an entry past its time is gone all the same.
		if (existing && expired(existing, this.now)) {
			claims.delete(claimKey);
			existing.settle?.(false);
			existing = undefined;
		}
		if (existing?.outcome) return { kind: 'inFlight', outcome: existing.outcome };
		if (existing || isStoredSeen(this.staticData, key)) return { kind: 'seen' };
		let settle: (answered2xx: boolean) => void = () => undefined;
		const outcome = new Promise<boolean>((resolve) => (settle = resolve));
		claims.set(claimKey, { at: this.now, outcome, settle });
		this.claimed.push(key);
		return { kind: 'claimed' };
	}

	/**
	 * Writes this request's keys, and those seen earlier in this process, into static data when a
	 * write is due. n8n saves static data only when the request succeeds, so a callback whose
	 * execution could not be created leaves nothing behind.
	 */
	remember(): void {
		const waiting = unsaved.get(this.scope) ?? new Map<string, number>();
		const due =
			this.now - (lastWrite.get(this.scope) ?? 0) >= FLUSH_INTERVAL_MS ||
			waiting.size + this.claimed.length >= FLUSH_BATCH;
		if (!due || waiting.size + this.claimed.length === 0) return;
		const seen: Record<string, number> = { ...readSeen(this.staticData) };
		for (const [key, at] of waiting) seen[key] ??= at;
		for (const key of this.claimed) seen[key] = this.now;
		const newestFirst = Object.entries(seen).sort(([, a], [, b]) => b - a);
		// Assigning the top-level field is what marks n8n's observable static data as changed.
		this.staticData[SEEN_FIELD] = Object.fromEntries(newestFirst.slice(0, MAX_SEEN));
		this.written = [...waiting.keys(), ...this.claimed];
		lastWrite.set(this.scope, this.now);
	}

	/**
	 * n8n answered (or will never answer) this request. A 2xx makes the claims seen; anything else
	 * frees them for the next delivery. Keys the request wrote are saved only with a 2xx.
	 */
	settle(answered2xx: boolean): void {
		if (this.settled) return;
		this.settled = true;
		const waiting = unsaved.get(this.scope) ?? new Map<string, number>();
		for (const key of this.claimed) {
			const claim = claims.get(this.claimKey(key));
			if (answered2xx) claims.set(this.claimKey(key), { at: claim?.at ?? this.now });
			else claims.delete(this.claimKey(key));
			claim?.settle?.(answered2xx);
		}
		if (!answered2xx) {
			// What this request wrote was not saved: the next request writes, whatever the interval.
			if (this.written.length) lastWrite.delete(this.scope);
			return;
		}
		for (const key of this.written) waiting.delete(key);
		for (const key of this.claimed) if (!this.written.includes(key)) waiting.set(key, this.now);
		if (waiting.size) unsaved.set(this.scope, waiting);
		else unsaved.delete(this.scope);
	}

	/** For claims that start nothing (verification said no): free them now, whatever the answer. */
	release(): void {
		for (const key of this.claimed) {
			const claim = claims.get(this.claimKey(key));
			claims.delete(this.claimKey(key));
			claim?.settle?.(false);
		}
		this.claimed.length = 0;
	}

	private claimKey(key: string): string {
		return `${this.scope}|${key}`;
	}
}

/** One key looked up where n8n loaded the seen list: no copy of up to MAX_SEEN entries per callback. */
function isStoredSeen(staticData: IDataObject, key: string): boolean {
	const stored = staticData[SEEN_FIELD];
	return isObject(stored) && typeof (stored as IDataObject)[key] === 'number';
}

function readSeen(staticData: IDataObject): Record<string, number> {
	const stored = staticData[SEEN_FIELD];
	if (!isObject(stored)) return {};
	const valid: Record<string, number> = {};
	for (const [key, at] of Object.entries(stored as IDataObject)) {
		if (typeof at === 'number') valid[key] = at;
	}
	return valid;
}

/** The expiry sweeps walk every claim, so a busy trigger runs them at most this often. */
const SWEEP_INTERVAL_MS = 1_000;
let lastSweep = 0;

function prune(now: number): void {
	// A clock set back sweeps at once rather than never.
	if (now < lastSweep || now - lastSweep >= SWEEP_INTERVAL_MS) {
		lastSweep = now;
		sweepExpired(now);
	}
	// Map order is insertion order, so the first entries are the oldest claims.
	for (const [key, claim] of claims) {
		if (claims.size <= MAX_CLAIMS) break;
		if (claim.outcome) continue;
		claims.delete(key);
	}
}

function expired(claim: Claim, now: number): boolean {
	return now - claim.at > (claim.outcome ? PENDING_TTL_MS : SEEN_TTL_MS);
}

function sweepExpired(now: number): void {
	for (const [key, claim] of claims) {
		if (!expired(claim, now)) continue;
		claims.delete(key);
		claim.settle?.(false);
	}
	for (const [scope, waiting] of unsaved) {
		for (const [key, at] of waiting) if (now - at > SEEN_TTL_MS) waiting.delete(key);
		if (!waiting.size) unsaved.delete(scope);
	}
}
