import type { IDataObject, NodeApiError } from 'n8n-workflow';

import type { ModelsLabRequestContext } from './context';
import { modelsLabApiError, QueueFullError, SubmitOutcomeUnknownError } from './errors';
import { exchange, type Exchange } from './exchange';
import { isRateLimited, statedWaitSeconds, waitBeforeRetry } from './rateLimit';
import { withoutSecrets } from './redact';
import {
	answerError,
	DEFAULT_RETRY_AFTER_SECONDS,
	exchangeError,
	MAX_RATE_LIMIT_RETRIES,
	notJsonError,
	prepareRequest,
	waitUnlessCancelled,
	type Answer,
	type ApiRequest,
	type PreparedRequest,
} from './request';
import { isObject } from './schemas';

/**
 * The failure policy of submits, after ModelsLab's CLI (docs/modelslab-api.md §4): a submit that
 * certainly created no job is tried again (MAX_RATE_LIMIT_RETRIES times, waiting what ModelsLab
 * asked or 1, 2, 4 s); a submit that may have created one is never repeated here.
 */
type SubmitVerdict =
	| { kind: 'accepted'; body: IDataObject }
	/** No job was created; try again after `wait` (what ModelsLab stated) or the backoff. */
	| { kind: 'retry'; wait?: number; rateLimited: boolean; error: NodeApiError }
	/** HTTP 404: this path is unknown (a renamed path family); the catalog's alternates follow. */
	| { kind: 'pathUnknown'; error: NodeApiError }
	/** The request may have reached ModelsLab; what happened, for the message. */
	| { kind: 'unknown'; what: string }
	/** Refused: no job, and trying again would not change that. */
	| { kind: 'refused'; error: NodeApiError };

/** Gateway errors come from a proxy in front of ModelsLab, which may have passed the request on. */
const GATEWAY_STATUSES = new Set([502, 504]);

function judgeAnswer(
	this: ModelsLabRequestContext,
	request: ApiRequest,
	prepared: PreparedRequest,
	answer: Answer,
): SubmitVerdict {
	const { statusCode, body, headers } = answer;
	const error = (): NodeApiError => answerError.call(this, request, prepared, answer);
	if (isRateLimited(statusCode, body))
		return {
			kind: 'retry',
			wait: statedWaitSeconds(headers, body),
			rateLimited: true,
			error: error(),
		};
	if (statusCode === 404) return { kind: 'pathUnknown', error: error() };
	if (statusCode >= 500) {
		// 503 and ModelsLab's own JSON error (docs/modelslab-api.md §4): the API refused the job.
		const modelsLabError = isObject(body) && body.status === 'error';
		if (statusCode === 503 || (modelsLabError && !GATEWAY_STATUSES.has(statusCode)))
			return {
				kind: 'retry',
				wait: statedWaitSeconds(headers, body),
				rateLimited: false,
				error: error(),
			};
		return {
			kind: 'unknown',
			what: `the outcome of this submit is unknown: it was answered HTTP ${statusCode}${isObject(body) ? '' : ' with a page that is not ModelsLab JSON (a gateway or proxy error)'}`,
		};
	}
	if (statusCode >= 400) return { kind: 'refused', error: error() };
	if (!isObject(body))
		return { kind: 'refused', error: notJsonError.call(this, request, prepared, answer) };
	if (body.status === 'error') return { kind: 'refused', error: error() };
	return { kind: 'accepted', body: withoutSecrets(body) };
}

function judge(
	this: ModelsLabRequestContext,
	request: ApiRequest,
	prepared: PreparedRequest,
	result: Exchange,
): SubmitVerdict {
	switch (result.outcome) {
		case 'answered':
			return judgeAnswer.call(this, request, prepared, result);
		case 'notSent':
			return {
				kind: 'retry',
				rateLimited: false,
				error: exchangeError.call(this, request, prepared, result),
			};
		case 'lost':
			return {
				kind: 'unknown',
				what: result.timedOut
					? `the outcome of this submit is unknown: no answer came within ${Math.round(prepared.call.timeoutMs / 1000)} s after it was sent`
					: `the outcome of this submit is unknown: the connection broke after it was sent (${result.reason})`,
			};
		case 'cancelled':
		case 'redirectRefused':
			return { kind: 'refused', error: exchangeError.call(this, request, prepared, result) };
	}
}

/**
 * The error of a submit whose job may exist: `what` happened, that it is not submitted again, and
 * how to find the job.
 */
export function outcomeUnknownError(
	this: ModelsLabRequestContext,
	request: ApiRequest,
	what: string,
	trackId: string | undefined,
	apiKey?: string,
): SubmitOutcomeUnknownError {
	const findIt = trackId
		? `look for it by its track id "${trackId}" (ModelsLab's dashboard, or the ModelsLab Trigger if its callback reaches one)`
		: "look for it in ModelsLab's dashboard";
	const error = modelsLabApiError(this.getNode(), {
		apiMessage: `${what}. The job may exist and be paid for, so it was not submitted again; ${findIt} before running this item again`,
		itemIndex: request.itemIndex,
		context: request.context,
		apiKey,
	});
	return new SubmitOutcomeUnknownError(error, trackId);
}

type PathOutcome =
	{ kind: 'accepted'; body: IDataObject } | { kind: 'pathUnknown'; error: NodeApiError };

async function submitAt(
	this: ModelsLabRequestContext,
	request: ApiRequest,
	trackId: string | undefined,
): Promise<PathOutcome> {
	const prepared = await prepareRequest.call(this, request);
	const cancelled = () =>
		exchangeError.call(this, request, prepared, { outcome: 'cancelled', reason: '' });
	for (let retry = 0; ; retry++) {
		const result = await exchange.call(this, prepared.call);
		const verdict = judge.call(this, request, prepared, result);
		switch (verdict.kind) {
			case 'accepted':
			case 'pathUnknown':
				return verdict;
			case 'refused':
				throw verdict.error;
			case 'unknown':
				throw outcomeUnknownError.call(
					this,
					request,
					verdict.what,
					trackId,
					prepared.credentials.apiKey,
				);
			case 'retry':
				if (verdict.rateLimited && request.onQueueFull === 'report')
					throw new QueueFullError(verdict.wait ?? DEFAULT_RETRY_AFTER_SECONDS, verdict.error);
				if (retry >= MAX_RATE_LIMIT_RETRIES) throw verdict.error;
				await waitUnlessCancelled(
					waitBeforeRetry(verdict.wait, retry),
					prepared.call.cancelSignal,
					cancelled,
				);
		}
	}
}

/**
 * Submits one job at `request.path`, then at each of `alternatePaths` while the path before
 * answers HTTP 404. Returns ModelsLab's answer (HTTP 2xx, a JSON object, not an error). Throws
 * QueueFullError (rate limited, `onQueueFull: 'report'`), SubmitOutcomeUnknownError (the job may
 * exist), or the NodeApiError of a refused submit.
 */
export async function submitRequest(
	this: ModelsLabRequestContext,
	request: ApiRequest,
	options: { alternatePaths?: readonly string[]; trackId?: string } = {},
): Promise<IDataObject> {
	let firstUnknownPath: NodeApiError | undefined;
	for (const path of [request.path, ...(options.alternatePaths ?? [])]) {
		const outcome = await submitAt.call(this, { ...request, path }, options.trackId);
		if (outcome.kind === 'accepted') return outcome.body;
		firstUnknownPath ??= outcome.error;
	}
	throw firstUnknownPath as NodeApiError;
}
