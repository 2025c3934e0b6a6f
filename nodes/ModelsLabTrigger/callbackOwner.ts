import type { IDataObject } from 'n8n-workflow';

import type { NormalisedCallback } from '../shared/transport/callbackPayload';
import { isObject } from '../shared/transport/schemas';
import { quote } from './responses';

/**
 * Whose job a verified callback names. ModelsLab's answers echo the request in `meta`
 * (docs/modelslab-api.md §4: `track_id` and `webhook` among them), so its word says which track id
 * the job has and where its result was to go. A callback that names another job's id under its
 * own track id (job ids are sequential) disagrees with that word: it is foreign.
 */
export interface Ownership {
	/**
	 * `confirmed`: ModelsLab names the job's track id or webhook, and both fit; `foreign`: one of
	 * them does not, or the Workflows run it reports is not the one the callback names;
	 * `unconfirmed`: the answer names neither (lean fetch answers, training, Workflows runs).
	 */
	verdict: 'confirmed' | 'foreign' | 'unconfirmed';
	/** The item's track id: ModelsLab's when it names one, else the callback's. */
	trackId: string;
	/** Whether that track id is ModelsLab's word. */
	trackIdVerified: boolean;
	/** For the log. */
	detail: string;
}

/**
 * `ownPath` is the trigger's webhook path (its Path, or its node's webhook id): the webhook
 * ModelsLab echoes must end with it, whatever host and prefix a proxy put in front.
 */
export function ownershipOf(
	callback: NormalisedCallback,
	answer: IDataObject,
	ownPath: string,
): Ownership {
	const otherRun = callback.kind === 'workflowRun' ? runMismatch(callback, answer) : undefined;
	if (otherRun !== undefined) return foreign(callback.trackId, otherRun);
	const meta = isObject(answer.meta) ? (answer.meta as IDataObject) : {};
	const named = textOf(answer.track_id) ?? textOf(meta.track_id);
	const claimed = callback.trackId;
	if (named !== undefined && claimed !== '' && named !== claimed) {
		return foreign(
			named,
			`job ${quote(callback.id)}: the callback names track_id ${quote(claimed)}, ModelsLab ${quote(named)}`,
		);
	}
	const trackId = named ?? claimed;
	const webhookNamed = 'webhook' in meta;
	if (webhookNamed && !reachesPath(textOf(meta.webhook), ownPath)) {
		return foreign(
			trackId,
			`job ${quote(callback.id)} was submitted with ${meta.webhook ? `another webhook (${quote(String(meta.webhook), 200)})` : 'no webhook'}, not this trigger's path ${quote(ownPath)}`,
		);
	}
	if (named === undefined && !webhookNamed) {
		return {
			verdict: 'unconfirmed',
			trackId,
			trackIdVerified: false,
			detail: `ModelsLab's answer for job ${quote(callback.id)} names neither its track_id nor its webhook`,
		};
	}
	return { verdict: 'confirmed', trackId, trackIdVerified: named !== undefined, detail: '' };
}

/**
 * Why ModelsLab's answer is not the Workflows run the callback names, or undefined when it is: the
 * answer's `execution` (docs/modelslab-api.md §3.7) must carry the callback's execution id, and
 * its `workflow_id`, where it names one, the callback's workflow id.
 */
function runMismatch(callback: NormalisedCallback, answer: IDataObject): string | undefined {
	const execution = isObject(answer.execution) ? (answer.execution as IDataObject) : {};
	const run = `run ${quote(callback.id)} of workflow ${quote(callback.workflowId ?? '')}`;
	const executionId = textOf(execution.id);
	if (executionId !== callback.id)
		return `ModelsLab's answer for ${run} names ${executionId === undefined ? 'no execution' : `execution ${quote(executionId)}`}`;
	const workflowId = textOf(execution.workflow_id);
	if (workflowId !== undefined && workflowId !== callback.workflowId)
		return `ModelsLab reports ${run} under workflow ${quote(workflowId)}`;
	return undefined;
}

function foreign(trackId: string, detail: string): Ownership {
	return { verdict: 'foreign', trackId, trackIdVerified: true, detail };
}

/** Whether a webhook URL's path ends with the trigger's path (compared without case). */
function reachesPath(webhook: string | undefined, ownPath: string): boolean {
	const own = ownPath.replace(/^\/+|\/+$/g, '').toLowerCase();
	if (!webhook) return false;
	if (!own) return true;
	let path: string;
	try {
		path = decodeURIComponent(new URL(webhook).pathname).replace(/\/+$/, '').toLowerCase();
	} catch {
		return false;
	}
	return path === `/${own}` || path.endsWith(`/${own}`);
}

/** A track id or URL as text; null, empty and non-scalar values name nothing. */
function textOf(value: unknown): string | undefined {
	if (typeof value === 'number') return String(value);
	return typeof value === 'string' && value !== '' ? value : undefined;
}
