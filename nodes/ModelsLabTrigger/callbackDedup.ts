import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { JobKind } from '../shared/catalog/types';
import { isObject } from '../shared/transport/schemas';

/**
 * Drops repeated callbacks for one job state (ModelsLab may deliver a callback more than once,
 * docs/modelslab-api.md §5). Two layers, because neither is enough alone:
 * - the node's static data remembers what started an execution; n8n saves it after every
 *   production webhook call, so it survives restarts. But each request works on its own copy and
 *   saves are last-writer-wins, so concurrent deliveries all see "not seen yet";
 * - a module-level map closes that gap inside one n8n process (one webhook processor).
 * Across restarts and webhook processors it stays best effort: n8n writes the whole static data
 * back, so of two different callbacks handled at the same moment one may lose its key.
 */

/** Static data field holding `{ [dedup key]: epoch ms first handled }`. */
export const SEEN_FIELD = 'seenCallbacks';
/** Keys kept in static data; the oldest are dropped first. Duplicates come minutes apart, not weeks. */
export const MAX_SEEN = 1000;
/** Longer keys (ids are caller-supplied text) are stored as a hash so static data stays small. */
const MAX_KEY_LENGTH = 200;

/** Claims in this process: `<workflow>:<node>|<key>` → claimed at (epoch ms). */
const claims = new Map<string, number>();
/** Outlives any copy of static data a concurrent request can still hold. */
const CLAIM_TTL_MS = 60 * 60_000;
const MAX_CLAIMS = 10_000;

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

export class CallbackDedup {
	constructor(
		private readonly staticData: IDataObject,
		/** Workflow and node, so two triggers never share claims. */
		private readonly scope: string,
		private readonly now: number = Date.now(),
	) {}

	/** Synchronous check-and-set: false when the key was handled before or is being handled now. */
	claim(key: string): boolean {
		pruneClaims(this.now);
		const claimKey = `${this.scope}|${key}`;
		if (claims.has(claimKey) || Object.hasOwn(this.seen(), key)) return false;
		claims.set(claimKey, this.now);
		return true;
	}

	/** For a claim that did not start an execution: a later delivery may try again. */
	release(key: string): void {
		claims.delete(`${this.scope}|${key}`);
	}

	/** Records keys in static data, newest kept. Claims stay until they expire (see above). */
	remember(keys: readonly string[]): void {
		const seen = { ...this.seen() };
		for (const key of keys) seen[key] = this.now;
		const newestFirst = Object.entries(seen).sort(([, a], [, b]) => b - a);
		// Assigning the top-level field is what marks n8n's observable static data as changed.
		this.staticData[SEEN_FIELD] = Object.fromEntries(newestFirst.slice(0, MAX_SEEN));
	}

	private seen(): Record<string, number> {
		const stored = this.staticData[SEEN_FIELD];
		if (!isObject(stored)) return {};
		const valid: Record<string, number> = {};
		for (const [key, at] of Object.entries(stored as IDataObject)) {
			if (typeof at === 'number') valid[key] = at;
		}
		return valid;
	}
}

function pruneClaims(now: number): void {
	for (const [key, claimedAt] of claims) {
		if (now - claimedAt > CLAIM_TTL_MS) claims.delete(key);
	}
	// Map order is insertion order, so the first entries are the oldest claims.
	for (const key of claims.keys()) {
		if (claims.size <= MAX_CLAIMS) break;
		claims.delete(key);
	}
}
