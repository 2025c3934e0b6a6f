import { NodeOperationError, type IExecuteFunctions, type IWebhookFunctions } from 'n8n-workflow';

import { customDataOf, webhookCustomData } from '../n8n/internals';

/**
 * The jobs one node run submitted, kept in the execution's custom data while it waits: the resume
 * webhook needs them to match callbacks and re-check the other jobs, and after a timeout they are
 * where a user finds the request ids for Get Result. n8n allows 10 keys per execution and 512
 * characters per value, and drops writes beyond that silently, so every write is read back.
 */
export interface JobLedger {
	/** The operation that submitted the jobs (decides the fetch path on resume). */
	operation: string;
	/** One entry per input item, in input order. */
	entries: LedgerEntry[];
	/**
	 * The resume URL carried n8n's own `signature` token: n8n (2.14+) then rejects a callback
	 * without it before the node sees it, so the callback tag need not be checked again.
	 */
	signedResume?: boolean;
}

export type LedgerEntry = { jobId: string } | { error: string };

const VERSION = 'v2';
const SIGNED_FLAG = 's';
const MAX_VALUE_LENGTH = 500;
/** Leaves room for other nodes' and the user's own custom data keys. */
const MAX_KEYS = 6;
const MAX_ERROR_LENGTH = 80;

/** `modelslab_<node id without dashes>`: only [A-Za-z0-9_], at most 50 characters. */
export function ledgerKey(nodeId: string, chunk = 0): string {
	const base = `modelslab_${nodeId.replace(/[^A-Za-z0-9]/g, '').slice(0, 32)}`;
	return chunk === 0 ? base : `${base}_${chunk}`;
}

export function encodeLedger(ledger: JobLedger): string {
	const entries = ledger.entries.map((entry) =>
		'jobId' in entry
			? encodeURIComponent(entry.jobId)
			: `!${encodeURIComponent(entry.error.slice(0, MAX_ERROR_LENGTH))}`,
	);
	const flags = ledger.signedResume ? SIGNED_FLAG : '';
	return `${VERSION};${flags};${encodeURIComponent(ledger.operation)};${entries.join(',')}`;
}

export function decodeLedger(text: string): JobLedger | undefined {
	const [version, flags, operation, list] = text.split(';');
	if (version !== VERSION || flags === undefined || operation === undefined || list === undefined)
		return undefined;
	return {
		signedResume: flags.includes(SIGNED_FLAG),
		operation: decodeURIComponent(operation),
		entries: list
			.split(',')
			.filter((entry) => entry !== '')
			.map((entry) =>
				entry.startsWith('!')
					? { error: decodeURIComponent(entry.slice(1)) }
					: { jobId: decodeURIComponent(entry) },
			),
	};
}

/** Splits the encoded ledger into values under the limit; the first one says how many follow. */
function chunksOf(encoded: string): string[] {
	const parts: string[] = [];
	for (let at = 0; at < encoded.length; at += MAX_VALUE_LENGTH - 8)
		parts.push(encoded.slice(at, at + MAX_VALUE_LENGTH - 8));
	return parts.map((part, index) => (index === 0 ? `${parts.length}|${part}` : part));
}

export function writeLedger(context: IExecuteFunctions, ledger: JobLedger): void {
	const node = context.getNode();
	const store = customDataOf(context);
	if (!store) {
		throw new NodeOperationError(
			node,
			'This n8n version offers no execution custom data, which the callback mode needs',
			{
				description: 'Set "Completion" to "Poll", or update n8n.',
			},
		);
	}
	const chunks = chunksOf(encodeLedger(ledger));
	if (chunks.length > MAX_KEYS) {
		throw new NodeOperationError(
			node,
			`Too many items (${ledger.entries.length}) to wait for in one execution`,
			{
				description: `The request ids do not fit into n8n's execution custom data. Split the input with Loop Over Items (batches of about ${Math.floor(ledger.entries.length / chunks.length) * MAX_KEYS}) or set "Completion" to "Poll".`,
			},
		);
	}
	chunks.forEach((value, index) => store.set(ledgerKey(node.id, index), value));
	// n8n drops writes past its limits without an error: prove that every chunk landed whole.
	chunks.forEach((value, index) => {
		if (store.get(ledgerKey(node.id, index)) !== value) {
			throw new NodeOperationError(
				node,
				'n8n did not keep the request ids of this run in the execution custom data',
				{
					description: `An execution may hold at most 10 custom data keys; other nodes or Execution Data nodes may use them up. The jobs were submitted: ${ledger.entries.map((e) => ('jobId' in e ? e.jobId : '-')).join(', ')}. Use Get Result with these ids, or set "Completion" to "Poll".`,
				},
			);
		}
	});
}

/**
 * Reads the ledger inside the resume webhook. 2.x exposes custom data to webhooks; 1.x does not, and
 * its expression engine cannot reach custom data either, so the saved run data is read directly.
 */
export function readLedger(context: IWebhookFunctions): JobLedger | undefined {
	const node = context.getNode();
	const read = (key: string): string | undefined => webhookCustomData(context, key);
	const first = read(ledgerKey(node.id));
	if (!first) return undefined;
	const separator = first.indexOf('|');
	const count = Number(first.slice(0, separator));
	if (!Number.isInteger(count) || count < 1) return undefined;
	let encoded = first.slice(separator + 1);
	for (let index = 1; index < count; index++) {
		const part = read(ledgerKey(node.id, index));
		if (part === undefined) return undefined;
		encoded += part;
	}
	return decodeLedger(encoded);
}
