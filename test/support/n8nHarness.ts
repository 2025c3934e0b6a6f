import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ExecutionLifecycleHooks, WebhookContext, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type IBinaryKeyData,
	type ICredentialDataDecryptedObject,
	type IConnections,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { ModelsLab3d } from '../../nodes/ModelsLab3d/ModelsLab3d.node';
import { ModelsLabAudio } from '../../nodes/ModelsLabAudio/ModelsLabAudio.node';
import { ModelsLabImage } from '../../nodes/ModelsLabImage/ModelsLabImage.node';
import { ModelsLabImageEditing } from '../../nodes/ModelsLabImageEditing/ModelsLabImageEditing.node';
import { ModelsLabInterior } from '../../nodes/ModelsLabInterior/ModelsLabInterior.node';
import { ModelsLabTraining } from '../../nodes/ModelsLabTraining/ModelsLabTraining.node';
import { ModelsLabVideo } from '../../nodes/ModelsLabVideo/ModelsLabVideo.node';
import { ModelsLabWorkflow } from '../../nodes/ModelsLabWorkflow/ModelsLabWorkflow.node';
import { RESUME_WEBHOOKS } from '../../nodes/shared/completion/resumeWebhook';
import { TestCredentialsHelper } from './credentialsHelper';
import { fakeResponse, type ResponseSpy } from './responseSpy';
import { ProbeNode, SinkNode, StartNode } from './testNodes';

/** Type names as the in-process runs use them. */
export const NODE_TYPES: Record<string, INodeType> = {
	'test.start': new StartNode(),
	'test.sink': new SinkNode(),
	'test.probe': new ProbeNode(),
	'modelslab.image': new ModelsLabImage(),
	'modelslab.video': new ModelsLabVideo(),
	'modelslab.audio': new ModelsLabAudio(),
	'modelslab.threeD': new ModelsLab3d(),
	'modelslab.imageEditing': new ModelsLabImageEditing(),
	'modelslab.interior': new ModelsLabInterior(),
	'modelslab.training': new ModelsLabTraining(),
	'modelslab.workflow': new ModelsLabWorkflow(),
};

const nodeTypes: INodeTypes = {
	getByName: (type) => NODE_TYPES[type],
	getByNameAndVersion: (type) => NODE_TYPES[type],
	getKnownTypes: () => ({}),
};

export interface RunOptions {
	/** The node under test, type from NODE_TYPES; it sits between Start and Sink. Version 1 unless given. */
	node: Omit<INode, 'position' | 'typeVersion' | 'name'> & { name?: string; typeVersion?: number };
	items: IDataObject[];
	/** Binary data of the items, by item index (in n8n's default in-memory form). */
	binaries?: Array<IBinaryKeyData | undefined>;
	credentials: ICredentialDataDecryptedObject;
	/** Base of resume URLs, e.g. the WaitingRoute's URL. */
	waitingBaseUrl: string;
	/** Like n8n 1.x: no resume token, so resume URLs carry no `signature`. Default: signed, as 2.14+. */
	unsignedResume?: boolean;
}

let executionCounter = 1000;

/** One execution of Start → node → Sink, driven like n8n drives it. */
export class TestExecution {
	readonly id = String(++executionCounter);
	readonly workflow: Workflow;
	readonly nodeName: string;
	readonly additionalData: IWorkflowExecuteAdditionalData;
	readonly credentialsHelper: TestCredentialsHelper;
	runExecutionData: IRunExecutionData;
	lastRun?: IRun;
	/** What the node after the ModelsLab node received, run by run. */
	readonly received: IDataObject[][] = [];
	/**
	 * Runs once at the start of the execution's next run, while n8n counts it as running (a step
	 * taken by n8n's own wait timer or by a request): what n8n refuses meanwhile is refused.
	 */
	duringNextRun?: () => Promise<void>;
	/**
	 * The next resume a webhook asks for fails as n8n 2.41's does when the execution was still
	 * being ended by another run: 500, the execution stays waiting.
	 */
	refuseNextResume = false;
	private running = false;

	constructor(options: RunOptions) {
		this.nodeName = options.node.name ?? 'ModelsLab';
		const nodes: INode[] = [
			{
				id: 'start-0000',
				name: 'Start',
				type: 'test.start',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				...options.node,
				name: this.nodeName,
				typeVersion: options.node.typeVersion ?? 1,
				position: [200, 0],
				credentials: { modelsLabApi: { id: 'cred-1', name: 'ModelsLab' } },
			} as INode,
			{
				id: 'sink-0000',
				name: 'Sink',
				type: 'test.sink',
				typeVersion: 1,
				position: [400, 0],
				parameters: {},
			},
		];
		const connections: IConnections = {
			Start: { main: [[{ node: this.nodeName, type: 'main', index: 0 }]] },
			[this.nodeName]: { main: [[{ node: 'Sink', type: 'main', index: 0 }]] },
		};
		this.workflow = new Workflow({
			id: 'wf-test',
			name: 'test',
			nodes,
			connections,
			nodeTypes,
			active: false,
			settings: { executionOrder: 'v1' },
		});
		this.credentialsHelper = new TestCredentialsHelper({ modelsLabApi: options.credentials });
		this.additionalData = {
			executionId: this.id,
			credentialsHelper: this.credentialsHelper,
			webhookWaitingBaseUrl: options.waitingBaseUrl,
			formWaitingBaseUrl: options.waitingBaseUrl.replace('webhook-waiting', 'form-waiting'),
			webhookBaseUrl: options.waitingBaseUrl.replace('webhook-waiting', 'webhook'),
			webhookTestBaseUrl: options.waitingBaseUrl.replace('webhook-waiting', 'webhook-test'),
			formBaseUrl: options.waitingBaseUrl.replace('webhook-waiting', 'form'),
			formTestBaseUrl: options.waitingBaseUrl.replace('webhook-waiting', 'form-test'),
			mcpBaseUrl: options.waitingBaseUrl.replace('webhook-waiting', 'mcp'),
			mcpTestBaseUrl: options.waitingBaseUrl.replace('webhook-waiting', 'mcp-test'),
			restApiUrl: 'http://127.0.0.1:1/rest',
			instanceBaseUrl: 'http://127.0.0.1:1/',
			variables: {},
			currentNodeExecutionIndex: 0,
			hooks: this.hooks(),
		} as unknown as IWorkflowExecuteAdditionalData;
		const start = nodes[0];
		this.runExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [
					{
						node: start,
						data: {
							main: [
								options.items.map((json, index) => {
									const binary = options.binaries?.[index];
									return binary ? { json, binary } : { json };
								}),
							],
						},
						source: null,
					},
				],
			},
		});
		if (options.unsignedResume) delete this.runExecutionData.resumeToken;
	}

	private hooks(): ExecutionLifecycleHooks {
		return new ExecutionLifecycleHooks('trigger', this.id, {
			id: 'wf-test',
			name: 'test',
			nodes: [],
			connections: {},
			active: false,
			activeVersionId: null,
			isArchived: false,
			createdAt: new Date(),
			updatedAt: new Date(),
			settings: {},
		} as never);
	}

	get status(): string {
		if (this.running) return 'running';
		if (this.runExecutionData.waitTill) return 'waiting';
		return this.lastRun?.status ?? 'new';
	}

	get error(): Error | undefined {
		return this.lastRun?.data.resultData.error as Error | undefined;
	}

	/** The ModelsLab node's output items of its last run (output 1 is the error output). */
	nodeOutput(output = 0): IDataObject[] {
		return this.nodeItems(output).map((item) => item.json);
	}

	nodeItems(output = 0): INodeExecutionData[] {
		const runs = this.runExecutionData.resultData.runData[this.nodeName] ?? [];
		return runs[runs.length - 1]?.data?.main?.[output] ?? [];
	}

	async start(): Promise<this> {
		await this.process();
		return this;
	}

	private async process(): Promise<void> {
		this.running = true;
		const before = SinkNode.received.length;
		try {
			const during = this.duringNextRun;
			this.duringNextRun = undefined;
			await during?.();
			const execute = new WorkflowExecute(this.additionalData, 'trigger', this.runExecutionData);
			this.lastRun = await execute.processRunExecutionData(this.workflow);
			this.runExecutionData = this.lastRun.data;
		} finally {
			this.running = false;
		}
		for (const batch of SinkNode.received.slice(before))
			this.received.push(batch.map((item) => item.json));
	}

	/**
	 * What n8n's WaitingWebhooks does with a callback: run the waiting node's webhook(), and if it
	 * returns workflowData, disable the node, put the data on its stack entry and run on.
	 */
	async deliverCallback(
		body: unknown,
		query: IDataObject,
	): Promise<{ statusCode: number; body: unknown; resumed: boolean }> {
		if (this.running)
			return {
				statusCode: 409,
				body: { message: `The execution "${this.id}" is running already.` },
				resumed: false,
			};
		if (!this.runExecutionData.waitTill)
			return {
				statusCode: 409,
				body: { message: `The execution "${this.id}" has finished already.` },
				resumed: false,
			};
		// n8n 2.14+ refuses a resume request without the execution's token before any node code runs.
		const token = this.runExecutionData.resumeToken;
		if (token && query.signature !== token)
			return { statusCode: 401, body: { error: 'Invalid token' }, resumed: false };
		const node = this.workflow.getNode(this.nodeName) as INode;
		// n8n loads the waiting execution from its database for every callback, and keeps only what
		// the webhook() that resumes it changed (docs/n8n-internals.md §9); before webhook() runs it
		// drops the parked run entry of the node and disables the stack's first entry.
		const loaded = structuredClone(this.runExecutionData);
		loaded.resultData.runData[this.nodeName]?.pop();
		const stack = loaded.executionData?.nodeExecutionStack ?? [];
		if (stack[0]) stack[0].node.disabled = true;
		const answer: ResponseSpy = { statusCode: 200 };
		const response = fakeResponse(answer);
		const additionalData = {
			...this.additionalData,
			httpRequest: { body, query, headers: { 'content-type': 'application/json' }, params: {} },
			httpResponse: response,
		} as unknown as IWorkflowExecuteAdditionalData;
		const context = new WebhookContext(
			this.workflow,
			node,
			additionalData,
			'webhook',
			{
				httpMethod: 'POST',
				node: node.name,
				path: node.id,
				webhookDescription: RESUME_WEBHOOKS[0],
				workflowId: 'wf-test',
				workflowExecuteAdditionalData: additionalData,
			},
			[],
			loaded,
		);
		// Callbacks run side by side: the execution stays "waiting" until one of them resumes it.
		let result: IWebhookResponseData;
		try {
			result = await (
				NODE_TYPES[node.type].webhook as (this: WebhookContext) => Promise<IWebhookResponseData>
			).call(context);
		} catch (error) {
			return { statusCode: 500, body: { message: (error as Error).message }, resumed: false };
		}
		const responseBody =
			answer.body !== undefined
				? answer.body
				: (result.webhookResponse ?? { message: 'Workflow was started' });
		if (result.workflowData === undefined)
			return { statusCode: answer.statusCode ?? 200, body: responseBody, resumed: false };
		const refused = this.refuseNextResume;
		this.refuseNextResume = false;
		// n8n 2.41 resumes only if the execution is still waiting; the loser gets 500 (§9).
		if (refused || this.running || !this.runExecutionData.waitTill)
			return {
				statusCode: 500,
				body: { message: 'There was a problem executing the workflow' },
				resumed: false,
			};

		stack[0].data.main = result.workflowData;
		stack[0].metadata = { ...(stack[0].metadata ?? {}), forwardAllOutputs: true };
		loaded.waitTill = undefined;
		this.runExecutionData = loaded;
		await this.process();
		return { statusCode: answer.statusCode ?? 200, body: responseBody, resumed: true };
	}

	/**
	 * What n8n's WaitTracker does when the execution's wait ends: run it on from its saved data
	 * (n8n-core disables the parked entry and pops its run; the node's step entry runs execute()).
	 */
	async expireWait(): Promise<void> {
		if (!this.runExecutionData.waitTill) throw new Error('The execution is not waiting');
		this.runExecutionData = structuredClone(this.runExecutionData);
		await this.process();
	}

	/** When the execution waits until (its park's `wakeAt`). */
	get waitTill(): Date | undefined {
		return this.runExecutionData.waitTill ?? undefined;
	}
}

/**
 * Stands in for n8n's `/webhook-waiting/:executionId/:suffix` route on 127.0.0.1, so the simulator's
 * callbacks travel over real HTTP to the execution they name.
 */
export class WaitingRoute {
	readonly executions = new Map<string, TestExecution>();
	/** Every answer, with the request's `mlitem` (`probe`/`sync`: the node's own requests). */
	readonly answers: Array<{
		executionId: string;
		item: string | null;
		statusCode: number;
		body: unknown;
	}> = [];

	/** Answers to ModelsLab's callbacks, without the node's own probe and wake-up requests. */
	callbackAnswers(executionId: string): WaitingRoute['answers'] {
		return this.answers.filter(
			(answer) => answer.executionId === executionId && /^\d+$/.test(answer.item ?? ''),
		);
	}
	private server?: Server;
	baseUrl = '';
	/**
	 * Answer n8n's own requests (`mlitem=probe`/`sync`) as an auth proxy in front of the route
	 * would: 403 with a login page. ModelsLab's callbacks still get through.
	 */
	refuseOwnRequests = false;

	async start(): Promise<this> {
		this.server = createServer((request, response) => void this.handle(request, response));
		await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
		const { port } = this.server.address() as AddressInfo;
		this.baseUrl = `http://127.0.0.1:${port}/webhook-waiting`;
		return this;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const [, , executionId] = url.pathname.split('/');
		const execution = this.executions.get(executionId);
		let answer: { statusCode: number; body: unknown };
		const ownRequest = ['probe', 'sync'].includes(url.searchParams.get('mlitem') ?? '');
		if (this.refuseOwnRequests && ownRequest)
			answer = { statusCode: 403, body: '<html>Sign in to continue</html>' };
		else if (!execution)
			answer = {
				statusCode: 404,
				body: { message: `The execution "${executionId}" does not exist.` },
			};
		else {
			let body: unknown;
			try {
				body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
			} catch {
				body = Buffer.concat(chunks).toString('utf8');
			}
			answer = await execution.deliverCallback(body, Object.fromEntries(url.searchParams));
		}
		this.answers.push({ executionId, item: url.searchParams.get('mlitem'), ...answer });
		response.writeHead(answer.statusCode, {
			'content-type': 'application/json',
			connection: 'close',
		});
		response.end(JSON.stringify(answer.body ?? {}));
	}

	/** Creates and starts an execution whose callbacks this route serves. */
	async run(options: Omit<RunOptions, 'waitingBaseUrl'>): Promise<TestExecution> {
		const execution = new TestExecution({ ...options, waitingBaseUrl: this.baseUrl });
		this.executions.set(execution.id, execution);
		return await execution.start();
	}
}

/** Polls a condition (bounded), for waiting on callbacks that travel over HTTP. */
export async function eventually<T>(
	check: () => T | undefined | false,
	timeoutMs = 10_000,
	what = 'condition',
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = check();
		if (value) return value;
		if (Date.now() > deadline)
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}

/** How far ahead n8n's wait poll looks for waiting executions (execution.repository.js). */
const N8N_WAIT_POLL_LOOKAHEAD_MS = 70_000;

/**
 * What n8n's WaitTracker does (wait-tracker.js, 1.123.81 and 2.41.1): each poll sets a timer for
 * every waiting execution whose `waitTill` is at most 70 s ahead and that has none yet; the timer
 * fires at that `waitTill` and resumes the execution if it is waiting, whatever its `waitTill` is by
 * then. Polled every second instead of every minute, so a test meets every phase of n8n's poll.
 */
export class N8nWaitPoll {
	/** Executions the poll's timers resumed (n8n's timed resumes), in order. */
	readonly resumed: string[] = [];
	private readonly timers = new Map<string, NodeJS.Timeout>();
	private poll?: NodeJS.Timeout;

	constructor(private readonly route: WaitingRoute) {}

	start(everyMs = 1_000): this {
		this.poll = setInterval(() => this.arm(), everyMs);
		return this;
	}

	stop(): void {
		clearInterval(this.poll);
		for (const timer of this.timers.values()) clearTimeout(timer);
		this.timers.clear();
	}

	private arm(): void {
		const now = Date.now();
		for (const execution of this.route.executions.values()) {
			const waitTill = execution.waitTill?.getTime();
			if (waitTill === undefined || this.timers.has(execution.id)) continue;
			if (waitTill > now + N8N_WAIT_POLL_LOOKAHEAD_MS) continue;
			const timer = setTimeout(() => {
				this.timers.delete(execution.id);
				if (execution.status !== 'waiting') return;
				this.resumed.push(execution.id);
				void execution.expireWait();
			}, waitTill - now);
			this.timers.set(execution.id, timer);
		}
	}
}
