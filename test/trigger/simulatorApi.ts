import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import type { Simulator } from '../simulator';
import type { FakeApi } from '../support/mockContexts';

/**
 * The trigger's ModelsLab requests sent to the simulator over real HTTP, with the key where the
 * credential puts it (body field and header `key`, credentials/ModelsLabApi.credentials.ts), in
 * the FakeApi form triggerContext.ts takes. Paths in `calls` are relative to the Base URL.
 */
export function simulatorApi(sim: Simulator): FakeApi {
	const calls: FakeApi['calls'] = [];
	const send = async (options: IHttpRequestOptions) => {
		const method = String(options.method ?? 'GET');
		const body = method === 'POST' ? { ...((options.body as IDataObject) ?? {}) } : undefined;
		if (body) body.key = sim.apiKey;
		calls.push({ method, path: options.url.replace(sim.baseUrl, ''), body: body ?? {} });
		const response = await fetch(options.url, {
			method,
			redirect: 'manual',
			headers: { key: sim.apiKey, 'content-type': 'application/json' },
			...(body ? { body: JSON.stringify(body) } : {}),
		});
		const text = await response.text();
		return {
			statusCode: response.status,
			body: parsed(text),
			headers: Object.fromEntries(response.headers.entries()),
		};
	};
	return {
		calls,
		httpRequestWithAuthentication: jest.fn(async (_type: string, options: IHttpRequestOptions) =>
			send(options),
		),
		httpRequest: jest.fn(send),
		wakeUps: [],
	};
}

function parsed(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

/** Starts a Workflows run at the simulator (`POST /v1/workflows/{workflow_id}/run`); its execution id. */
export async function runWorkflow(sim: Simulator, workflowId: string): Promise<string> {
	const response = await fetch(`${sim.baseUrl}/v1/workflows/${workflowId}/run`, {
		method: 'POST',
		headers: { key: sim.apiKey, 'content-type': 'application/json' },
		body: JSON.stringify({ prompt: 'A sunset' }),
	});
	const answer = (await response.json()) as { execution_id?: number };
	if (response.status !== 202 || answer.execution_id === undefined)
		throw new Error(`the run was not started: HTTP ${response.status} ${JSON.stringify(answer)}`);
	return String(answer.execution_id);
}
