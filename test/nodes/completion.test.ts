import { NodeApiError } from 'n8n-workflow';

import { ModelsLabImage } from '../../nodes/ModelsLabImage/ModelsLabImage.node';
import { summaryKey, type RunLedger } from '../../nodes/shared/completion/runLedger';
import { forgetProcessMemory } from '../../nodes/shared/completion/processMemory';
import {
	API_KEY,
	ExecutionStore,
	executeContext,
	fakeApi,
	testNode,
	webhookContext,
	type ApiResponder,
	type FakeApi,
} from '../support/mockContexts';

const image = new ModelsLabImage();

/** A ModelsLab stand-in for unit tests: jobs move to a phase when the test says so. */
class ScriptedJobs {
	private next = 900000001;
	readonly jobs = new Map<string, { status: string; output: string[]; message?: string }>();
	instant = false;
	eta = 60;
	/** The account's queue limit: submits beyond it get 429 (docs/modelslab-api.md §7). */
	queueLimit = Number.POSITIVE_INFINITY;

	maxRunning = 0;
	rateLimited = 0;
	private readonly items = new Map<string, number>();
	private readonly webhooks = new Map<number, string>();

	running(): number {
		return [...this.jobs.values()].filter((job) => job.status === 'processing').length;
	}

	/** The job submitted for an input item (read from the `mlitem` of its callback URL). */
	idOfItem(itemIndex: number): string {
		const found = [...this.items].find(([, item]) => item === itemIndex);
		if (!found) throw new Error(`item ${itemIndex} was not submitted`);
		return found[0];
	}

	/** The `webhook` the job of an input item was submitted with. */
	webhookOfItem(itemIndex: number): string | undefined {
		return this.webhooks.get(itemIndex);
	}

	itemsSubmitted(): number[] {
		return [...this.items.values()];
	}

	readonly respond: ApiResponder = ({ path, body }) => {
		const fetch = /\/fetch\/(\d+)$/.exec(path);
		if (fetch) {
			const job = this.jobs.get(fetch[1]);
			if (!job) return { statusCode: 404, body: { status: 'error', message: 'Request not found' } };
			return job.status === 'processing'
				? { body: { status: 'processing', message: 'try again later.', output: '' } }
				: {
						body: {
							status: job.status,
							id: Number(fetch[1]),
							output: job.output,
							message: job.message,
						},
					};
		}
		if (this.running() >= this.queueLimit) {
			this.rateLimited++;
			return {
				statusCode: 429,
				body: {
					status: 'error',
					message: `Rate limit exceeded. Maximum ${this.queueLimit} queued requests allowed.`,
					retry_after: 1,
				},
			};
		}
		const id = String(this.next++);
		if (typeof body.webhook === 'string') {
			this.items.set(id, Number(new URL(body.webhook).searchParams.get('mlitem')));
			this.webhooks.set(this.items.get(id) as number, body.webhook);
		}
		if (this.instant) {
			this.jobs.set(id, { status: 'success', output: [`https://cdn.test/${id}.png`] });
			return {
				body: {
					status: 'success',
					id: Number(id),
					output: [`https://cdn.test/${id}.png`],
					meta: { prompt: body.prompt, key: API_KEY },
				},
			};
		}
		this.jobs.set(id, { status: 'processing', output: [] });
		this.maxRunning = Math.max(this.maxRunning, this.running());
		return {
			body: {
				status: 'processing',
				id: Number(id),
				eta: this.eta,
				fetch_result: `https://modelslab.test/api/v6/images/fetch/${id}`,
				future_links: [`https://cdn.test/${id}.png`],
				output: [],
				meta: {},
			},
		};
	};

	finish(id: string, status = 'success', message?: string): void {
		this.jobs.set(id, {
			status,
			output: status === 'success' ? [`https://cdn.test/${id}.png`] : [],
			message,
		});
	}

	ids(): string[] {
		return [...this.jobs.keys()];
	}
}

const text2imgParameters = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
	operation: 'text2img',
	modelId: 'flux',
	prompt: (i: number) => `a red apple ${i}`,
	trackId: '',
	completion: 'callback',
	additionalFields: {},
	options: {},
	...extra,
});

function ledgerOf(store: ExecutionStore, nodeName = 'ModelsLab Image'): RunLedger {
	return store.nodeContext(nodeName).modelslabRun as RunLedger;
}

afterEach(() => {
	forgetProcessMemory();
});

async function submitThree(
	api: FakeApi,
	store: ExecutionStore,
	node = testNode(text2imgParameters()),
) {
	const context = executeContext({
		node,
		items: [{ n: 0 }, { n: 1 }, { n: 2 }],
		parameters: node.parameters as Record<string, unknown>,
		api,
		store,
	});
	const result = await image.execute.call(context);
	return { context, result };
}

describe('callback mode: execute()', () => {
	it("submits with the resume URL + node id + the run's MAC as webhook, keeps the signature, records the jobs and parks", async () => {
		const jobs = new ScriptedJobs();
		const api = fakeApi(jobs.respond);
		const node = testNode(text2imgParameters());
		const context = executeContext({
			node,
			items: [{ n: 0 }],
			parameters: node.parameters as Record<string, unknown>,
			api,
		});
		const before = Date.now();
		const result = await image.execute.call(context);

		expect(api.calls).toHaveLength(1);
		const { path, body } = api.calls[0];
		expect(path).toBe('/v6/images/text2img');
		const webhook = new URL(String(body.webhook));
		expect(webhook.pathname).toBe(`/webhook-waiting/77/${node.id}`);
		expect(webhook.searchParams.get('signature')).toBe('abc123');
		const ledger = ledgerOf(context.store);
		expect(Object.fromEntries(webhook.searchParams)).toEqual({
			signature: 'abc123',
			mlrun: ledger.run.id,
			mlitem: '0',
			mlmac: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
		});
		expect(body).toMatchObject({
			model_id: 'flux',
			prompt: 'a red apple 0',
			track_id: `n8n-77-${node.id.slice(0, 8)}-r0-0`,
		});

		expect(context.putExecutionToWait).toHaveBeenCalledTimes(1);
		const waitTill = context.putExecutionToWait.mock.calls[0][0].getTime();
		// n8n's own timed resume comes when the job's callback is overdue: twice its ETA of 60 s.
		expect(waitTill - before).toBeGreaterThanOrEqual(120_000 - 1000);
		expect(waitTill - before).toBeLessThanOrEqual(120_000 + 5000);
		expect(ledger).toMatchObject({
			version: 4,
			operation: 'text2img',
			checkpoint: 1,
			waitMinutes: 15,
			selfReachable: expect.any(Boolean),
			items: [{ trackId: `n8n-77-${node.id.slice(0, 8)}-r0-0`, jobId: jobs.ids()[0], eta: 60 }],
		});
		expect(ledger.wakeAt).toBe(waitTill);
		expect(ledger.deadline - before).toBeGreaterThanOrEqual(15 * 60_000 - 1000);
		expect(context.customData.get(summaryKey(node.id))).toBe(
			`text2img: 1 items, 1 submitted, run ${ledger.run.id}; ids ${jobs.ids()[0]}`,
		);
		// The parked entry passes nothing on; the step behind it runs the node again with its items,
		// whichever resume comes (a callback, the wake-up, n8n's timed resume).
		expect(context.store.stackEntry.data).toEqual({ main: [[]] });
		expect(context.store.stack[0]).toMatchObject({
			data: { main: [[{ json: { n: 0 } }]] },
			metadata: { modelslabStep: ledger.run.id },
		});
		expect(result).toEqual([[]]);
	});

	it('outputs an instant success at once, without parking, and never returns the key', async () => {
		const jobs = new ScriptedJobs();
		jobs.instant = true;
		const api = fakeApi(jobs.respond);
		const node = testNode(text2imgParameters());
		const context = executeContext({
			node,
			items: [{}],
			parameters: node.parameters as Record<string, unknown>,
			api,
		});
		const [[item]] = await image.execute.call(context);
		expect(context.putExecutionToWait).not.toHaveBeenCalled();
		expect(item.json).toMatchObject({
			status: 'success',
			id: jobs.ids()[0],
			output: [`https://cdn.test/${jobs.ids()[0]}.png`],
		});
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(JSON.stringify(item)).not.toContain(API_KEY);
	});

	it('never waits inside execute() for a short job: it parks and reads the job once if no callback came within 10 s', async () => {
		const jobs = new ScriptedJobs();
		jobs.eta = 0.5;
		const api = fakeApi(jobs.respond);
		const node = testNode(text2imgParameters());
		const context = executeContext({
			node,
			items: [{}],
			parameters: node.parameters as Record<string, unknown>,
			api,
		});
		const before = Date.now();
		await image.execute.call(context);
		expect(Date.now() - before).toBeLessThan(2_000);
		expect(context.putExecutionToWait).toHaveBeenCalledTimes(1);
		const waitTill = context.putExecutionToWait.mock.calls[0][0].getTime();
		expect(waitTill - before).toBeGreaterThanOrEqual(10_000 - 1000);
		expect(waitTill - before).toBeLessThanOrEqual(10_000 + 2000);
		expect(api.calls.filter((call) => call.path.includes('/fetch/'))).toHaveLength(0);
	});

	it('makes one API call per job for a long job (the submit)', async () => {
		const jobs = new ScriptedJobs();
		const api = fakeApi(jobs.respond);
		await submitThree(api, new ExecutionStore());
		expect(api.calls.map((call) => call.path)).toEqual([
			'/v6/images/text2img',
			'/v6/images/text2img',
			'/v6/images/text2img',
		]);
	});

	it('rejects a bad parameter before any request, naming the field', async () => {
		const jobs = new ScriptedJobs();
		const api = fakeApi(jobs.respond);
		const node = testNode(text2imgParameters({ additionalFields: { width: 5000 } }));
		const context = executeContext({
			node,
			items: [{}, {}],
			parameters: node.parameters as Record<string, unknown>,
			api,
		});
		await expect(image.execute.call(context)).rejects.toThrow(
			/"Width" \(width\): must be at most 1024/,
		);
		expect(api.calls).toHaveLength(0);
	});

	it('falls back to polling where the node cannot park (AI-agent tool call)', async () => {
		const jobs = new ScriptedJobs();
		jobs.eta = 1;
		const api = fakeApi((request) => {
			const answer = jobs.respond(request);
			if (request.path.includes('/fetch/')) jobs.finish(jobs.ids()[0]);
			return answer;
		});
		const node = testNode(text2imgParameters({ options: { pollInterval: 1 } }));
		const context = executeContext({
			node,
			items: [{}],
			parameters: node.parameters as Record<string, unknown>,
			api,
			canWait: false,
		});
		const [[item]] = await image.execute.call(context);
		expect(api.calls[0].body.webhook).toBeUndefined();
		expect(item.json.status).toBe('success');
	});
});

describe('poll and submit modes', () => {
	it('poll: asks until the job is done and outputs the result', async () => {
		const jobs = new ScriptedJobs();
		jobs.eta = 1;
		let fetches = 0;
		const api = fakeApi((request) => {
			const answer = jobs.respond(request);
			if (request.path.includes('/fetch/') && ++fetches === 2) jobs.finish(jobs.ids()[0]);
			return answer;
		});
		const node = testNode(text2imgParameters({ completion: 'poll', options: { pollInterval: 1 } }));
		const context = executeContext({
			node,
			items: [{}],
			parameters: node.parameters as Record<string, unknown>,
			api,
		});
		const [[item]] = await image.execute.call(context);
		expect(item.json).toMatchObject({ status: 'success', id: jobs.ids()[0] });
		expect(api.calls.filter((call) => call.path.includes('/fetch/')).length).toBeGreaterThanOrEqual(
			2,
		);
		expect(context.putExecutionToWait).not.toHaveBeenCalled();
	}, 15_000);

	it("poll: a failed job raises a NodeApiError with ModelsLab's message and the request id", async () => {
		const jobs = new ScriptedJobs();
		const api = fakeApi((request) => {
			const answer = jobs.respond(request);
			if (request.path.includes('/fetch/'))
				jobs.finish(jobs.ids()[0], 'failed', 'Model not found: nope');
			return answer;
		});
		const node = testNode(text2imgParameters({ completion: 'poll', options: { pollInterval: 1 } }));
		const context = executeContext({
			node,
			items: [{}],
			parameters: node.parameters as Record<string, unknown>,
			api,
		});
		const error = await image.execute.call(context).catch((e: Error) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as Error).message).toContain('Model not found: nope');
		expect((error as Error).message).toContain(jobs.ids()[0]);
	}, 15_000);

	it('submit: returns the receipt at once', async () => {
		const jobs = new ScriptedJobs();
		const api = fakeApi(jobs.respond);
		const node = testNode(text2imgParameters({ completion: 'submit', trackId: 'user42_a' }));
		const context = executeContext({
			node,
			items: [{}],
			parameters: node.parameters as Record<string, unknown>,
			api,
		});
		const [[item]] = await image.execute.call(context);
		const id = jobs.ids()[0];
		expect(item.json).toEqual({
			status: 'processing',
			id,
			track_id: 'user42_a',
			eta: 60,
			fetch_result: `https://modelslab.test/api/v6/images/fetch/${id}`,
			future_links: [`https://cdn.test/${id}.png`],
		});
		expect(api.calls[0].body.webhook).toBeUndefined();
	});

	it('submit: sends the result webhook URL the user names (a ModelsLab Trigger)', async () => {
		const jobs = new ScriptedJobs();
		const api = fakeApi(jobs.respond);
		const node = testNode(
			text2imgParameters({
				completion: 'submit',
				options: { resultWebhookUrl: 'https://n8n.example.com/webhook/modelslab' },
			}),
		);
		const context = executeContext({
			node,
			items: [{}],
			parameters: node.parameters as Record<string, unknown>,
			api,
		});
		await image.execute.call(context);
		expect(api.calls[0].body.webhook).toBe('https://n8n.example.com/webhook/modelslab');
	});

	it('submit: a malformed result webhook URL is refused before any request', async () => {
		const api = fakeApi(new ScriptedJobs().respond);
		const node = testNode(
			text2imgParameters({ completion: 'submit', options: { resultWebhookUrl: 'not a url' } }),
		);
		const context = executeContext({
			node,
			items: [{}],
			parameters: node.parameters as Record<string, unknown>,
			api,
		});
		await expect(image.execute.call(context)).rejects.toThrow(/webhook/);
		expect(api.calls).toHaveLength(0);
	});
});

describe('errors', () => {
	it("an HTTP-200 error body becomes a NodeApiError with ModelsLab's words and never the key", async () => {
		const api = fakeApi(() => ({ body: { status: 'error', messege: `Invalid key ${API_KEY}` } }));
		const node = testNode(text2imgParameters({ completion: 'submit' }));
		const context = executeContext({
			node,
			items: [{}],
			parameters: node.parameters as Record<string, unknown>,
			api,
		});
		const error = (await image.execute.call(context).catch((e: Error) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('ModelsLab: Invalid key ***');
		expect(
			JSON.stringify({ ...error, message: error.message, description: error.description }),
		).not.toContain(API_KEY);
	});

	it('reads a paid submit answer leniently and keeps the id (null eta, null message, odd output, unknown status)', async () => {
		const api = fakeApi(() => ({
			body: {
				status: 'queued',
				id: 7,
				eta: null,
				message: null,
				fetch_result: null,
				output: [null],
				future_links: null,
			},
		}));
		const node = testNode(text2imgParameters({ completion: 'submit', trackId: 't-1' }));
		const context = executeContext({
			node,
			items: [{}],
			parameters: node.parameters as Record<string, unknown>,
			api,
		});
		const [[item]] = await image.execute.call(context);
		expect(item.json).toEqual({
			status: 'processing',
			id: '7',
			track_id: 't-1',
			eta: null,
			fetch_result: null,
			future_links: [],
		});
	});

	it('a submit answer without a usable id is an error saying so, never a job silently lost', async () => {
		const api = fakeApi(() => ({ body: { status: 'processing', eta: 5 } }));
		const node = testNode(text2imgParameters({ completion: 'submit' }));
		const context = executeContext({
			node,
			items: [{}],
			parameters: node.parameters as Record<string, unknown>,
			api,
		});
		const error = (await image.execute.call(context).catch((e: Error) => e)) as NodeApiError;
		// The job may exist and be paid for: the item is never submitted again, and says how to find it.
		expect(error.message).toBe(
			'Item 0 may have run at ModelsLab, but n8n never learnt its request ID',
		);
		expect(error.description).toMatch(/accepted the job without a request id/);
		expect(error.description).toMatch(/track id "n8n-77-[0-9a-f]{8}-r0-0"/);
		expect(api.calls).toHaveLength(1);
	});

	it('401 says to check the key', async () => {
		const api = fakeApi(() => ({
			statusCode: 401,
			body: { status: 'error', message: 'Invalid API key' },
		}));
		const node = testNode(text2imgParameters({ completion: 'submit' }));
		const context = executeContext({
			node,
			items: [{}],
			parameters: node.parameters as Record<string, unknown>,
			api,
		});
		const error = (await image.execute.call(context).catch((e: Error) => e)) as NodeApiError;
		expect(error.message).toBe('ModelsLab: Invalid API key');
		expect(error.description).toMatch(/check the API key in the ModelsLab credential/);
		expect(error.httpCode).toBe('401');
	});

	it('a submit failure without Continue On Fail names the jobs already running', async () => {
		let calls = 0;
		const api = fakeApi(() =>
			++calls === 2
				? { statusCode: 402, body: { status: 'error', message: 'Insufficient credits' } }
				: { body: { status: 'processing', id: 100 + calls, eta: 60, output: [] } },
		);
		const node = testNode(text2imgParameters({ completion: 'submit' }));
		const context = executeContext({
			node,
			items: [{}, {}, {}],
			parameters: node.parameters as Record<string, unknown>,
			api,
		});
		const error = (await image.execute.call(context).catch((e: Error) => e)) as NodeApiError;
		expect(error.message).toBe('ModelsLab: Insufficient credits');
		expect(error.description).toMatch(
			/Jobs still running \(read them with Get Result\): item \d: 10\d/,
		);
	});

	it('Continue On Fail yields error items for bad items and results for good ones', async () => {
		const jobs = new ScriptedJobs();
		const api = fakeApi(jobs.respond);
		const node = testNode(
			text2imgParameters({ completion: 'submit', prompt: (i: number) => (i === 1 ? '' : 'ok') }),
		);
		const context = executeContext({
			node,
			items: [{}, {}],
			parameters: node.parameters as Record<string, unknown>,
			api,
			continueOnFail: true,
		});
		const [items] = await image.execute.call(context);
		expect(items[0].json.status).toBe('processing');
		expect(items[1].json).toMatchObject({
			status: 'failed',
			error: expect.stringContaining('"Prompt" (prompt): is required'),
		});
		expect(api.calls).toHaveLength(1);
	});
});

describe('batches and retries', () => {
	it('Retry On Fail submits each item once per node run: a second attempt keeps the jobs ModelsLab took', async () => {
		let submits = 0;
		const api = fakeApi(({ path }) => {
			if (path.includes('/fetch/')) return { body: { status: 'processing', output: '' } };
			submits++;
			// The third submit of the first attempt is refused: the node fails with two jobs running.
			// (A 5xx with ModelsLab's JSON is retried by the transport: transport/submitPolicy.ts.)
			if (submits === 3)
				return { statusCode: 400, body: { status: 'error', message: 'Internal error' } };
			return { body: { status: 'processing', id: 700 + submits, eta: 60, output: [] } };
		});
		const node = testNode(text2imgParameters({ completion: 'submit' }));
		const run = () =>
			image.execute.call(
				executeContext({
					node,
					items: [{}, {}, {}, {}],
					parameters: node.parameters as Record<string, unknown>,
					api,
					executionId: '4242',
				}),
			);
		const failed = (await run().catch((error: Error) => error)) as NodeApiError;
		expect(failed.message).toBe('ModelsLab: Internal error');
		// Two submits run at once: the one beside the failed submit may have been accepted too.
		expect(failed.description).toMatch(
			/Jobs still running \(read them with Get Result\): item 0: 701, item 1: 702/,
		);
		const acceptedFirst = api.calls.length - 1;
		// n8n's Retry On Fail runs execute() again for the same node run.
		const [items] = await run();
		const ids = items.map((item) => String(item.json.id));
		expect(ids.slice(0, 2)).toEqual(['701', '702']);
		expect(new Set(ids).size).toBe(4);
		// Every item has exactly one accepted job: only the items without one were submitted again.
		expect(api.calls.length).toBe(acceptedFirst + 1 + (4 - acceptedFirst));
	});

	it("a URL of an earlier run of the node (a loop) cannot resume a later one, even with n8n's signature", async () => {
		const jobs = new ScriptedJobs();
		const api = fakeApi(jobs.respond);
		const store = new ExecutionStore();
		const node = testNode(text2imgParameters());
		const park = async (runIndex: number) =>
			await image.execute.call(
				executeContext({
					node,
					items: [{}],
					parameters: node.parameters as Record<string, unknown>,
					api,
					store,
					executionId: '5151',
					runIndex,
				}),
			);
		await park(0);
		const firstUrl = String(api.calls[0].body.webhook);
		await park(1);
		const leaked = Object.fromEntries(new URL(firstUrl).searchParams);
		const hook = webhookContext({
			node,
			body: { status: 'success', id: Number(jobs.ids()[1]), output: ['https://evil.test/x.png'] },
			query: leaked,
			api,
			store,
			executionId: '5151',
		});
		const result = await image.webhook.call(hook.context);
		expect(hook.response.statusCode).toBe(401);
		expect(result).toEqual({ noWebhookResponse: true });
	});

	it('a training callback saying failed ends the wait at once instead of at the limit', async () => {
		const { parseCallback } = await import('../../nodes/shared/transport/callbackPayload');
		const parsed = parseCallback({
			status: 'failed',
			training_status: 'deploying_gpu',
			model_id: 'F5jvdzGnYi',
			messege: 'GPU lost',
		});
		expect(parsed).toMatchObject({
			ok: true,
			callback: { kind: 'training', phase: 'failed', status: 'failed' },
		});
	});

	it('1,000 items park in one run: the ledger holds them all, custom data stays within 255 characters', async () => {
		const jobs = new ScriptedJobs();
		jobs.queueLimit = 10;
		const api = fakeApi(jobs.respond);
		const store = new ExecutionStore();
		const node = testNode(text2imgParameters());
		const context = executeContext({
			node,
			items: Array.from({ length: 1000 }, (_, n) => ({ n })),
			parameters: node.parameters as Record<string, unknown>,
			api,
			store,
		});
		await image.execute.call(context);
		const ledger = ledgerOf(store);
		expect(ledger.items).toHaveLength(1000);
		expect(ledger.items.filter((item) => item.jobId)).toHaveLength(10);
		expect(ledger.items.filter((item) => item.request)).toHaveLength(990);
		expect(new Set(ledger.items.map((item) => item.trackId)).size).toBe(1000);
		expect(store.customData.loggedTooLong).toEqual([]);
		expect(String(store.customData.get(summaryKey(node.id)))).toMatch(
			/^text2img: 1000 items, 10 submitted, run [0-9a-f]{16}; ids( \d+)+$/,
		);
		// Nothing queued was submitted before the park, and nothing read.
		expect(api.calls.filter((call) => !call.path.includes('/fetch/')).length).toBeLessThanOrEqual(
			12,
		);
	});
});

describe('poll mode', () => {
	it('reads at most four jobs at a time; failed reads (HTTP 503) are read again with backoff, never failing the job', async () => {
		let inFlight = 0;
		let mostInFlight = 0;
		let next = 800;
		const reads = new Map<string, number>();
		const api = fakeApi(({ path }) => {
			if (!path.includes('/fetch/'))
				return { body: { status: 'processing', id: ++next, eta: 1, output: [] } };
			const id = path.split('/').pop() ?? '';
			const count = (reads.get(id) ?? 0) + 1;
			reads.set(id, count);
			if (count <= 2)
				return { statusCode: 503, body: { status: 'error', message: 'Service unavailable' } };
			return {
				body: { status: 'success', id: Number(id), output: [`https://cdn.test/${id}.png`] },
			};
		});
		const slow = api.httpRequestWithAuthentication.getMockImplementation();
		api.httpRequestWithAuthentication.mockImplementation(async (...args: unknown[]) => {
			inFlight++;
			mostInFlight = Math.max(mostInFlight, inFlight);
			await new Promise((resolve) => setTimeout(resolve, 50));
			try {
				return await (slow as (...a: unknown[]) => Promise<unknown>)(...args);
			} finally {
				inFlight--;
			}
		});
		const node = testNode(text2imgParameters({ completion: 'poll', options: { pollInterval: 1 } }));
		const context = executeContext({
			node,
			items: Array.from({ length: 8 }, () => ({})),
			parameters: node.parameters as Record<string, unknown>,
			api,
		});
		const [items] = await image.execute.call(context);
		expect(items.map((item) => item.json.status)).toEqual(Array(8).fill('success'));
		// Submits go two at a time; reads at most four.
		expect(mostInFlight).toBeLessThanOrEqual(4);
		expect([...reads.values()]).toEqual(Array(8).fill(3));
	}, 40_000);

	it('without Continue On Fail, the first failed job ends the run: nothing more is read or submitted', async () => {
		let next = 900;
		const api = fakeApi(({ path }) => {
			if (!path.includes('/fetch/'))
				return { body: { status: 'processing', id: ++next, eta: 1, output: [] } };
			return { body: { status: 'failed', message: 'bad prompt', output: [] } };
		});
		const node = testNode(
			text2imgParameters({
				completion: 'poll',
				options: { pollInterval: 1, maxConcurrentJobs: 2 },
			}),
		);
		const context = executeContext({
			node,
			items: Array.from({ length: 6 }, () => ({})),
			parameters: node.parameters as Record<string, unknown>,
			api,
		});
		const error = (await image.execute.call(context).catch((e: Error) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/ModelsLab job 90[12] failed: bad prompt/);
		// Max Concurrent Jobs 2: two submitted; the failure stopped the rest.
		expect(api.calls.filter((call) => !call.path.includes('/fetch/'))).toHaveLength(2);
	}, 20_000);
});
