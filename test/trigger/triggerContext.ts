import { mock } from 'jest-mock-extended';
import type {
	IDataObject,
	IHookFunctions,
	INode,
	IWebhookFunctions,
	IWebhookResponseData,
	Logger,
} from 'n8n-workflow';

import { ModelsLabTrigger } from '../../nodes/ModelsLabTrigger/ModelsLabTrigger.node';
import { API_KEY, BASE_URL, TINY_PNG, fakeApi, type FakeApi } from '../support/mockContexts';
import { fakeResponse, type FakeResponse, type ResponseSpy } from '../support/responseSpy';

/** What one HTTP request to the trigger carries. */
export interface TriggerRequest {
	/** What n8n's body parsing left in `req.body` (object for JSON, string for text/plain, undefined otherwise). */
	body?: unknown;
	rawBody?: string | Buffer;
	/** Node version 1.1 and an unparsed content type: n8n left these bytes for `req.readRawBody()`; an Error makes reading fail. */
	unread?: string | Error;
	method?: string;
	headers?: Record<string, string>;
	query?: IDataObject;
}

/** The node's configuration and the n8n process around it. */
export interface TriggerSetup {
	parameters?: Record<string, unknown>;
	/** The node's static data as this request loaded it; the test keeps the reference to inspect it. */
	staticData?: IDataObject;
	api?: FakeApi;
	mode?: 'webhook' | 'manual';
	withCredential?: boolean;
	/** Fields of the ModelsLab credential beyond key and Base URL (Trigger Secret, Output Hosts). */
	credentialData?: IDataObject;
	workflowId?: string;
	/** Answers of the file host used by downloads. */
	fileResponse?: () => { statusCode: number; body: Buffer; headers: IDataObject };
	/**
	 * What n8n makes of a started callback: it creates the execution and answers 200, or cannot
	 * (a locked database) and answers 500 without saving static data. Default: it can.
	 */
	executionStart?: 'succeeds' | 'fails';
}

export type { ResponseSpy };

export interface TriggerCall {
	context: jest.Mocked<IWebhookFunctions>;
	response: ResponseSpy;
	responseObject: FakeResponse;
	logger: { error: jest.Mock; warn: jest.Mock; info: jest.Mock; debug: jest.Mock };
	httpRequest: jest.Mock;
	prepareBinaryData: jest.Mock;
}

export const DEFAULT_PARAMETERS: Record<string, unknown> = {
	path: 'modelslab',
	trackId: '',
	statuses: ['success', 'failed'],
	options: {},
};

let workflowCounter = 0;
/** A workflow id no other test uses, so the process-wide claims of one test never reach another. */
export function freshWorkflowId(): string {
	return `wf-${++workflowCounter}`;
}

export function triggerNode(parameters: Record<string, unknown>, withCredential: boolean): INode {
	return {
		id: 'a1b2c3d4-0000-4000-8000-000000000001',
		name: 'ModelsLab Trigger',
		type: 'n8n-nodes-modelslab.modelsLabTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters,
		...(withCredential
			? { credentials: { modelsLabApi: { id: 'cred-1', name: 'ModelsLab account' } } }
			: {}),
	} as INode;
}

export function triggerContext(setup: TriggerSetup, request: TriggerRequest): TriggerCall {
	const parameters = { ...DEFAULT_PARAMETERS, ...(setup.parameters ?? {}) };
	const context = mock<IWebhookFunctions>();
	const response: ResponseSpy = {};
	const responseObject = fakeResponse(response);
	const rawBody =
		request.rawBody === undefined
			? undefined
			: Buffer.isBuffer(request.rawBody)
				? request.rawBody
				: Buffer.from(request.rawBody);
	const staticData = setup.staticData ?? {};
	const api =
		setup.api ??
		fakeApi(() => ({
			statusCode: 500,
			body: { status: 'error', message: 'no API expected in this test' },
		}));
	const logger = { error: jest.fn(), warn: jest.fn(), info: jest.fn(), debug: jest.fn() };
	const httpRequest = jest.fn(async () => {
		const file = setup.fileResponse?.() ?? {
			statusCode: 200,
			body: TINY_PNG,
			headers: { 'content-type': 'image/png', 'content-length': String(TINY_PNG.length) },
		};
		return file;
	});
	const prepareBinaryData = jest.fn(async (data: Buffer, fileName?: string, mimeType?: string) => ({
		data: data.toString('base64'),
		fileName,
		mimeType,
	}));

	context.getMode.mockReturnValue(setup.mode ?? 'webhook');
	context.getNode.mockReturnValue(triggerNode(parameters, setup.withCredential ?? false));
	context.getWorkflow.mockReturnValue({
		id: setup.workflowId ?? freshWorkflowId(),
		name: 'callbacks',
		active: true,
	});
	context.getWorkflowStaticData.mockReturnValue(staticData);
	context.getNodeParameter.mockImplementation(
		((name: string, fallback?: unknown) =>
			parameters[name] ?? fallback) as IWebhookFunctions['getNodeParameter'],
	);
	context.getBodyData.mockReturnValue(request.body as IDataObject);
	context.getHeaderData.mockReturnValue(request.headers ?? {});
	context.getQueryData.mockReturnValue(request.query ?? {});
	const requestObject: { method: string; rawBody?: Buffer; readRawBody: () => Promise<void> } = {
		method: request.method ?? 'POST',
		rawBody,
		readRawBody: async () => {
			if (request.unread instanceof Error) throw request.unread;
			if (request.unread !== undefined && !requestObject.rawBody)
				requestObject.rawBody = Buffer.from(request.unread);
		},
	};
	context.getRequestObject.mockReturnValue(requestObject as never);
	context.getResponseObject.mockReturnValue(responseObject as never);
	context.getCredentials.mockResolvedValue({
		apiKey: API_KEY,
		baseUrl: BASE_URL,
		...setup.credentialData,
	});
	Object.assign(context, {
		logger: logger as unknown as Logger,
		helpers: {
			httpRequestWithAuthentication: api.httpRequestWithAuthentication,
			httpRequest,
			prepareBinaryData,
		},
	});
	return { context, response, responseObject, logger, httpRequest, prepareBinaryData };
}

/** A JSON callback as n8n hands it to the node (`application/json`: parsed body and raw bytes). */
export function jsonRequest(body: unknown, extra: Partial<TriggerRequest> = {}): TriggerRequest {
	const text = JSON.stringify(body);
	return {
		body,
		rawBody: text,
		headers: {
			'content-type': 'application/json',
			'content-length': String(Buffer.byteLength(text)),
		},
		...extra,
	};
}

export interface TriggerOutcome {
	result: IWebhookResponseData;
	call: TriggerCall;
	/** Whether n8n would start an execution (and could: see `executionStart`). */
	started: boolean;
	/** Whether n8n saves the static data this request changed: not when it answers with an error. */
	staticDataSaved: boolean;
	/** The status code and body the caller gets. */
	statusCode: number;
	answer: unknown;
}

/**
 * Runs `webhook()` once and answers the way n8n 2.x's executeWebhook does: unless the node
 * answered itself, n8n answers after it created the execution (or failed to), through `end()`.
 */
export async function deliver(
	setup: TriggerSetup,
	request: TriggerRequest,
	node = new ModelsLabTrigger(),
): Promise<TriggerOutcome> {
	const call = triggerContext(setup, request);
	const result = await node.webhook.call(call.context);
	const answeredDirectly = result.noWebhookResponse === true;
	const wantsStart = result.workflowData !== undefined;
	const startFails = wantsStart && setup.executionStart === 'fails';
	if (!answeredDirectly) {
		const body = startFails
			? { code: 0, message: 'There was a problem executing the workflow' }
			: (result.webhookResponse ?? { message: 'Webhook call received' });
		call.responseObject.status(startFails ? 500 : 200).json(body);
	}
	return {
		result,
		call,
		started: wantsStart && !startFails,
		staticDataSaved: !startFails,
		statusCode: call.response.statusCode ?? -1,
		answer: call.response.body,
	};
}

export function firstItemJson(outcome: TriggerOutcome): IDataObject {
	const json = outcome.result.workflowData?.[0]?.[0]?.json;
	if (!json) throw new Error(`no execution started: ${JSON.stringify(outcome.answer)}`);
	return json;
}

/** An activation-hook context for `webhookMethods.default.*`. */
export function hookContext(
	parameters: Record<string, unknown>,
	withCredential = false,
): jest.Mocked<IHookFunctions> {
	const all = { ...DEFAULT_PARAMETERS, ...parameters };
	const context = mock<IHookFunctions>();
	const logger = { error: jest.fn(), warn: jest.fn(), info: jest.fn(), debug: jest.fn() };
	Object.assign(context, { logger: logger as unknown as Logger });
	context.getNode.mockReturnValue(triggerNode(all, withCredential));
	context.getNodeParameter.mockImplementation(
		((name: string, fallback?: unknown) =>
			all[name] ?? fallback) as IHookFunctions['getNodeParameter'],
	);
	return context;
}
