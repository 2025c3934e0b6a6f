import { NodeApiError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';

import { ModelsLabImage } from '../../nodes/ModelsLabImage/ModelsLabImage.node';
import { ModelsLabTraining } from '../../nodes/ModelsLabTraining/ModelsLabTraining.node';
import { closeAllEngines } from '../../nodes/shared/completion/batchEngine';
import { callbackUrlFor } from '../../nodes/shared/completion/callbackUrl';
import { summaryKey, type RunLedger } from '../../nodes/shared/completion/runLedger';
import { forgetAttempts } from '../../nodes/shared/completion/runSubmit';
import {
	API_KEY,
	ExecutionStore,
	executeContext,
	fakeApi,
	RESUME_URL,
	testNode,
	UNSIGNED_RESUME_URL,
	webhookContext,
	TINY_PNG,
	type ApiResponder,
	type FakeApi,
} from '../support/mockContexts';

const image = new ModelsLabImage();
const training = new ModelsLabTraining();

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

/** The query string of the callback URL the node sent with the job of `itemIndex`. */
function callbackQuery(api: FakeApi, itemIndex: number): IDataObject {
	const submit = api.calls.filter((call) => !call.path.includes('/fetch/'))[itemIndex];
	return Object.fromEntries(new URL(String(submit.body.webhook)).searchParams);
}

/** The query of a submit by the item it was sent for (submit order differs from item order when paced). */
function queryOfItem(api: FakeApi, itemIndex: number): IDataObject {
	const submit = api.calls.find(
		(call) =>
			call.body.webhook &&
			new URL(String(call.body.webhook)).searchParams.get('mlitem') === String(itemIndex),
	);
	return Object.fromEntries(new URL(String(submit?.body.webhook)).searchParams);
}

function ledgerOf(store: ExecutionStore, nodeName = 'ModelsLab Image'): RunLedger {
	return store.nodeContext(nodeName).modelslabRun as RunLedger;
}

afterEach(() => {
	closeAllEngines();
	forgetAttempts();
});

let executionCounter = 500;

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
		// n8n's own resume comes two minutes after the node's wait limit, as a fallback.
		expect(waitTill - before).toBeGreaterThanOrEqual(17 * 60_000 - 1000);
		expect(waitTill - before).toBeLessThanOrEqual(17 * 60_000 + 5000);
		expect(ledger).toMatchObject({
			version: 3,
			operation: 'text2img',
			wave: [0],
			items: [{ trackId: `n8n-77-${node.id.slice(0, 8)}-r0-0`, jobId: jobs.ids()[0], eta: 60 }],
		});
		expect(ledger.deadline - before).toBeGreaterThanOrEqual(15 * 60_000 - 1000);
		expect(context.customData.get(summaryKey(node.id))).toBe(
			`text2img: 1 items, 1 submitted, run ${ledger.run.id}; ids ${jobs.ids()[0]}`,
		);
		// What flows on if n8n resumes the node at its wait limit: the item and its request id.
		expect(context.store.stackEntry.data.main[0][0].json).toEqual({
			n: 0,
			modelslab: {
				status: 'processing',
				id: jobs.ids()[0],
				track_id: `n8n-77-${node.id.slice(0, 8)}-r0-0`,
				timed_out: true,
			},
		});
		expect(result).toEqual([[{ json: { n: 0 } }]]);
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

	it('checks short jobs before parking, so a callback that beats the park is not lost', async () => {
		const jobs = new ScriptedJobs();
		jobs.eta = 0.5;
		const api = fakeApi((request) => {
			const answer = jobs.respond(request);
			// The job is done by the first check, as if its callback had raced the park.
			for (const id of jobs.ids())
				if (!request.path.includes('/fetch/')) setImmediate(() => jobs.finish(id));
			return answer;
		});
		const node = testNode(text2imgParameters());
		const context = executeContext({
			node,
			items: [{}],
			parameters: node.parameters as Record<string, unknown>,
			api,
		});
		const [[item]] = await image.execute.call(context);
		expect(context.putExecutionToWait).not.toHaveBeenCalled();
		expect(item.json.status).toBe('success');
		expect(api.calls.filter((call) => call.path.includes('/fetch/'))).toHaveLength(1);
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

describe('callback mode: webhook()', () => {
	async function parkedExecution(
		itemCount = 3,
		resumeUrl = RESUME_URL,
		nodeExtra: Parameters<typeof testNode>[1] = {},
		jobs = new ScriptedJobs(),
	) {
		const api = fakeApi(jobs.respond);
		const store = new ExecutionStore();
		const node = testNode(text2imgParameters(), nodeExtra);
		const executionId = String(++executionCounter);
		const context = executeContext({
			node,
			items: Array.from({ length: itemCount }, (_, n) => ({ n })),
			parameters: node.parameters as Record<string, unknown>,
			api,
			store,
			executionId,
			resumeUrl,
			continueOnFail: nodeExtra.onError !== undefined,
		});
		await image.execute.call(context);
		expect(context.putExecutionToWait).toHaveBeenCalled();
		/** Delivers a body to the callback URL of `target` (an item's own, or a query given as is). */
		const deliver = async (
			body: unknown,
			target: number | IDataObject = 0,
			parameters: Record<string, unknown> = {},
		) => {
			const query = typeof target === 'number' ? queryOfItem(api, target) : target;
			const hook = webhookContext({ node, body, query, api, store, parameters, executionId });
			const result = await image.webhook.call(hook.context);
			return { result, ...hook };
		};
		return { jobs, api, node, deliver, ids: jobs.ids(), executionId, store, context };
	}

	const success = (id: string, trackId = '') => ({
		status: 'success',
		id: Number(id),
		output: [`https://cdn.test/${id}.png`],
		track_id: trackId,
		meta: { seed: 1 },
	});

	it("answers a callback without the run's MAC 401 and keeps waiting, on n8n 1.x (no signature) and 2.14+", async () => {
		for (const resumeUrl of [UNSIGNED_RESUME_URL, RESUME_URL]) {
			const { deliver, ids, api } = await parkedExecution(1, resumeUrl);
			const genuine = queryOfItem(api, 0);
			const forged: IDataObject[] = [
				{},
				{ signature: 'abc123' },
				{ ...genuine, mlmac: 'A'.repeat(22) },
				{ ...genuine, mlitem: '1' },
				{ ...genuine, mlrun: 'ffffffffffffffff' },
			];
			for (const query of forged) {
				const { result, response } = await deliver(success(ids[0]), query);
				expect(response.statusCode).toBe(401);
				expect(result).toEqual({ noWebhookResponse: true });
			}
			const { result } = await deliver(success(ids[0]), genuine);
			expect(result.workflowData?.[0]).toHaveLength(1);
		}
	});

	it('reads the credential once per node run, not per callback', async () => {
		const { deliver, ids, jobs } = await parkedExecution(3);
		const counts: number[] = [];
		for (const [index, id] of ids.entries()) {
			jobs.finish(id);
			const { context } = await deliver(success(id), index);
			counts.push(context.getCredentials.mock.calls.length);
		}
		expect(counts).toEqual([1, 0, 0]);
	});

	it('keeps waiting on interim, foreign and malformed callbacks, answering 2xx', async () => {
		const { deliver, ids, node, executionId } = await parkedExecution(1);
		const interim = await deliver({ status: 'processing', id: Number(ids[0]) });
		expect(interim.result.workflowData).toBeUndefined();
		expect(interim.result.webhookResponse).toMatchObject({ accepted: true, waitingFor: 1 });
		// A real item's URL, but another job: somebody replays a URL with a result of their own.
		const foreign = await deliver(success('123'));
		expect(foreign.result.workflowData).toBeUndefined();
		expect(foreign.result.webhookResponse).toMatchObject({
			accepted: false,
			reason: `job 123 is not the job of item 0 (${ids[0]})`,
		});
		// The item's job, but not the track id the node sent with it.
		const wrongTrack = await deliver(success(ids[0], 'somebody-else'));
		expect(wrongTrack.result.workflowData).toBeUndefined();
		expect(wrongTrack.result.webhookResponse).toMatchObject({
			accepted: false,
			reason: `track_id "somebody-else" is not the one item 0 was submitted with`,
		});
		for (const body of [
			{ id: 5 },
			'not json',
			null,
			{ status: 'success' },
			{ status: 'success', id: Number(ids[0]), output: { url: 'x' } },
		]) {
			const malformed = await deliver(body);
			expect(malformed.result.workflowData).toBeUndefined();
			expect(malformed.result.webhookResponse).toMatchObject({ received: true, accepted: false });
		}
		const genuine = await deliver(
			success(ids[0], `n8n-${executionId}-${node.id.slice(0, 8)}-r0-0`),
		);
		expect(genuine.result.workflowData?.[0]).toHaveLength(1);
	});

	it('resumes a single job with the contract output, the URL secrets stripped from meta', async () => {
		const { deliver, ids, node, executionId, api } = await parkedExecution(1);
		const trackId = `n8n-${executionId}-${node.id.slice(0, 8)}-r0-0`;
		const webhook = String(api.calls[0].body.webhook);
		const { result } = await deliver({ ...success(ids[0], trackId), meta: { seed: 1, webhook } });
		const items = result.workflowData?.[0] as INodeExecutionData[];
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({
			status: 'success',
			id: ids[0],
			track_id: trackId,
			output: [`https://cdn.test/${ids[0]}.png`],
			proxy_links: [],
			meta: { seed: 1, webhook: expect.stringContaining('signature=***') },
			generationTime: null,
			message: null,
		});
		const echoed = String((items[0].json.meta as IDataObject).webhook);
		expect(echoed).toContain('mlmac=***');
		expect(echoed).not.toContain('abc123');
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	it('waits for every item, resumes once with items in input order whatever the callback order', async () => {
		const { deliver, ids, jobs, api } = await parkedExecution(3);
		const fetchesBefore = api.calls.filter((call) => call.path.includes('/fetch/')).length;
		jobs.finish(ids[2]);
		const first = await deliver(success(ids[2]), 2);
		expect(first.result.workflowData).toBeUndefined();
		expect(first.result.webhookResponse).toMatchObject({ waitingFor: 2 });
		jobs.finish(ids[0]);
		expect((await deliver(success(ids[0]), 0)).result.workflowData).toBeUndefined();
		jobs.finish(ids[1]);
		const last = await deliver({ ...success(ids[1]), generationTime: 3.5 }, 1);
		const items = last.result.workflowData?.[0] as INodeExecutionData[];
		expect(items.map((item) => item.json.id)).toEqual(ids);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// Every item has the same fields, whichever callback came last.
		expect(new Set(items.map((item) => Object.keys(item.json).sort().join()))).toHaveProperty(
			'size',
			1,
		);
		// The node reads back only the jobs that ran when it parked, once (their callbacks may have been
		// refused while n8n saved the execution); every callback after that costs no read.
		const reads = api.calls.filter((call) => call.path.includes('/fetch/')).length - fetchesBefore;
		expect(reads).toBeLessThanOrEqual(3);
		// A duplicate of the last callback arriving at the same moment does not resume again.
		const duplicate = await deliver(success(ids[1]), 1);
		expect(duplicate.result.workflowData).toBeUndefined();
	});

	it('a callback arriving after the run resumed (n8n has not marked it running yet) does not resume it again', async () => {
		const { deliver, ids } = await parkedExecution(1);
		const first = await deliver(success(ids[0]));
		expect(first.result.workflowData?.[0]).toHaveLength(1);
		// The same execution loaded again by n8n for the copy: the ledger is as it was at park.
		const copy = await deliver(success(ids[0]));
		expect(copy.result.workflowData).toBeUndefined();
		expect(copy.result.webhookResponse).toMatchObject({ duplicate: true });
	});

	it("fails a failed job with ModelsLab's message at once, runs nothing downstream, and still answers 2xx", async () => {
		const { deliver, ids } = await parkedExecution(2);
		const { result, runExecutionData } = await deliver({
			status: 'failed',
			id: Number(ids[0]),
			message: 'Processing failed: out of memory',
		});
		expect(result.workflowData).toEqual([[]]);
		expect(result.webhookResponse).toMatchObject({ received: true });
		const error = runExecutionData.executionData.nodeExecutionStack[0].metadata
			?.resumeError as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(`ModelsLab job ${ids[0]} failed: Processing failed: out of memory`);
	});

	it('with Continue On Fail, a failed job becomes the contract error item beside the successes', async () => {
		const { deliver, ids, jobs, node, executionId } = await parkedExecution(2, RESUME_URL, {
			onError: 'continueRegularOutput',
		});
		const [a, b] = ids;
		jobs.finish(a, 'failed', 'NSFW content');
		await deliver({ status: 'failed', id: Number(a), message: 'NSFW content' }, 0);
		jobs.finish(b);
		const { result } = await deliver(success(b), 1);
		const items = result.workflowData?.[0] as INodeExecutionData[];
		expect(items[0].json).toEqual({
			error: `ModelsLab job ${a} failed: NSFW content`,
			status: 'failed',
			id: a,
			track_id: `n8n-${executionId}-${node.id.slice(0, 8)}-r0-0`,
		});
		expect(items[0].error).toBeUndefined();
		expect(items[1].json).toMatchObject({ status: 'success', id: b });
	});

	it('with On Error "Continue (using error output)", the failed item carries its error, which sends it to the error output', async () => {
		const { deliver, ids, jobs } = await parkedExecution(2, RESUME_URL, {
			onError: 'continueErrorOutput',
		});
		const [a, b] = ids;
		await deliver({ status: 'failed', id: Number(a), message: 'NSFW content' }, 0);
		jobs.finish(b);
		const { result } = await deliver(success(b), 1);
		const items = result.workflowData?.[0] as INodeExecutionData[];
		expect(items[0].error).toBeInstanceOf(NodeApiError);
		expect(items[0].error?.message).toBe(`ModelsLab job ${a} failed: NSFW content`);
		expect(items[1].error).toBeUndefined();
	});

	it('downloads outputs into binary properties inside webhook(), acknowledging first', async () => {
		const { deliver, ids, api } = await parkedExecution(1);
		const { result, response } = await deliver(success(ids[0]), 0, {
			options: { downloadOutputs: true, binaryPropertyName: 'image' },
		});
		// ModelsLab got its answer before the download started.
		expect(response).toEqual({
			statusCode: 200,
			body: { received: true, accepted: true, resumed: true },
		});
		expect(result.noWebhookResponse).toBe(true);
		const [item] = result.workflowData?.[0] as INodeExecutionData[];
		expect(api.httpRequest).toHaveBeenCalledWith(
			expect.objectContaining({ url: `https://cdn.test/${ids[0]}.png`, encoding: 'stream' }),
		);
		expect(item.binary?.image).toEqual({
			data: TINY_PNG.toString('base64'),
			fileName: `${ids[0]}.png`,
			mimeType: 'image/png',
		});
		expect(item.json).toMatchObject({ status: 'success', id: ids[0] });
	});

	it('an output over the size cap fails the job instead of filling memory', async () => {
		const { deliver, ids } = await parkedExecution(1);
		const { result, runExecutionData } = await deliver(success(ids[0]), 0, {
			options: { downloadOutputs: true, maxDownloadSizeMb: 0.00001 },
		});
		expect(result.workflowData).toEqual([[]]);
		const error = runExecutionData.executionData.nodeExecutionStack[0].metadata
			?.resumeError as Error;
		expect(error.message).toMatch(/is larger than the download limit/);
	});

	it('jobs beyond the account queue limit: parks after the first wave, then each finished job starts the next of its lane', async () => {
		const jobs = new ScriptedJobs();
		jobs.queueLimit = 2;
		const { deliver, store } = await parkedExecution(5, RESUME_URL, {}, jobs);
		// Two accepted, the third refused with 429: the node parked with two running, three queued.
		const ledger = ledgerOf(store);
		expect(ledger.wave).toEqual([0, 1]);
		expect(ledger.items.map((item) => (item.request ? 'queued' : 'running'))).toEqual([
			'running',
			'running',
			'queued',
			'queued',
			'queued',
		]);
		expect(JSON.stringify(ledger)).not.toContain(API_KEY);
		// A queued item's callback URL follows from the ledger; n8n loads the ledger per callback.
		for (const item of ledger.items.slice(2)) {
			expect(item.request?.callbackLeftOut).toBe(true);
			expect(item.request?.body).not.toHaveProperty('webhook');
			expect(item.request?.body).toMatchObject({
				prompt: expect.any(String),
				track_id: item.trackId,
			});
		}

		const finish = async (itemIndex: number) => {
			const id = jobs.idOfItem(itemIndex);
			jobs.finish(id);
			return await deliver(success(id), itemIndex);
		};
		// Lane 0 is items 0, 2, 4; lane 1 is items 1, 3. Item 0 finishing starts item 2.
		await finish(0);
		await eventuallyTrue(() => jobs.itemsSubmitted().includes(2), 'item 2 submitted');
		expect(jobs.itemsSubmitted()).toEqual([0, 1, 2]);
		await finish(1);
		await eventuallyTrue(() => jobs.itemsSubmitted().includes(3), 'item 3 submitted');
		await finish(2);
		await eventuallyTrue(() => jobs.itemsSubmitted().includes(4), 'item 4 submitted');
		expect((await finish(3)).result.workflowData).toBeUndefined();
		const last = await finish(4);
		const items = last.result.workflowData?.[0] as INodeExecutionData[];
		expect(items.map((item) => item.json.id)).toEqual(
			[0, 1, 2, 3, 4].map((item) => jobs.idOfItem(item)),
		);
		expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(jobs.maxRunning).toBe(2);
		// The two submits in flight when the queue filled were both refused; none was lost.
		expect(jobs.rateLimited).toBeLessThanOrEqual(2);
		// The paced items were submitted with the URL their callbacks came back on: the node run's MAC.
		for (const itemIndex of [2, 3, 4])
			expect(callbackUrlFor(ledger.base, ledger.run, itemIndex)).toBe(
				jobs.webhookOfItem(itemIndex),
			);
	}, 20_000);

	it("once this process holds the run's engine, a callback is checked against it, not against the saved ledger", async () => {
		const jobs = new ScriptedJobs();
		const { deliver, store, api } = await parkedExecution(3, RESUME_URL, {}, jobs);
		const saved = ledgerOf(store);
		jobs.finish(jobs.idOfItem(0));
		expect((await deliver(success(jobs.idOfItem(0)), 0)).result.webhookResponse).toMatchObject({
			accepted: true,
			waitingFor: 2,
		});
		// n8n hands every callback the ledger saved at park; the engine built from the first one
		// already holds it, so the second callback does not read it again.
		store.nodeContext('ModelsLab Image').modelslabRun = { version: 0 };
		jobs.finish(jobs.idOfItem(1));
		expect((await deliver(success(jobs.idOfItem(1)), 1)).result.webhookResponse).toMatchObject({
			accepted: true,
			waitingFor: 1,
		});
		// A forged MAC is still refused: the engine's ledger holds the run's secret.
		const forged = await deliver(success(jobs.idOfItem(2)), {
			...queryOfItem(api, 2),
			mlmac: 'x'.repeat(22),
		});
		expect(forged.response.statusCode).toBe(401);
		store.nodeContext('ModelsLab Image').modelslabRun = saved;
	});
});

async function eventuallyTrue(
	check: () => boolean,
	what: string,
	timeoutMs = 8_000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

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

describe('training', () => {
	it('resumes only on model_ready, matching the training id carried as model_id', async () => {
		const api = fakeApi(({ path }) =>
			path === '/v3/lora_fine_tune'
				? {
						body: {
							status: 'success',
							messege: 'deploying_gpu',
							data: 'it will take upto 30 minutes.',
							training_id: 'F5jvdzGnYi',
						},
					}
				: { body: { status: 'success', messege: 'training_started', data: 'step 3/20' } },
		);
		const store = new ExecutionStore();
		const node = testNode(
			{
				operation: 'lora_fine_tune',
				instancePrompt: 'photo of ambika0 man',
				classPrompt: 'photo of a man',
				images: 'https://example.com/1.png',
				trainingType: 'men',
				maxTrainSteps: 18,
				completion: 'callback',
				additionalFields: {},
				options: {},
			},
			{ type: 'n8n-nodes-modelslab.modelsLabTraining' },
		);
		const executionId = String(++executionCounter);
		const context = executeContext({
			node,
			items: [{}],
			parameters: node.parameters as Record<string, unknown>,
			api,
			store,
			executionId,
		});
		await training.execute.call(context);
		expect(api.calls[0].body).toMatchObject({
			images: ['https://example.com/1.png'],
			max_train_steps: '18',
			training_type: 'men',
		});
		expect(api.calls[0].body.track_id).toBeUndefined();
		expect(context.putExecutionToWait).toHaveBeenCalled();
		const query = callbackQuery(api, 0);
		for (const state of [
			'deploying_gpu',
			'training_started',
			'trained_model_uploaded',
			'deploying_model',
		]) {
			const hook = webhookContext({
				node,
				body: { status: 'success', training_status: state, logs: '...', model_id: 'F5jvdzGnYi' },
				query,
				api,
				store,
				executionId,
			});
			expect((await training.webhook.call(hook.context)).workflowData).toBeUndefined();
		}
		const ready = webhookContext({
			node,
			body: {
				status: 'success',
				training_status: 'model_ready',
				logs: 'done',
				model_id: 'F5jvdzGnYi',
			},
			query,
			api,
			store,
			executionId,
		});
		const result = await training.webhook.call(ready.context);
		expect(result.workflowData?.[0]?.[0].json).toMatchObject({
			status: 'success',
			id: 'F5jvdzGnYi',
			training_status: 'model_ready',
			track_id: '',
		});
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
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/accepted the job without a request id/);
	});

	it('a fetch answer without a status is an error naming the field, after the read was retried', async () => {
		const jobs = new ScriptedJobs();
		const api = fakeApi((request) =>
			request.path.includes('/fetch/') ? { body: { output: [] } } : jobs.respond(request),
		);
		const node = testNode(text2imgParameters({ completion: 'poll', options: { pollInterval: 1 } }));
		const context = executeContext({
			node,
			items: [{}],
			parameters: node.parameters as Record<string, unknown>,
			api,
		});
		const error = (await image.execute.call(context).catch((e: Error) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/unexpected answer: field "status" is missing/);
		expect(api.calls.filter((call) => call.path.includes('/fetch/'))).toHaveLength(3);
	}, 15_000);

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
		expect(ledger.wave).toHaveLength(10);
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
	it('reads at most four jobs at a time and honours Continue On Fail when reads keep failing', async () => {
		let inFlight = 0;
		let mostInFlight = 0;
		let next = 800;
		const api = fakeApi(({ path }) => {
			if (!path.includes('/fetch/'))
				return { body: { status: 'processing', id: ++next, eta: 1, output: [] } };
			return { statusCode: 503, body: { status: 'error', message: 'Service unavailable' } };
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
		const node = testNode(
			text2imgParameters({ completion: 'poll', options: { pollInterval: 1 } }),
			{ onError: 'continueRegularOutput' },
		);
		const context = executeContext({
			node,
			items: Array.from({ length: 8 }, () => ({})),
			parameters: node.parameters as Record<string, unknown>,
			api,
			continueOnFail: true,
		});
		const [items] = await image.execute.call(context);
		expect(items).toHaveLength(8);
		for (const item of items)
			expect(item.json).toMatchObject({
				status: 'failed',
				error: 'ModelsLab: Service unavailable',
			});
		// Submits go two at a time; reads at most four.
		expect(mostInFlight).toBeLessThanOrEqual(4);
		expect(api.calls.filter((call) => call.path.includes('/fetch/'))).toHaveLength(8 * 3);
	}, 20_000);

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
