import { createHmac, randomBytes, timingSafeEqual } from 'crypto';

/**
 * The URL each job of a node run calls back: the execution's resume URL with `/<node id>` appended
 * to its path (the restart webhook's path), its query string kept exactly (n8n 2.14+ checks the
 * `signature` in it), plus three parameters of this package's own:
 * - `mlrun`: the node run (a loop parks the same node once per iteration);
 * - `mlitem`: the input item whose job this is, `sync` for the package's own requests that let a
 *   run take its next step, `probe` for the check that n8n reaches its own URL;
 * - `mlchain`: for a job started after the run last parked, the job ids of the items its lane ran
 *   since then, so its callback tells a restarted n8n which earlier jobs exist (lanes.ts);
 * - `mlmac`: an HMAC of the others under a secret drawn for the node run and kept with the waiting
 *   execution, so nobody without the URL can forge a callback for this run (n8n 1.x resume URLs
 *   carry no secret at all), and a URL leaked from one run or item is worth nothing for another.
 */
export const CALLBACK_PARAM = {
	run: 'mlrun',
	item: 'mlitem',
	chain: 'mlchain',
	mac: 'mlmac',
} as const;
export const SYNC_ITEM = 'sync';
export const PROBE_ITEM = 'probe';

export interface RunKey {
	/** Random, 16 hex characters. */
	id: string;
	/** Random, 32 hex characters; never leaves the execution's saved data. */
	secret: string;
}

export function newRunKey(): RunKey {
	return { id: randomBytes(8).toString('hex'), secret: randomBytes(16).toString('hex') };
}

function mac(run: RunKey, item: string, chain: string): string {
	return createHmac('sha256', run.secret)
		.update(`modelslab-callback:${run.id}:${item}:${chain}`)
		.digest('base64url')
		.slice(0, 22);
}

/** The resume URL with the node id appended: every job URL of the run starts with it. */
export function callbackBase(resumeUrl: string, nodeId: string): string {
	const url = new URL(resumeUrl);
	url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(nodeId)}`;
	return url.toString();
}

export function callbackUrlFor(
	base: string,
	run: RunKey,
	item: number | typeof SYNC_ITEM | typeof PROBE_ITEM,
	chain: readonly string[] = [],
): string {
	const url = new URL(base);
	const chained = chain.join(',');
	url.searchParams.set(CALLBACK_PARAM.run, run.id);
	url.searchParams.set(CALLBACK_PARAM.item, String(item));
	if (chained) url.searchParams.set(CALLBACK_PARAM.chain, chained);
	url.searchParams.set(CALLBACK_PARAM.mac, mac(run, String(item), chained));
	return url.toString();
}

export type CallbackTarget = { item: number; chain: string[] } | { sync: true };

/** Which item a callback's query names, if its MAC is right for this run; undefined otherwise. */
export function verifyCallbackQuery(
	query: Record<string, unknown>,
	run: RunKey,
	itemCount: number,
): CallbackTarget | undefined {
	const runId = query[CALLBACK_PARAM.run];
	const item = query[CALLBACK_PARAM.item];
	const chain = query[CALLBACK_PARAM.chain] ?? '';
	const received = query[CALLBACK_PARAM.mac];
	if (runId !== run.id || typeof item !== 'string' || typeof received !== 'string')
		return undefined;
	if (typeof chain !== 'string') return undefined;
	const expected = mac(run, item, chain);
	if (received.length !== expected.length) return undefined;
	if (!timingSafeEqual(Buffer.from(received), Buffer.from(expected))) return undefined;
	if (item === SYNC_ITEM) return { sync: true };
	const index = Number(item);
	if (!Number.isInteger(index) || index < 0 || index >= itemCount) return undefined;
	return { item: index, chain: chain ? chain.split(',') : [] };
}

/** n8n's own resume token (2.14+), which n8n checks before a resume webhook runs. */
const N8N_RESUME_TOKEN_PARAM = 'signature';

/** Whether n8n put its resume token into the URL (it then also refuses callbacks without it). */
export function isSignedByN8n(callbackUrl: string): boolean {
	return new URL(callbackUrl).searchParams.has(N8N_RESUME_TOKEN_PARAM);
}
