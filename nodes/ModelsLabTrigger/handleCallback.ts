import {
	sleep,
	type IDataObject,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { parseCallback, type NormalisedCallback } from '../shared/transport/callbackPayload';
import type { DownloadSettings } from '../shared/transport/download';
import { statusOfPhase, type JobState } from '../shared/transport/jobState';
import { callbackItem } from './callbackItem';
import { whenAnswered, is2xx, type AnswerStream } from './answerWatch';
import { DedupRequest, dedupKey } from './callbackDedup';
import { namesAJob } from './callbackIdentity';
import { ownershipOf } from './callbackOwner';
import { readCallbackRequest } from './callbackRequest';
import { confirmJob } from './jobConfirmation';
import { ignore, quote, refuse } from './responses';
import {
	compileTrackIdFilter,
	matchesEveryTrackId,
	trackIdMatches,
	type TrackIdFilter,
} from './trackIdFilter';
import {
	configurationProblem,
	readTriggerSettings,
	statusWanted,
	withCredentialSettings,
	type TriggerSettings,
} from './triggerSettings';
import { verificationRead } from './verifyCallback';
import { ownWebhookPath } from './webhookPath';

const STARTED = { received: true, started: true };
/** The sender's answer when the job is still being read back (jobConfirmation.ts). */
const PENDING = { received: true, pending: true };

/**
 * One callback, from request checks to the output item. Every well-formed callback gets a 2xx,
 * whether it starts an execution or not; only a callback that passes the filters and was not
 * handled before starts one. A 2xx for a starting callback means its execution exists (n8n 2.x),
 * unless the trigger had to answer first (downloads, a job ModelsLab has not caught up with).
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
			? ignore(this, 'unusable_callback', parsed.reason)
			: refuse(this, { statusCode: 400, reason: 'not_a_callback', detail: parsed.reason });
	}
	const callback = parsed.callback;

	const filter = compileTrackIdFilter(settings.trackIdFilter);
	const problem = filter.ok ? configurationProblem(settings, this.getNode()) : filter.error;
	if (problem || !filter.ok) {
		// The workflow is misconfigured, not the request. 500 rather than an "ignored" 2xx: a sender
		// that retries may still get through once the node is fixed.
		this.logger.error(`ModelsLab Trigger: ${problem}`);
		return refuse(this, {
			statusCode: 500,
			reason: 'misconfigured',
			detail: problem ?? 'the node is misconfigured',
		});
	}
	// With verification a callback without a track id may still get ModelsLab's; else this is final.
	const trackIdToCheck = settings.verify && callback.trackId === '' ? undefined : callback.trackId;
	if (trackIdToCheck !== undefined && !trackIdMatches(filter.filter, trackIdToCheck))
		return trackIdFiltered(this, trackIdToCheck);
	if (!statusWanted(settings, callback.status)) return statusFiltered(this, callback.status);

	const dedup = dedupFor(this);
	// Off while the job is read on after an early answer: that 202 must not mark the job seen.
	let settleOnAnswer = true;
	if (dedup) {
		whenAnswered(this.getResponseObject() as unknown as AnswerStream, (statusCode) => {
			if (settleOnAnswer) dedup.settle(is2xx(statusCode));
		});
	}
	const first = await claimOrWait(dedup, dedupKey(callback));
	if (first !== 'claimed') return notNew(this, dedup, first, callback.id, callback.status);

	if (!settings.verify) {
		dedup?.remember();
		// Files are fetched from URLs the callback names: only from the output hosts, every redirect
		// included, or anyone who knows the URL chooses what n8n downloads.
		const download = { ...settings.download, allowedHosts: settings.outputHosts };
		return await start(this, stateOf(callback), callback.trackId, download, {});
	}

	const answerEarly = (): void => {
		settleOnAnswer = false;
		answer(this, 202, PENDING);
	};
	const verified = await verifiedJob(this, callback, settings, filter.filter, answerEarly);
	// Once the 202 went out, n8n must not answer again.
	const answeredEarly = !settleOnAnswer;
	if ('response' in verified) {
		dedup?.release();
		return answeredEarly ? { noWebhookResponse: true } : verified.response;
	}
	const { state, trackId, extra } = verified;
	const status = statusOfPhase(state.phase);
	const second = await claimOrWait(dedup, dedupKey({ ...state, status }));
	if (second !== 'claimed') {
		dedup?.release();
		const response = notNew(this, dedup, second, state.id, status);
		return answeredEarly ? { noWebhookResponse: true } : response;
	}
	dedup?.remember();
	if (answeredEarly) dedup?.settle(true);
	// The outputs are ModelsLab's word: any host, but no redirect into a private network.
	return await start(this, state, trackId, settings.download, extra);
}

/**
 * Starts the execution. Downloads can outlast ModelsLab's 30 s answer window, so with them the
 * answer goes first; the price: should n8n then fail to create the execution, the sender has its
 * 2xx already. Otherwise n8n answers, on n8n 2.x only once the execution exists, with a 5xx
 * when it cannot be created, so a sender that retries is never left with a 2xx for a lost job.
 */
async function start(
	context: IWebhookFunctions,
	state: JobState,
	trackId: string,
	download: DownloadSettings,
	extra: IDataObject,
): Promise<IWebhookResponseData> {
	const answered = context.getResponseObject().headersSent;
	if (answered || (download.enabled && state.output.length > 0)) {
		answer(context, 200, STARTED);
		const item = await callbackItem(context, state, trackId, download, extra);
		return { noWebhookResponse: true, workflowData: [[item]] };
	}
	const item = await callbackItem(context, state, trackId, download, extra);
	return { webhookResponse: STARTED, workflowData: [[item]] };
}

function answer(context: IWebhookFunctions, statusCode: number, body: IDataObject): void {
	const response = context.getResponseObject();
	if (!response.headersSent) response.status(statusCode).json(body);
}

type VerifiedJob =
	{ state: JobState; trackId: string; extra: IDataObject } | { response: IWebhookResponseData };

/**
 * The job as ModelsLab reports it, once it agrees with the callback's claim (jobConfirmation.ts),
 * and once its track id and webhook, or for a Workflows run its execution and workflow ids, show
 * it is this trigger's (callbackOwner.ts). A callback that cannot be read back starts nothing.
 */
async function verifiedJob(
	context: IWebhookFunctions,
	callback: NormalisedCallback,
	settings: TriggerSettings,
	filter: TrackIdFilter,
	answerEarly: () => void,
): Promise<VerifiedJob> {
	const jobRead = verificationRead(callback, settings.endpointFamily);
	if (!jobRead) {
		return {
			response: ignore(
				context,
				'unverifiable',
				`Workflows run ${quote(callback.id)}: the callback names no usable workflow id, so ModelsLab cannot be asked about it`,
			),
		};
	}
	const confirmation = await confirmJob(context, callback, jobRead, answerEarly);
	switch (confirmation.kind) {
		case 'unreadable':
			// The check upstream failed, not the request: a 5xx, so a delivery that is retried can pass.
			return {
				response: refuse(context, {
					statusCode: 502,
					reason: 'verification_failed',
					detail: `could not verify job ${quote(callback.id)} with ModelsLab: ${confirmation.error}`,
				}),
			};
		case 'overloaded':
			return {
				response: refuse(context, {
					statusCode: 503,
					reason: 'busy',
					detail: `too many jobs are being read back already; job ${quote(callback.id)} was not`,
				}),
			};
		case 'gaveUp':
			context.logger.warn(`ModelsLab Trigger: ${confirmation.detail}`);
			return { response: { noWebhookResponse: true } };
		case 'read':
			break;
	}
	const { state } = confirmation;
	const owner = ownershipOf(callback, state.raw, ownWebhookPath(context));
	if (owner.verdict === 'foreign') return { response: ignore(context, 'foreign', owner.detail) };
	if (owner.verdict === 'unconfirmed' && !matchesEveryTrackId(filter)) {
		return {
			response: ignore(
				context,
				'unconfirmed',
				`${owner.detail}, so the Track ID filter cannot be held against it`,
			),
		};
	}
	if (!trackIdMatches(filter, owner.trackId))
		return { response: trackIdFiltered(context, owner.trackId) };
	const status = statusOfPhase(state.phase);
	if (!statusWanted(settings, status)) {
		return {
			response: ignore(
				context,
				'status_filtered',
				`ModelsLab reports job ${quote(state.id)} as "${status}", which is not one of the Statuses this trigger starts on`,
			),
		};
	}
	return {
		state,
		trackId: owner.trackId,
		extra: { verified: true, track_id_verified: owner.trackIdVerified },
	};
}

function trackIdFiltered(context: IWebhookFunctions, trackId: string): IWebhookResponseData {
	return ignore(
		context,
		'track_id_filtered',
		`track_id ${quote(trackId)} does not match the Track ID filter`,
	);
}

function statusFiltered(context: IWebhookFunctions, status: string): IWebhookResponseData {
	return ignore(
		context,
		'status_filtered',
		`status "${status}" is not one of the Statuses this trigger starts on`,
	);
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
		return ignore(
			context,
			'duplicate',
			`job ${quote(id)} with status "${status}" was already handled`,
		);
	}
	// 503: the sender should try again; by then the earlier delivery has an outcome.
	return refuse(context, {
		statusCode: 503,
		reason: 'busy',
		detail: `an earlier delivery of job ${quote(id)} with status "${status}" is still being handled`,
	});
}

/** No dedup for test events ("Listen for test event"): a replayed callback should show up there. */
function dedupFor(context: IWebhookFunctions): DedupRequest | undefined {
	if (context.getMode() === 'manual') return undefined;
	const scope = `${context.getWorkflow().id ?? ''}:${context.getNode().id}`;
	return new DedupRequest(context.getWorkflowStaticData('node'), scope);
}

function stateOf(callback: NormalisedCallback): JobState {
	const { kind, id, phase, output, message, trainingStatus, raw } = callback;
	return { kind, id, phase, output, message, trainingStatus, raw };
}
