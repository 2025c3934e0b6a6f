// Creating, activating and starting workflows over n8n's public API and real HTTP.
import { http, type Workflow, type WorkflowInput } from '../../../scripts/n8n';
import type { HttpResponse } from '../../../scripts/n8n/http';
import type { ScenarioTrace } from './report';
import type { E2eStack } from './stack';

/** Creates and activates (1.x) / publishes (2.x) a workflow; waits until its webhook answers at stack.webhookBase. */
export async function deploy(
	stack: E2eStack,
	wf: { input: WorkflowInput; path: string },
	trace: ScenarioTrace,
): Promise<Workflow> {
	const created = await stack.n8n.api.createWorkflow(wf.input);
	trace.workflow = created;
	await stack.n8n.api.activateWorkflow(created.id, { webhookPaths: [wf.path], timeoutMs: 30_000 });
	return created;
}

/** POSTs to a production webhook (at stack.webhookBase: the webhook processor in queue mode); `raw` sends the body as given (string or Buffer). */
export function postWebhook(
	stack: E2eStack,
	path: string,
	body: unknown,
	o: { query?: string; contentType?: string; raw?: boolean } = {},
): Promise<HttpResponse> {
	const url = `${stack.webhookBase}/webhook/${path}${o.query ? `?${o.query}` : ''}`;
	const payload = o.raw ? body : JSON.stringify(body);
	return http({
		method: 'POST',
		url,
		body: payload,
		headers: { 'content-type': o.contentType ?? 'application/json' },
	});
}
