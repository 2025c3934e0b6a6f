import type { IDataObject } from 'n8n-workflow';

import type { ModelsLabRequestContext } from './context';
import { JobNotFoundError, ReadFailedError } from './errors';
import { exchange } from './exchange';
import { saysNotFound } from './jobAnswers';
import { isRateLimited, statedWaitSeconds } from './rateLimit';
import { withoutSecrets } from './redact';
import {
	answerError,
	answerMessage,
	exchangeError,
	notJsonError,
	prepareRequest,
	type ApiRequest,
} from './request';
import { isObject } from './schemas';

/** Statuses that pass: a request timeout, too early, and every 5xx. */
function isTransient(statusCode: number): boolean {
	return statusCode === 408 || statusCode === 425 || statusCode >= 500;
}

/**
 * One read of a job, once, no retries: the caller schedules the next read. Returns the answer
 * when it is an HTTP 2xx JSON object (a `{status: "error"}` body included: what it means is the
 * job's business, see jobAnswers.ts `fetchedState`). Throws
 * - JobNotFoundError: HTTP 404, or an HTTP 4xx that says the request is unknown;
 * - ReadFailedError: network error, timeout, HTTP 5xx, a rate limit (with ModelsLab's wait), an
 *   answer that is not a JSON object;
 * - NodeApiError: anything else (a wrong key, a redirect to another origin, a cancelled execution).
 */
export async function readRequest(
	this: ModelsLabRequestContext,
	request: ApiRequest,
	jobId?: string,
): Promise<IDataObject> {
	const prepared = await prepareRequest.call(this, request);
	const result = await exchange.call(this, prepared.call);
	if (result.outcome === 'notSent' || result.outcome === 'lost')
		throw new ReadFailedError(exchangeError.call(this, request, prepared, result));
	if (result.outcome !== 'answered') throw exchangeError.call(this, request, prepared, result);

	const { statusCode, body, headers } = result;
	const error = (): ReturnType<typeof answerError> =>
		answerError.call(this, request, prepared, result);
	if (isRateLimited(statusCode, body))
		throw new ReadFailedError(error(), statedWaitSeconds(headers, body));
	if (statusCode === 404) throw new JobNotFoundError(error());
	if (isTransient(statusCode)) throw new ReadFailedError(error(), statedWaitSeconds(headers, body));
	if (statusCode >= 400) {
		if (saysNotFound(answerMessage(body), jobId)) throw new JobNotFoundError(error());
		throw error();
	}
	if (!isObject(body))
		throw new ReadFailedError(notJsonError.call(this, request, prepared, result));
	return withoutSecrets(body);
}
