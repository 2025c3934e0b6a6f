import {
	sleep,
	type IDataObject,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { parseCallback, type NormalisedCallback } from '../shared/transport/callbackPayload';
import { statusOfPhase, type JobState } from '../shared/transport/jobState';
import { callbackItem } from './callbackItem';
import { whenAnswered, is2xx, type AnswerStream } from './answerWatch';
import { DedupRequest, dedupKey } from './callbackDedup';
import { namesAJob } from './callbackIdentity';
import { readCallbackRequest } from './callbackRequest';
import { ignore, quote, refuse } from './responses';
import { compileTrackIdFilter, trackIdMatches } from './trackIdFilter';
import {
	configurationProblem,
	readTriggerSettings,
	statusWanted,
	withCredentialSettings,
	type TriggerSettings,
} from './triggerSettings';
import { verificationPath, verifyCallback } from './verifyCallback';

const STARTED = { received: true, started: true };

/**
 * One callback, from request checks to the output item. Every well-formed callback gets a 2xx,
 * whether it starts an execution or not; only a callback that passes the filters and was not
 * handled before starts one. A 2xx for a starting callback means its execution exists (n8n 2.x).
 */
export async function handleTriggerCallback(
	this: IWebhookFunctions,
): Promise<IWebhookResponseData> {
	const settings = await withCredentialSettings(this, readTriggerSettings(this));
	const request = await readCallbackRequest(this, settings);
	if ('refusal' in request) return refuse(this, request.refusal);

	const parsed = parseCallback(request.body);
	if (!parsed.ok) {
		return namesAJob(request.body)
			? ignore(`unusable callback: ${parsed.reason}`)
			: refuse(this, { statusCode: 400, error: `not a ModelsLab callback: ${parsed.reason}` });
	}
	const callback = parsed.callback;

	const filter = compileTrackIdFilter(settings.trackIdFilter);
	const problem = filter.ok ? configurationProblem(settings, this.getNode()) : filter.error;
	if (problem || !filter.ok) {
		// The workflow is misconfigured, not the request. 500 rather than an "ignored" 2xx: a sender
		// that retries may still get through once the node is fixed.
		this.logger.error(`ModelsLab Trigger: ${problem}`);
		return refuse(this, { statusCode: 500, error: problem ?? 'the node is misconfigured' });
	}
	if (!trackIdMatches(filter.filter, callback.trackId)) {
		return ignore(`track_id ${quote(callback.trackId)} does not match the Track ID filter`);
	}
	if (!statusWanted(settings, callback.status))
		return ignore(`status "${callback.status}" is not one of the Statuses this trigger starts on`);

	const dedup = dedupFor(this);
	if (dedup) {
		whenAnswered(this.getResponseObject() as unknown as AnswerStream, (statusCode) =>
			dedup.settle(is2xx(statusCode)),
		);
	}
	const first = await claimOrWait(dedup, dedupKey(callback));
	if (first !== 'claimed') return notNew(this, dedup, first, callback.id, callback.status);

	let state = stateOf(callback);
	const extra: IDataObject = {};
	if (settings.verify) {
		const verification = await verify(this, callback, settings);
		if ('response' in verification) {
			dedup?.release();
			return verification.response;
		}
		state = verification.state ?? state;
		extra.verified = verification.state !== undefined;
		const status = statusOfPhase(state.phase);
		const second = await claimOrWait(dedup, dedupKey({ ...state, status }));
		if (second !== 'claimed') {
			dedup?.release();
			return notNew(this, dedup, second, state.id, status);
		}
	}
	dedup?.remember();

	// Files are fetched from URLs the callback names: unless ModelsLab confirmed the job, only
	// from its own output hosts, or anyone who knows the URL chooses what n8n downloads.
	const download =
		extra.verified === true
			? settings.download
			: { ...settings.download, allowedHosts: settings.outputHosts };
	if (download.enabled && state.output.length > 0) {
		// Downloads can outlast ModelsLab's 30 s answer window, so the answer goes first. The
		// price: should n8n then fail to create the execution, the sender has its 2xx already.
		this.getResponseObject().status(200).json(STARTED);
		const item = await callbackItem(this, state, callback.trackId, download, extra);
		return { noWebhookResponse: true, workflowData: [[item]] };
	}
	// n8n answers: on n8n 2.x only once the execution exists, with a 5xx when it cannot be
	// created, so a sender that retries is never left with a 2xx for a lost job.
	const item = await callbackItem(this, state, callback.trackId, download, extra);
	return { webhookResponse: STARTED, workflowData: [[item]] };
}

/** How long a delivery waits for an earlier one of the same job state; within ModelsLab's 30 s. */
const IN_FLIGHT_WAIT_MS = 20_000;

type ClaimOutcome = 'claimed' | 'seen' | 'busy';

/**
 * Claims a job state, or tells why not. A delivery that arrives while another one of the same
 * state is being handled waits for it: seen once n8n answered that one with a 2xx, else it takes
 * over (the earlier execution could not be created).
 */
async function claimOrWait(dedup: DedupRequest | undefined, key: string): Promise<ClaimOutcome> {
	if (!dedup) return 'claimed';
	for (;;) {
		const claim = dedup.claim(key);
		if (claim.kind !== 'inFlight') return claim.kind;
		// The sleep outlives a race the answer won; a timer is all it holds.
		const answered = await Promise.race([
			claim.outcome,
			sleep(IN_FLIGHT_WAIT_MS).then(() => 'timeout' as const),
		]);
		if (answered === 'timeout') return 'busy';
		if (answered) return 'seen';
	}
}

function notNew(
	context: IWebhookFunctions,
	dedup: DedupRequest | undefined,
	outcome: Exclude<ClaimOutcome, 'claimed'>,
	id: string,
	status: string,
): IWebhookResponseData {
	if (outcome === 'seen') {
		// A duplicate's answer saves static data too: it carries the keys still waiting for a write.
		dedup?.remember();
		return duplicate(id, status);
	}
	// 503: the sender should try again; by then the earlier delivery has an outcome.
	return refuse(context, {
		statusCode: 503,
		error: `an earlier delivery of job ${quote(id)} with status "${status}" is still being handled; retry later`,
	});
}

type Verification = { state?: JobState } | { response: IWebhookResponseData };

/** Reads the job back; `state` is undefined when the kind cannot be read (Workflows runs). */
async function verify(
	context: IWebhookFunctions,
	callback: NormalisedCallback,
	settings: TriggerSettings,
): Promise<Verification> {
	const path = verificationPath(callback.kind, settings.endpointFamily);
	if (!path) return {};
	let state: JobState;
	try {
		state = await verifyCallback.call(context, callback, path);
	} catch (error) {
		const message = `could not verify job ${quote(callback.id)} with ModelsLab: ${error instanceof Error ? error.message : String(error)}`;
		context.logger.warn(`ModelsLab Trigger: ${message}`);
		// The check upstream failed, not the request: 502, so a delivery that is retried can pass.
		return { response: refuse(context, { statusCode: 502, error: message }) };
	}
	const status = statusOfPhase(state.phase);
	if (!statusWanted(settings, status)) {
		return {
			response: ignore(
				`ModelsLab reports job ${quote(state.id)} as "${status}", which is not one of the Statuses this trigger starts on`,
			),
		};
	}
	return { state };
}

/** No dedup for test events ("Listen for test event"): a replayed callback should show up there. */
function dedupFor(context: IWebhookFunctions): DedupRequest | undefined {
	if (context.getMode() === 'manual') return undefined;
	const scope = `${context.getWorkflow().id ?? ''}:${context.getNode().id}`;
	return new DedupRequest(context.getWorkflowStaticData('node'), scope);
}

function duplicate(id: string, status: string): IWebhookResponseData {
	return ignore(`duplicate: job ${quote(id)} with status "${status}" was already handled`);
}

function stateOf(callback: NormalisedCallback): JobState {
	const { kind, id, phase, output, message, trainingStatus, raw } = callback;
	return { kind, id, phase, output, message, trainingStatus, raw };
}
