import {
	fromParameter,
	webhookDescriptionFields,
	type IWebhookDescription,
	type IWebhookFunctions,
} from 'n8n-workflow';

const PATH_TEMPLATE = '={{$parameter["path"]}}';

/**
 * The trigger webhook's `path` field, read from the Path parameter. n8n-workflow 2.x can declare
 * a native resolver next to the template, so n8n finds the path of a node with static parameters
 * without its expression engine: with `N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true` a callback the
 * trigger ignores then costs no expression isolate. n8n 1.x lacks the helpers and evaluates the
 * same template.
 */
export function webhookPathField(): Pick<IWebhookDescription, 'path'> {
	// The helpers are absent from n8n-workflow 1.x, where these imports are undefined at run time.
	if (typeof webhookDescriptionFields !== 'function' || typeof fromParameter !== 'function')
		return { path: PATH_TEMPLATE };
	return webhookDescriptionFields({ path: fromParameter('path') });
}

/**
 * The path this trigger is called at, after n8n's `/webhook/` (or `/webhook-test/`): its Path, or
 * with none its node's webhook id, as n8n builds it for a full-path webhook.
 */
export function ownWebhookPath(
	context: Pick<IWebhookFunctions, 'getNode' | 'getNodeParameter'>,
): string {
	const path = String(context.getNodeParameter('path', '') ?? '').replace(/^\/+/, '');
	return path || (context.getNode().webhookId ?? '');
}
