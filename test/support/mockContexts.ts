import { mock } from 'jest-mock-extended';
import type {
	IBinaryKeyData,
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
	/**
	 * n8n's unauthenticated helper: ModelsLab requests that carry the key themselves (background
	 * work after a callback was answered), output file downloads (a tiny PNG for every URL), and
	 * the node's own wake-up requests to its callback URL (recorded in `wakeUps`).
	 */
	httpRequest: jest.Mock;
	wakeUps: string[];
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
	const wakeUps: string[] = [];
	const httpRequest = jest.fn(async (options: IHttpRequestOptions) => {
		if (options.url.startsWith(BASE_URL)) {
			const path = options.url.replace(BASE_URL, '');
			const body = { ...((options.body as IDataObject) ?? {}) };
			if (body.key !== API_KEY)
				return { statusCode: 401, body: { status: 'error', message: 'Invalid key' }, headers: {} };
			calls.push({ method: String(options.method), path, body });
			const answer = respond({ method: String(options.method), path, body });
			return { statusCode: answer.statusCode ?? 200, body: answer.body, headers: {} };
		}
		if (options.url.includes('/webhook-waiting/')) {
			wakeUps.push(options.url);
			return { received: true };
		}
		return {
			statusCode: 200,
			body: TINY_PNG,
			headers: { 'content-type': 'image/png', 'content-length': String(TINY_PNG.length) },
		};
	});
	return { calls, httpRequestWithAuthentication, httpRequest, wakeUps };
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

/**
 * The execution's custom data, shared by the execute and webhook mocks of one "execution", with
 * n8n's limits (docs/n8n-internals.md §6.1): 10 keys, values cut at 512 characters, writes past
 * the key limit dropped without an error (production mode).
 */
export class CustomDataStore {
	static readonly MAX_KEYS = 10;
	static readonly MAX_VALUE_LENGTH = 512;
	readonly values = new Map<string, string>();
	/** Values n8n would log an error line for (over 255 characters). */
	readonly loggedTooLong: string[] = [];
	set = (key: string, value: string): void => {
		if (!this.values.has(key) && this.values.size >= CustomDataStore.MAX_KEYS) return;
		if (value.length > 255) this.loggedTooLong.push(key);
		this.values.set(key, value.slice(0, CustomDataStore.MAX_VALUE_LENGTH));
	};
	get = (key: string): string | undefined => this.values.get(key);
}

/**
 * What n8n saves of a parked execution and loads again for each callback: custom data, the node
 * context (`getContext('node')`) and the node's stack entry.
 */
export class ExecutionStore {
	readonly customData = new CustomDataStore();
	readonly nodeContexts: Record<string, IDataObject> = {};
	readonly stackEntry: { data: { main: INodeExecutionData[][] }; metadata?: IDataObject } = {
		data: { main: [[]] },
	};
	/** The execution's stack behind the running node (a park adds the node's next step to it). */
	readonly stack: Array<{ data: { main: INodeExecutionData[][] }; metadata?: IDataObject }> = [];

	nodeContext(nodeName: string): IDataObject {
		return (this.nodeContexts[`node:${nodeName}`] ??= {});
	}

	/** A fresh copy, as n8n loads it for one callback: changes to it are not kept. */
	loaded(): { contextData: Record<string, IDataObject>; metadata: Record<string, string> } {
		return {
			contextData: structuredClone(this.nodeContexts),
			metadata: Object.fromEntries(this.customData.values),
		};
	}
}

export interface ExecuteMockOptions {
	node: INode;
	items: IDataObject[];
	/** Binary data of the items, by item index (n8n's in-memory form: base64 in `data`). */
	binaries?: Array<IBinaryKeyData | undefined>;
	/** Parameter values; a function gets the item index (expressions). */
	parameters: Record<string, unknown>;
	api: FakeApi;
	store?: ExecutionStore;
	continueOnFail?: boolean;
	/** The node's run in the execution (loop iteration); default 0. */
	runIndex?: number;
	canWait?: boolean;
	/** Resume claims are per execution, so each simulated execution gets its own id. */
	executionId?: string;
	/** `$execution.resumeUrl`; default RESUME_URL (signed, as n8n 2.14+ makes it). */
	resumeUrl?: string;
}

export function executeContext(
	options: ExecuteMockOptions,
): jest.Mocked<IExecuteFunctions> & { customData: CustomDataStore; store: ExecutionStore } {
	const context = mock<IExecuteFunctions>();
	const store = options.store ?? new ExecutionStore();
	const customData = store.customData;
	const inputItems = options.items.map((json, index): INodeExecutionData => {
		const binary = options.binaries?.[index];
		return binary ? { json, binary } : { json };
	});
	store.stackEntry.data = { main: [inputItems] };
	// While a node runs, n8n has taken its entry off the stack; a park puts entries in front of it.
	store.stack.length = 0;
	Object.assign(context, {
		runExecutionData: { executionData: { nodeExecutionStack: store.stack } },
	});
	context.getNode.mockReturnValue(options.node);
	context.getInputData.mockReturnValue(inputItems);
	context.getExecutionId.mockReturnValue(options.executionId ?? '77');
	context.continueOnFail.mockReturnValue(options.continueOnFail ?? false);
	context.getCredentials.mockResolvedValue({ apiKey: API_KEY, baseUrl: BASE_URL });
	context.getWorkflowDataProxy.mockReturnValue({
		$execution: { resumeUrl: options.resumeUrl ?? RESUME_URL },
		$thisRunIndex: options.runIndex ?? 0,
	} as never);
	context.getContext.mockImplementation(() => store.nodeContext(options.node.name));
	context.getExecuteData.mockReturnValue(store.stackEntry as never);
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
		store,
		logger: { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() },
		helpers: {
			httpRequestWithAuthentication: options.api.httpRequestWithAuthentication,
			httpRequest: options.api.httpRequest,
			prepareBinaryData: jest.fn(async (data: Buffer, fileName?: string, mimeType?: string) => ({
				data: data.toString('base64'),
				fileName,
				mimeType,
			})),
			getBinaryDataBuffer: jest.fn(async (itemIndex: number, propertyName: string) =>
				Buffer.from(inputItems[itemIndex]?.binary?.[propertyName]?.data ?? '', 'base64'),
			),
		},
	});
	return context as unknown as jest.Mocked<IExecuteFunctions> & {
		customData: CustomDataStore;
		store: ExecutionStore;
	};
}

export interface WebhookMockOptions {
	node: INode;
	body: unknown;
	query: IDataObject;
	api: FakeApi;
	store: ExecutionStore;
	parameters?: Record<string, unknown>;
	executionId?: string;
}

export function webhookContext(options: WebhookMockOptions): {
	context: jest.Mocked<IWebhookFunctions>;
	response: ResponseSpy;
	runExecutionData: {
		executionData: {
			nodeExecutionStack: Array<{ metadata?: IDataObject }>;
			contextData: Record<string, IDataObject>;
		};
		resultData: IDataObject;
	};
} {
	const context = mock<IWebhookFunctions>();
	const response: ResponseSpy = {};
	const loaded = options.store.loaded();
	const runExecutionData = {
		executionData: {
			nodeExecutionStack: [{ metadata: {} as IDataObject }],
			contextData: loaded.contextData,
		},
		resultData: { metadata: loaded.metadata } as IDataObject,
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
		runExecutionData,
		logger: { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() },
		helpers: {
			httpRequestWithAuthentication: options.api.httpRequestWithAuthentication,
			httpRequest: options.api.httpRequest,
			prepareBinaryData: jest.fn(async (data: Buffer, fileName?: string, mimeType?: string) => ({
				data: data.toString('base64'),
				fileName,
				mimeType,
			})),
		},
	});
	return { context, response, runExecutionData };
}
