import { mock } from 'jest-mock-extended';
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	IWebhookFunctions,
} from 'n8n-workflow';

import { fakeResponse, type ResponseSpy } from './responseSpy';

export const API_KEY = 'sk-unit-test-4f1c9e';
export const BASE_URL = 'https://modelslab.test/api';
export const TINY_PNG = Buffer.from(
	'89504e470d0a1a0a0000000d4948445200000001000000010806000000',
	'hex',
);
/** n8n 2.14+: the resume URL carries n8n's own token. */
export const RESUME_URL = 'https://n8n.test/webhook-waiting/77?signature=abc123';
/** n8n 1.x: no token; the callback tag is all that authenticates a callback. */
export const UNSIGNED_RESUME_URL = 'https://n8n.test/webhook-waiting/77';

/** A scripted ModelsLab: answers each authenticated request; records them with their bodies. */
export type ApiResponder = (request: { method: string; path: string; body: IDataObject }) => {
	statusCode?: number;
	body: unknown;
};

export interface FakeApi {
	calls: Array<{ method: string; path: string; body: IDataObject }>;
	httpRequestWithAuthentication: jest.Mock;
}

export function fakeApi(respond: ApiResponder): FakeApi {
	const calls: FakeApi['calls'] = [];
	const httpRequestWithAuthentication = jest.fn(
		async (_type: string, options: IHttpRequestOptions) => {
			const path = options.url.replace(BASE_URL, '');
			const body = { ...((options.body as IDataObject) ?? {}), key: API_KEY };
			calls.push({ method: String(options.method), path, body });
			const answer = respond({ method: String(options.method), path, body });
			return { statusCode: answer.statusCode ?? 200, body: answer.body, headers: {} };
		},
	);
	return { calls, httpRequestWithAuthentication };
}

export function testNode(parameters: Record<string, unknown>, extra: Partial<INode> = {}): INode {
	return {
		id: '5f2b7c1e-9d3a-4e8b-a6c2-1b2c3d4e5f60',
		name: 'ModelsLab Image',
		type: 'n8n-nodes-modelslab.modelsLabImage',
		typeVersion: 1,
		position: [0, 0],
		parameters,
		...extra,
	} as INode;
}

/** The execution's custom data, shared by the execute and webhook mocks of one "execution". */
export class CustomDataStore {
	readonly values = new Map<string, string>();
	set = (key: string, value: string): void => void this.values.set(key, value);
	get = (key: string): string | undefined => this.values.get(key);
}

export interface ExecuteMockOptions {
	node: INode;
	items: IDataObject[];
	/** Parameter values; a function gets the item index (expressions). */
	parameters: Record<string, unknown>;
	api: FakeApi;
	customData?: CustomDataStore;
	continueOnFail?: boolean;
	canWait?: boolean;
	/** Resume claims are per execution, so each simulated execution gets its own id. */
	executionId?: string;
	/** `$execution.resumeUrl`; default RESUME_URL (signed, as n8n 2.14+ makes it). */
	resumeUrl?: string;
}

export function executeContext(
	options: ExecuteMockOptions,
): jest.Mocked<IExecuteFunctions> & { customData: CustomDataStore } {
	const context = mock<IExecuteFunctions>();
	const customData = options.customData ?? new CustomDataStore();
	context.getNode.mockReturnValue(options.node);
	context.getInputData.mockReturnValue(options.items.map((json): INodeExecutionData => ({ json })));
	context.getExecutionId.mockReturnValue(options.executionId ?? '77');
	context.continueOnFail.mockReturnValue(options.continueOnFail ?? false);
	context.getCredentials.mockResolvedValue({ apiKey: API_KEY, baseUrl: BASE_URL });
	context.getWorkflowDataProxy.mockReturnValue({
		$execution: { resumeUrl: options.resumeUrl ?? RESUME_URL },
	} as never);
	context.getExecutionCancelSignal.mockReturnValue(undefined);
	context.getNodeParameter.mockImplementation(((
		name: string,
		itemIndex: number,
		fallback?: unknown,
	) => {
		const value = options.parameters[name];
		if (typeof value === 'function') return (value as (i: number) => unknown)(itemIndex);
		return value === undefined ? fallback : value;
	}) as IExecuteFunctions['getNodeParameter']);
	context.putExecutionToWait.mockResolvedValue(undefined);
	if (options.canWait === false)
		(context as unknown as { putExecutionToWait: undefined }).putExecutionToWait = undefined;
	Object.assign(context, {
		customData,
		helpers: {
			httpRequestWithAuthentication: options.api.httpRequestWithAuthentication,
			httpRequest: jest.fn(),
			prepareBinaryData: jest.fn(async (data: Buffer, fileName?: string, mimeType?: string) => ({
				data: data.toString('base64'),
				fileName,
				mimeType,
			})),
		},
	});
	return context as unknown as jest.Mocked<IExecuteFunctions> & { customData: CustomDataStore };
}

export interface WebhookMockOptions {
	node: INode;
	body: unknown;
	query: IDataObject;
	api: FakeApi;
	customData: CustomDataStore;
	parameters?: Record<string, unknown>;
	executionId?: string;
}

export function webhookContext(options: WebhookMockOptions): {
	context: jest.Mocked<IWebhookFunctions>;
	response: ResponseSpy;
	runExecutionData: {
		executionData: { nodeExecutionStack: Array<{ metadata?: IDataObject }> };
		resultData: IDataObject;
	};
} {
	const context = mock<IWebhookFunctions>();
	const response: ResponseSpy = {};
	const runExecutionData = {
		executionData: { nodeExecutionStack: [{ metadata: {} as IDataObject }] },
		resultData: {} as IDataObject,
	};
	const responseObject = fakeResponse(response);
	context.getNode.mockReturnValue(options.node);
	context.getExecutionId.mockReturnValue(options.executionId ?? '77');
	context.getCredentials.mockResolvedValue({ apiKey: API_KEY, baseUrl: BASE_URL });
	context.getBodyData.mockReturnValue(options.body as IDataObject);
	context.getQueryData.mockReturnValue(options.query);
	context.getResponseObject.mockReturnValue(responseObject as never);
	context.getNodeParameter.mockImplementation(
		((name: string, fallback?: unknown) =>
			options.parameters?.[name] ?? fallback) as IWebhookFunctions['getNodeParameter'],
	);
	context.evaluateExpression.mockImplementation((expression: string) => expression);
	Object.assign(context, {
		customData: options.customData,
		runExecutionData,
		helpers: {
			httpRequestWithAuthentication: options.api.httpRequestWithAuthentication,
			// Output files: a tiny PNG for every URL.
			httpRequest: jest.fn(async () => ({
				statusCode: 200,
				body: TINY_PNG,
				headers: { 'content-type': 'image/png', 'content-length': String(TINY_PNG.length) },
			})),
			prepareBinaryData: jest.fn(async (data: Buffer, fileName?: string, mimeType?: string) => ({
				data: data.toString('base64'),
				fileName,
				mimeType,
			})),
		},
	});
	return { context, response, runExecutionData };
}
