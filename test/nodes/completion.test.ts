import { NodeApiError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';

import { ModelsLabImage } from '../../nodes/ModelsLabImage/ModelsLabImage.node';
import { ModelsLabTraining } from '../../nodes/ModelsLabTraining/ModelsLabTraining.node';
import { callbackTag } from '../../nodes/shared/completion/callbackUrl';
import { ledgerKey } from '../../nodes/shared/completion/jobLedger';
import {
	API_KEY,
	CustomDataStore,
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
		const id = String(this.next++);
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

function callbackQuery(nodeId: string, executionId = '77'): IDataObject {
	return { signature: 'abc123', mltag: callbackTag(API_KEY, executionId, nodeId) };
}

let executionCounter = 500;

async function submitThree(
	api: FakeApi,
	customData: CustomDataStore,
	node = testNode(text2imgParameters()),
) {
	const context = executeContext({
		node,
		items: [{ n: 0 }, { n: 1 }, { n: 2 }],
		parameters: node.parameters as Record<string, unknown>,
		api,
		customData,
	});
	const result = await image.execute.call(context);
	return { context, result };
}

describe('callback mode: execute()', () => {
	it('submits with the resume URL + node id + tag as webhook, keeps the signature, records the jobs and parks', async () => {
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
		expect(webhook.searchParams.get('mltag')).toBe(callbackTag(API_KEY, '77', node.id));
		expect(body).toMatchObject({
			model_id: 'flux',
			prompt: 'a red apple 0',
			track_id: `n8n-77-${node.id.slice(0, 8)}-0`,
		});

		expect(context.putExecutionToWait).toHaveBeenCalledTimes(1);
		const waitTill = context.putExecutionToWait.mock.calls[0][0].getTime();
		expect(waitTill - before).toBeGreaterThanOrEqual(15 * 60_000 - 1000);
		expect(waitTill - before).toBeLessThanOrEqual(15 * 60_000 + 5000);
		expect(context.customData.get(ledgerKey(node.id))).toBe(`1|v2;s;text2img;${jobs.ids()[0]}`);
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
		await submitThree(api, new CustomDataStore());
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
	async function parkedExecution(itemCount = 3, resumeUrl = RESUME_URL) {
		const jobs = new ScriptedJobs();
		const api = fakeApi(jobs.respond);
		const customData = new CustomDataStore();
		const node = testNode(text2imgParameters());
		const executionId = String(++executionCounter);
		const context = executeContext({
			node,
			items: Array.from({ length: itemCount }, (_, n) => ({ n })),
			parameters: node.parameters as Record<string, unknown>,
			api,
			customData,
			executionId,
			resumeUrl,
		});
		await image.execute.call(context);
		expect(context.putExecutionToWait).toHaveBeenCalled();
		const deliver = async (
			body: unknown,
			query: IDataObject = callbackQuery(node.id, executionId),
			parameters: Record<string, unknown> = {},
		) => {
			const hook = webhookContext({ node, body, query, api, customData, parameters, executionId });
			const result = await image.webhook.call(hook.context);
			return { result, ...hook };
		};
		return { jobs, api, node, deliver, ids: jobs.ids(), executionId, customData };
	}

	const success = (id: string, trackId = '') => ({
		status: 'success',
		id: Number(id),
		output: [`https://cdn.test/${id}.png`],
		track_id: trackId,
		meta: { seed: 1 },
	});

	it('on an unsigned resume URL (n8n 1.x), answers a forged callback (wrong or missing tag) 401 and keeps waiting', async () => {
		const { deliver, ids, node, executionId, customData } = await parkedExecution(
			1,
			UNSIGNED_RESUME_URL,
		);
		expect(customData.get(ledgerKey(node.id))).toBe(`1|v2;;text2img;${ids[0]}`);
		for (const query of [{}, { mltag: 'f'.repeat(32) }, { signature: 'abc123' }]) {
			const { result, response } = await deliver(success(ids[0]), query);
			expect(response.statusCode).toBe(401);
			expect(result).toEqual({ noWebhookResponse: true });
		}
		const genuine = await deliver(success(ids[0]), {
			mltag: callbackTag(API_KEY, executionId, node.id),
		});
		expect(genuine.result.workflowData?.[0]).toHaveLength(1);
	});

	it('on a resume URL n8n signed (2.14+), leaves authentication to n8n and reads no credential', async () => {
		const { deliver, ids } = await parkedExecution(1);
		const { result, context } = await deliver(success(ids[0]), { signature: 'abc123' });
		expect(context.getCredentials).not.toHaveBeenCalled();
		expect(result.workflowData?.[0]).toHaveLength(1);
	});

	it('keeps waiting on interim, foreign and malformed callbacks, answering 2xx', async () => {
		const { deliver, ids } = await parkedExecution(1);
		const interim = await deliver({ status: 'processing', id: Number(ids[0]) });
		expect(interim.result.workflowData).toBeUndefined();
		expect(interim.result.webhookResponse).toMatchObject({ accepted: true, waiting: true });
		const foreign = await deliver(success('123'));
		expect(foreign.result.workflowData).toBeUndefined();
		expect(foreign.result.webhookResponse).toMatchObject({
			accepted: false,
			reason: 'job 123 was not submitted by this node run',
		});
		for (const body of [{ id: 5 }, 'not json', null, { status: 'success' }]) {
			const malformed = await deliver(body);
			expect(malformed.result.workflowData).toBeUndefined();
			expect(malformed.result.webhookResponse).toMatchObject({ received: true, accepted: false });
		}
	});

	it('resumes a single job with the contract output', async () => {
		const { deliver, ids, node, executionId } = await parkedExecution(1);
		const trackId = `n8n-${executionId}-${node.id.slice(0, 8)}-0`;
		const { result } = await deliver(success(ids[0], trackId));
		const items = result.workflowData?.[0] as INodeExecutionData[];
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			status: 'success',
			id: ids[0],
			track_id: trackId,
			output: [`https://cdn.test/${ids[0]}.png`],
			meta: { seed: 1 },
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	it('waits for every item, resumes once with items in input order whatever the callback order', async () => {
		const { deliver, ids, jobs } = await parkedExecution(3);
		jobs.finish(ids[2]);
		const first = await deliver(success(ids[2]));
		expect(first.result.workflowData).toBeUndefined();
		expect(first.result.webhookResponse).toMatchObject({ waitingFor: 2 });
		jobs.finish(ids[0]);
		expect((await deliver(success(ids[0]))).result.workflowData).toBeUndefined();
		jobs.finish(ids[1]);
		const last = await deliver(success(ids[1]));
		const items = last.result.workflowData?.[0] as INodeExecutionData[];
		expect(items.map((item) => item.json.id)).toEqual(ids);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// A duplicate of the last callback arriving at the same moment does not resume again.
		const duplicate = await deliver(success(ids[1]));
		expect(duplicate.result.workflowData).toBeUndefined();
		expect(duplicate.result.webhookResponse).toMatchObject({ duplicate: true });
	});

	it("fails a failed job with ModelsLab's message, runs nothing downstream, and still answers 2xx", async () => {
		const { deliver, ids } = await parkedExecution(1);
		const { result, runExecutionData } = await deliver({
			status: 'failed',
			id: Number(ids[0]),
			message: 'Processing failed: out of memory',
			track_id: 'x',
		});
		expect(result.workflowData).toEqual([[]]);
		expect(result.webhookResponse).toMatchObject({ received: true });
		const error = runExecutionData.executionData.nodeExecutionStack[0].metadata
			?.resumeError as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(`ModelsLab job ${ids[0]} failed: Processing failed: out of memory`);
	});

	it('with Continue On Fail, a failed job becomes the contract error item beside the successes', async () => {
		const jobs = new ScriptedJobs();
		const api = fakeApi(jobs.respond);
		const customData = new CustomDataStore();
		const node = testNode(text2imgParameters(), { onError: 'continueRegularOutput' });
		const executionId = String(++executionCounter);
		const context = executeContext({
			node,
			items: [{}, {}],
			parameters: node.parameters as Record<string, unknown>,
			api,
			customData,
			continueOnFail: true,
			executionId,
		});
		await image.execute.call(context);
		const [a, b] = jobs.ids();
		jobs.finish(a, 'failed', 'NSFW content');
		jobs.finish(b);
		const hook = webhookContext({
			node,
			body: success(b),
			query: callbackQuery(node.id, executionId),
			api,
			customData,
			executionId,
		});
		const result = await image.webhook.call(hook.context);
		const items = result.workflowData?.[0] as INodeExecutionData[];
		expect(items[0].json).toEqual({
			error: `ModelsLab job ${a} failed: NSFW content`,
			status: 'failed',
			id: a,
			track_id: `n8n-${executionId}-${node.id.slice(0, 8)}-0`,
		});
		expect(items[1].json).toMatchObject({ status: 'success', id: b });
	});

	it('downloads outputs into binary properties inside webhook(), acknowledging first', async () => {
		const { deliver, ids } = await parkedExecution(1);
		const { result, response, context } = await deliver(success(ids[0]), undefined, {
			options: { downloadOutputs: true, binaryPropertyName: 'image' },
		});
		// ModelsLab got its answer before the download started.
		expect(response).toEqual({
			statusCode: 200,
			body: { received: true, accepted: true, resumed: true },
		});
		expect(result.noWebhookResponse).toBe(true);
		const [item] = result.workflowData?.[0] as INodeExecutionData[];
		expect(context.helpers.httpRequest).toHaveBeenCalledWith(
			expect.objectContaining({ url: `https://cdn.test/${ids[0]}.png`, encoding: 'arraybuffer' }),
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
		const { result, runExecutionData } = await deliver(success(ids[0]), undefined, {
			options: { downloadOutputs: true, maxDownloadSizeMb: 0.00001 },
		});
		expect(result.workflowData).toEqual([[]]);
		const error = runExecutionData.executionData.nodeExecutionStack[0].metadata
			?.resumeError as Error;
		expect(error.message).toMatch(/over the download limit/);
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
		const customData = new CustomDataStore();
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
			customData,
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
		for (const state of [
			'deploying_gpu',
			'training_started',
			'trained_model_uploaded',
			'deploying_model',
		]) {
			const hook = webhookContext({
				node,
				body: { status: 'success', training_status: state, logs: '...', model_id: 'F5jvdzGnYi' },
				query: callbackQuery(node.id, executionId),
				api,
				customData,
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
			query: callbackQuery(node.id, executionId),
			api,
			customData,
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

	it('an answer that breaks the documented shape is an error naming the field', async () => {
		const api = fakeApi(() => ({ body: { status: 'queued', id: 7 } }));
		const node = testNode(text2imgParameters({ completion: 'submit' }));
		const context = executeContext({
			node,
			items: [{}],
			parameters: node.parameters as Record<string, unknown>,
			api,
		});
		const error = (await image.execute.call(context).catch((e: Error) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/unexpected answer: field "status"/);
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
			/Jobs already submitted \(read them with Get Result\): item \d: 10\d/,
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
