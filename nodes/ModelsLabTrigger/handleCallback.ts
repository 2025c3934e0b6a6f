import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { parseCallback, type NormalisedCallback } from '../shared/transport/callbackPayload';
import { statusOfPhase, type JobState } from '../shared/transport/jobState';
import { callbackItem } from './callbackItem';
import { CallbackDedup, dedupKey } from './callbackDedup';
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
 * handled before starts one.
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
	const claimed: string[] = [];
	const claim = (key: string): boolean => {
		if (!dedup || claimed.includes(key)) return true;
		if (!dedup.claim(key)) return false;
		claimed.push(key);
		return true;
	};
	let handedOver = false;
	try {
		if (!claim(dedupKey(callback))) return duplicate(callback.id, callback.status);

		let state = stateOf(callback);
		const extra: IDataObject = {};
		if (settings.verify) {
			const verification = await verify(this, callback, settings);
			if ('response' in verification) return verification.response;
			state = verification.state ?? state;
			extra.verified = verification.state !== undefined;
			const status = statusOfPhase(state.phase);
			if (!claim(dedupKey({ ...state, status }))) return duplicate(state.id, status);
		}
		dedup?.remember(claimed);
		handedOver = true;

		// Answered here, not through `webhookResponse`, for two reasons: downloads can outlast
		// ModelsLab's 30 s answer window; and n8n 2.x defers an `onReceived` answer until the
		// execution has been created, which resets the "static data changed" flag first, so the
		// seen keys would never be saved. n8n checks that flag when it is told of the answer.
		this.getResponseObject().status(200).json(STARTED);
		// Files are fetched from URLs the callback names: unless ModelsLab confirmed the job, only
		// from its own output hosts, or anyone who knows the URL chooses what n8n downloads.
		const download =
			extra.verified === true
				? settings.download
				: { ...settings.download, allowedHosts: settings.outputHosts };
		const item = await callbackItem(this, state, callback.trackId, download, extra);
		return { noWebhookResponse: true, workflowData: [[item]] };
	} finally {
		// A callback that started nothing leaves its claims free for the next delivery.
		if (!handedOver) for (const key of claimed) dedup?.release(key);
	}
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
function dedupFor(context: IWebhookFunctions): CallbackDedup | undefined {
	if (context.getMode() === 'manual') return undefined;
	const scope = `${context.getWorkflow().id ?? ''}:${context.getNode().id}`;
	return new CallbackDedup(context.getWorkflowStaticData('node'), scope);
}

function duplicate(id: string, status: string): IWebhookResponseData {
	return ignore(`duplicate: job ${quote(id)} with status "${status}" was already handled`);
}

function stateOf(callback: NormalisedCallback): JobState {
	const { kind, id, phase, output, message, trainingStatus, raw } = callback;
	return { kind, id, phase, output, message, trainingStatus, raw };
}
