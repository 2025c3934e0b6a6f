/**
 * What every submit goes through before a job exists: the key, the body rules and the planned
 * rejections (429, HTTP-200 error, other HTTP errors).
 */
import type { IncomingHttpHeaders } from 'node:http';

import type { SimContext } from './context';
import { rateLimitReply } from './quirks';
import { apiError, gatewayPage, json, type ErrorField, type Reply } from './replies';
import type { JobBehaviour, JsonObject } from './types';

export interface IncomingCall {
	method: string;
	/** Path without query, e.g. `/api/v6/images/text2img`. */
	path: string;
	headers: IncomingHttpHeaders;
	/** The query string, unredacted. */
	query: URLSearchParams;
	/** Parsed JSON object body; undefined when the request had none. */
	body: JsonObject | undefined;
}

export const INVALID_KEY = 'Invalid API key';

/** The 429 text of §4; `limit` is the account's queue size (5 on pay-as-you-go). */
export function rateLimitMessage(limit: number): string {
	return `Rate limit exceeded. Maximum ${limit} queued requests allowed.`;
}

/** What a planned `rateLimit` answers: the documented pay-as-you-go text. */
export const RATE_LIMIT_MESSAGE = rateLimitMessage(5);

/** v3-v6 endpoints take the key as the JSON body field `key` (§1); a header alone is not enough. */
export function checkBodyKey(
	ctx: SimContext,
	call: IncomingCall,
	field: ErrorField = 'message',
): Reply | undefined {
	return call.body?.key === ctx.apiKey
		? undefined
		: apiError(INVALID_KEY, { httpStatus: 401, field });
}

/** The Workflows API takes the key in a request header named `key` (§3.7). */
export function checkHeaderKey(ctx: SimContext, call: IncomingCall): Reply | undefined {
	return call.headers.key === ctx.apiKey ? undefined : apiError(INVALID_KEY, { httpStatus: 401 });
}

/** The model search endpoints take the key as the query parameter `key` (§3.8). */
export function checkQueryKey(ctx: SimContext, call: IncomingCall): Reply | undefined {
	return call.query.get('key') === ctx.apiKey
		? undefined
		: apiError(INVALID_KEY, { httpStatus: 401 });
}

export type Admission = { reply: Reply; rateLimited?: true } | { behaviour: JobBehaviour };

export interface AdmissionRules {
	/** The body's first rule violation, if any. */
	problem: string | undefined;
	errorField: ErrorField;
	/** HTTP status of a validation error: 200 for v3-v6 (§4), 422 for Workflows (§3.7). */
	validationStatus: number;
	/** Extra fields of a validation error body (training errors carry `code`). */
	validationExtra?: JsonObject;
	/** The job would take a place in the account queue (generation, training; §7). */
	takesQueuePlace: boolean;
}

/** Validation, then the queue limit, then the plan; counts accepted and rate-limited submits. */
export function admitSubmit(ctx: SimContext, body: JsonObject, rules: AdmissionRules): Admission {
	const admission = decideAdmission(ctx, body, rules);
	if ('behaviour' in admission) ctx.counters.accepted++;
	else if (admission.rateLimited) ctx.counters.rateLimited++;
	return admission;
}

function decideAdmission(ctx: SimContext, body: JsonObject, rules: AdmissionRules): Admission {
	if (rules.problem !== undefined) {
		return {
			reply: apiError(rules.problem, {
				httpStatus: rules.validationStatus,
				field: rules.errorField,
				extra: rules.validationExtra,
			}),
		};
	}
	// Checked before the plan, so a submit the queue turns away does not use up a planned entry.
	const { limit, retryAfterSeconds } = ctx.queue;
	if (rules.takesQueuePlace && limit !== undefined && ctx.jobs.runningCount() >= limit)
		return { reply: rateLimitReply(rateLimitMessage(limit), retryAfterSeconds), rateLimited: true };
	const decision = ctx.planner.decide(body);
	switch (decision.kind) {
		case 'accept':
			return { behaviour: decision.behaviour };
		case 'rateLimited':
			return {
				reply: rateLimitReply(RATE_LIMIT_MESSAGE, decision.retryAfter, decision.form),
				rateLimited: true,
			};
		case 'http200Error':
			// The legacy spelling by default, on purpose: clients must read both (§4).
			return {
				reply: json(200, { status: 'error', [decision.field ?? 'messege']: decision.text }),
			};
		case 'httpError':
			return {
				reply: json(decision.status, {
					status: 'error',
					[decision.field ?? rules.errorField]: decision.message,
				}),
			};
		case 'gatewayError':
			return { reply: gatewayPage(decision.status) };
	}
}

/** The submitted body as recorded on the job: everything but the key. */
export function withoutKey(body: JsonObject): JsonObject {
	return Object.fromEntries(Object.entries(body).filter(([name]) => name !== 'key'));
}
