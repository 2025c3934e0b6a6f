import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/** A request refused before anything starts; the sender learns why. */
export interface Refusal {
	statusCode: number;
	error: string;
}

/**
 * Answers with an error status. n8n's own answer for a trigger is always the webhook's fixed
 * response code, so other codes go through the response object, with `noWebhookResponse`.
 */
export function refuse(context: IWebhookFunctions, refusal: Refusal): IWebhookResponseData {
	const response = context.getResponseObject();
	if (!response.headersSent)
		response.status(refusal.statusCode).json({ received: false, error: refusal.error });
	return { noWebhookResponse: true };
}

/** A genuine-looking callback that starts nothing: 2xx, so ModelsLab does not send it again. */
export function ignore(reason: string): IWebhookResponseData {
	return { webhookResponse: { received: true, ignored: true, reason } };
}

/** Quotes caller-supplied text in a reason without echoing a megabyte back. */
export function quote(text: string, max = 80): string {
	return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
