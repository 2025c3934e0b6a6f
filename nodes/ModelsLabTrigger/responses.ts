import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/**
 * Why a request was refused or ignored. Whoever sends a callback has proven nothing (ModelsLab does
 * not sign them), so the answer names only one of these codes; the details go to n8n's log.
 */
export type RefusalReason =
	| 'method_not_allowed'
	| 'too_large'
	| 'token_missing'
	| 'token_wrong'
	| 'unreadable_body'
	| 'empty_body'
	| 'invalid_json'
	| 'not_an_object'
	| 'not_a_callback'
	| 'misconfigured'
	| 'verification_failed'
	| 'busy'
	| 'internal_error';

export type IgnoreReason =
	| 'unusable_callback'
	| 'track_id_filtered'
	| 'status_filtered'
	| 'duplicate'
	/** ModelsLab's answer names another track id, or a webhook that is not this trigger's. */
	| 'foreign'
	/** ModelsLab's answer cannot tell whose job it is, and the Track ID filter needs to know. */
	| 'unconfirmed'
	/** Verify is on, and the callback names nothing to read its job by (a Workflows run, no workflow id). */
	| 'unverifiable';

/** A request refused before anything starts. */
export interface Refusal {
	statusCode: number;
	reason: RefusalReason;
	/** For n8n's log only: never in the answer. Caller-supplied text in it goes through quote(). */
	detail: string;
}

/**
 * Answers with an error status: `{ received: false, error: "refused", reason }`. n8n's own answer
 * for a trigger is always the webhook's fixed response code, so other codes go through the
 * response object, with `noWebhookResponse`. Server-side trouble is logged as a warning, what a
 * stranger sends only at debug level, so nobody can flood the log.
 */
export function refuse(context: IWebhookFunctions, refusal: Refusal): IWebhookResponseData {
	const line = `ModelsLab Trigger refused a request (${refusal.statusCode} ${refusal.reason}): ${refusal.detail}`;
	if (refusal.statusCode >= 500) context.logger.warn(line);
	else context.logger.debug(line);
	const response = context.getResponseObject();
	if (!response.headersSent)
		response
			.status(refusal.statusCode)
			.json({ received: false, error: 'refused', reason: refusal.reason });
	return { noWebhookResponse: true };
}

/** A genuine-looking callback that starts nothing: 2xx, so ModelsLab does not send it again. */
export function ignore(
	context: IWebhookFunctions,
	reason: IgnoreReason,
	detail: string,
): IWebhookResponseData {
	// A foreign callback passed the secret but not ModelsLab's word: worth an operator's look.
	const line = `ModelsLab Trigger ignored a callback (${reason}): ${detail}`;
	if (reason === 'foreign') context.logger.warn(line);
	else context.logger.debug(line);
	return { webhookResponse: { received: true, ignored: true, reason } };
}

/** Quotes caller-supplied text in a log line without copying a megabyte into it. */
export function quote(text: string, max = 80): string {
	return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
