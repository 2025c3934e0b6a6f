import type { IDataObject } from 'n8n-workflow';

import { ModelsLabTrigger } from '../../nodes/ModelsLabTrigger/ModelsLabTrigger.node';
import { SEEN_FIELD } from '../../nodes/ModelsLabTrigger/callbackDedup';
import {
	ANSWER_WINDOW_MS,
	CONFIRM_DELAYS_MS,
	MAX_BACKGROUND_CONFIRMATIONS,
} from '../../nodes/ModelsLabTrigger/jobConfirmation';
import { startSimulator, type Simulator } from '../simulator';
import { API_KEY, BASE_URL, fakeApi, type FakeApi } from '../support/mockContexts';
import { startStubServer, type StubServer } from '../transport/support/stubServer';
import { runWorkflow, simulatorApi } from './simulatorApi';
import {
	deliver,
	freshWorkflowId,
	jsonRequest,
	triggerContext,
	type TriggerOutcome,
	type TriggerSetup,
} from './triggerContext';

/**
 * Verify With ModelsLab, tried as an attacker would (issue 23): whose job a callback names, a
 * final callback that ModelsLab's fetch endpoint has not caught up with, and what a caller who
 * proved nothing learns from the answers.
 */
const trigger = new ModelsLabTrigger();
/** The trigger's path in these tests (DEFAULT_PARAMETERS of triggerContext.ts). */
const OWN_WEBHOOK = 'https://n8n.example/webhook/modelslab?token=hidden';

let nextId = 910_000;
const jobId = (): number => ++nextId;

const callback = (id: number, trackId: string, status = 'success'): IDataObject => ({
	status,
	id,
	output: status === 'success' ? [`https://cdn.test/forged/${id}.png`] : [],
	track_id: trackId,
	meta: { prompt: 'from the callback' },
});

/** What ModelsLab's fetch endpoint answers for a job, `meta` echoing the request. */
const answer = (
	id: number,
	meta: IDataObject | undefined,
	status = 'success',
	extra: IDataObject = {},
): IDataObject => ({
	status,
	id,
	output: status === 'success' ? [`https://cdn.test/real/${id}.png`] : '',
	...(meta ? { meta } : {}),
	...extra,
});

const verifying = (
	api: FakeApi,
	parameters: Record<string, unknown> = {},
	options: IDataObject = {},
): TriggerSetup => ({
	parameters: { ...parameters, options: { verifyWithModelsLab: true, ...options } },
	staticData: {},
	workflowId: freshWorkflowId(),
	withCredential: true,
	api,
});

const started = (outcome: TriggerOutcome): IDataObject | undefined =>
	outcome.result.workflowData?.[0]?.[0]?.json;

function expectIgnored(outcome: TriggerOutcome, reason: string): void {
	expect(outcome.started).toBe(false);
	expect(outcome.statusCode).toBe(200);
	expect(outcome.answer).toEqual({ received: true, ignored: true, reason });
}

/** Runs `work` with jest's clock, moving it on in 250 ms steps until `work` is done. */
async function onFakeClock<T>(work: () => Promise<T>): Promise<T> {
	jest.useFakeTimers();
	try {
		let done = false;
		const running = work().finally(() => (done = true));
		while (!done) await jest.advanceTimersByTimeAsync(250);
		return await running;
	} finally {
		jest.useRealTimers();
	}
}

describe("a verified callback takes ModelsLab's word for whose job it is", () => {
	it("another job's id under this trigger's track id is foreign: nothing starts, a warning is logged", async () => {
		const victim = jobId();
		const api = fakeApi(() => ({
			body: answer(victim, { track_id: 'customer-7', webhook: OWN_WEBHOOK }),
		}));
		const setup = verifying(api, { trackId: 'customer-42' });
		const outcome = await deliver(setup, jsonRequest(callback(victim, 'customer-42')), trigger);
		expectIgnored(outcome, 'foreign');
		expect(outcome.call.logger.warn).toHaveBeenCalledWith(
			expect.stringMatching(/names track_id "customer-42", ModelsLab "customer-7"/),
		);
		expect(setup.staticData?.[SEEN_FIELD]).toBeUndefined();
	});

	it('a job whose result was to go to another webhook, or to none, is foreign even under a matching track id', async () => {
		for (const webhook of ['https://n8n.example/webhook/another-trigger', null]) {
			const id = jobId();
			const api = fakeApi(() => ({
				body: answer(id, { track_id: 'customer-42', webhook }),
			}));
			const outcome = await deliver(
				verifying(api, { trackId: 'customer-42' }),
				jsonRequest(callback(id, 'customer-42')),
				trigger,
			);
			expectIgnored(outcome, 'foreign');
		}
	});

	it("the genuine callback starts with ModelsLab's track_id, status, output and meta, nothing else of the body", async () => {
		const id = jobId();
		const api = fakeApi(() => ({
			body: answer(id, { track_id: 'customer-42', webhook: OWN_WEBHOOK, prompt: 'real' }),
		}));
		const forgedExtras = {
			...callback(id, 'customer-42'),
			proxy_links: ['http://169.254.169.254/latest'],
			generationTime: 1,
			note: 'from the callback',
		};
		const outcome = await deliver(
			verifying(api, { trackId: 'customer-42' }),
			jsonRequest(forgedExtras),
			trigger,
		);
		const json = started(outcome);
		expect(json).toMatchObject({
			status: 'success',
			id: String(id),
			track_id: 'customer-42',
			output: [`https://cdn.test/real/${id}.png`],
			meta: { prompt: 'real', track_id: 'customer-42' },
			verified: true,
			track_id_verified: true,
		});
		const text = JSON.stringify(json);
		for (const forged of ['169.254.169.254', 'from the callback', 'forged/', 'hidden'])
			expect(text).not.toContain(forged);
		expect(json?.generationTime).toBeNull();
	});

	it("a callback without track_id is filtered on ModelsLab's track id", async () => {
		const [mine, theirs] = [jobId(), jobId()];
		const api = fakeApi(({ path }) => ({
			body: path.endsWith(`/${mine}`)
				? answer(mine, { track_id: 'customer-42', webhook: OWN_WEBHOOK })
				: answer(theirs, { track_id: 'customer-7', webhook: OWN_WEBHOOK }),
		}));
		const setup = verifying(api, { trackId: 'customer-42' });
		const withoutTrackId = (id: number): IDataObject => {
			const { track_id: _dropped, ...rest } = callback(id, '');
			return rest;
		};
		expect(started(await deliver(setup, jsonRequest(withoutTrackId(mine)), trigger))).toMatchObject(
			{ track_id: 'customer-42', track_id_verified: true },
		);
		expectIgnored(
			await deliver(setup, jsonRequest(withoutTrackId(theirs)), trigger),
			'track_id_filtered',
		);
	});

	it('an answer naming neither track id nor webhook: with a Track ID filter nothing starts; without one it starts, marked unverified', async () => {
		const id = jobId();
		const api = fakeApi(() => ({ body: answer(id, undefined) }));
		expectIgnored(
			await deliver(
				verifying(api, { trackId: 'customer-42' }),
				jsonRequest(callback(id, 'customer-42')),
				trigger,
			),
			'unconfirmed',
		);
		const json = started(
			await deliver(verifying(api), jsonRequest(callback(id, 'customer-42')), trigger),
		);
		expect(json).toMatchObject({
			track_id: 'customer-42',
			track_id_verified: false,
			verified: true,
			output: [`https://cdn.test/real/${id}.png`],
			meta: {},
		});
		// `*` lets every track id through just as an empty filter does.
		expect(
			started(
				await deliver(
					verifying(api, { trackId: '*' }),
					jsonRequest(callback(id, 'customer-42')),
					trigger,
				),
			),
		).toBeDefined();
	});

	it('a foreign forgery does not use up the job: its genuine callback still starts', async () => {
		const id = jobId();
		const api = fakeApi(() => ({
			body: answer(id, { track_id: 'customer-42', webhook: OWN_WEBHOOK }),
		}));
		const setup = verifying(api);
		expectIgnored(
			await deliver(setup, jsonRequest(callback(id, 'someone-else')), trigger),
			'foreign',
		);
		expect(
			started(await deliver(setup, jsonRequest(callback(id, 'customer-42')), trigger)),
		).toBeDefined();
		expectIgnored(
			await deliver(setup, jsonRequest(callback(id, 'customer-42')), trigger),
			'duplicate',
		);
	});

	it('a callback whose own track id fails the filter is not read back at all', async () => {
		const api = fakeApi(() => ({ body: answer(1, undefined) }));
		expectIgnored(
			await deliver(
				verifying(api, { trackId: 'customer-42' }),
				jsonRequest(callback(jobId(), 'customer-7')),
				trigger,
			),
			'track_id_filtered',
		);
		expect(api.calls).toEqual([]);
	});
});

describe('a final callback that ModelsLab has not caught up with is read again, not dropped', () => {
	/** ModelsLab's fetch endpoint shows the job as processing until `finalAfterMs` past the first read. */
	function laggingApi(id: number, finalAfterMs: number): FakeApi {
		let firstRead: number | undefined;
		return fakeApi(() => {
			firstRead ??= Date.now();
			const final = Date.now() - firstRead >= finalAfterMs;
			return {
				body: answer(
					id,
					{ track_id: 'late', webhook: OWN_WEBHOOK },
					final ? 'success' : 'processing',
				),
			};
		});
	}

	it('within the answer window: the execution starts once ModelsLab says success, and n8n answers', async () => {
		const id = jobId();
		const api = laggingApi(id, 2_500);
		const outcome = await onFakeClock(() =>
			deliver(verifying(api), jsonRequest(callback(id, 'late')), trigger),
		);
		expect(started(outcome)).toMatchObject({ status: 'success', id: String(id), verified: true });
		// n8n answered after creating the execution: the 2xx still means it exists.
		expect(outcome.result.webhookResponse).toEqual({ received: true, started: true });
		expect(api.calls).toHaveLength(3); // at 0 s, 1 s and 3 s
	});

	it('past the answer window: a 202 goes out in time, the reads go on, and the execution starts later; a duplicate after it is seen', async () => {
		const id = jobId();
		const api = laggingApi(id, 40_000);
		const setup = verifying(api);
		jest.useFakeTimers();
		try {
			const call = triggerContext(setup, jsonRequest(callback(id, 'late')));
			let result: Awaited<ReturnType<typeof trigger.webhook>> | undefined;
			const running = trigger.webhook.call(call.context).then((r) => (result = r));
			await jest.advanceTimersByTimeAsync(ANSWER_WINDOW_MS);
			expect(call.response).toEqual({ statusCode: 202, body: { received: true, pending: true } });
			expect(result).toBeUndefined();
			while (!result) await jest.advanceTimersByTimeAsync(1_000);
			await running;
			expect(result.noWebhookResponse).toBe(true);
			expect(result.workflowData?.[0]?.[0]?.json).toMatchObject({
				status: 'success',
				verified: true,
			});
			expect(Object.keys(setup.staticData?.[SEEN_FIELD] as IDataObject)).toContain(
				`generation:${id}:success`,
			);
		} finally {
			jest.useRealTimers();
		}
		expectIgnored(await deliver(setup, jsonRequest(callback(id, 'late')), trigger), 'duplicate');
	});

	it('a job that never becomes final starts nothing, and an early forged success does not block its real callback later', async () => {
		const id = jobId();
		let final = false;
		const api = fakeApi(() => ({
			body: answer(
				id,
				{ track_id: 'late', webhook: OWN_WEBHOOK },
				final ? 'success' : 'processing',
			),
		}));
		const setup = verifying(api);
		const forged = await onFakeClock(() =>
			deliver(setup, jsonRequest(callback(id, 'late')), trigger),
		);
		expect(forged.statusCode).toBe(202);
		expect(forged.result).toEqual({ noWebhookResponse: true });
		expect(api.calls).toHaveLength(CONFIRM_DELAYS_MS.length + 1);
		expect(forged.call.logger.warn).toHaveBeenCalledWith(
			expect.stringMatching(
				new RegExp(`job "${id}" is still not final at ModelsLab .* nothing started`),
			),
		);
		expect(setup.staticData?.[SEEN_FIELD]).toBeUndefined();
		final = true;
		expect(started(await deliver(setup, jsonRequest(callback(id, 'late')), trigger))).toBeDefined();
	});

	it('a processing callback the trigger listens for starts at once, read once', async () => {
		const id = jobId();
		const api = laggingApi(id, 60_000);
		const outcome = await deliver(
			verifying(api, { statuses: ['processing'] }),
			jsonRequest(callback(id, 'late', 'processing')),
			trigger,
		);
		expect(started(outcome)).toMatchObject({ status: 'processing' });
		expect(api.calls).toHaveLength(1);
	});

	it('a job ModelsLab cannot read is retried within the window, then refused with 502 naming only the reason; a retried delivery can pass', async () => {
		const id = jobId();
		let known = false;
		const api = fakeApi(() =>
			known
				? { body: answer(id, { track_id: 'x', webhook: OWN_WEBHOOK }) }
				: { statusCode: 404, body: { status: 'error', message: 'Request not found' } },
		);
		const setup = verifying(api);
		const outcome = await onFakeClock(() =>
			deliver(setup, jsonRequest(callback(id, 'x')), trigger),
		);
		expect(outcome.statusCode).toBe(502);
		expect(outcome.answer).toEqual({
			received: false,
			error: 'refused',
			reason: 'verification_failed',
		});
		expect(api.calls.length).toBeGreaterThan(1);
		expect(outcome.call.logger.warn).toHaveBeenCalledWith(
			expect.stringMatching(
				new RegExp(`could not verify job "${id}" with ModelsLab: .*Request not found`),
			),
		);
		known = true;
		expect(started(await deliver(setup, jsonRequest(callback(id, 'x')), trigger))).toBeDefined();
	});

	it(`at most ${MAX_BACKGROUND_CONFIRMATIONS} jobs are read on in the background; the next sender gets a 503 it may retry`, async () => {
		const api = fakeApi(({ path }) => ({
			body: answer(Number(path.split('/').pop()), { webhook: OWN_WEBHOOK }, 'processing'),
		}));
		const workflowId = freshWorkflowId();
		const outcomes = await onFakeClock(() =>
			Promise.all(
				Array.from({ length: MAX_BACKGROUND_CONFIRMATIONS + 1 }, () =>
					deliver(
						{ ...verifying(api), workflowId },
						jsonRequest(callback(jobId(), 'many')),
						trigger,
					),
				),
			),
		);
		const codes = outcomes.map((outcome) => outcome.statusCode);
		expect(codes.filter((code) => code === 202)).toHaveLength(MAX_BACKGROUND_CONFIRMATIONS);
		expect(codes.filter((code) => code === 503)).toHaveLength(1);
		expect(outcomes.find((outcome) => outcome.statusCode === 503)?.answer).toEqual({
			received: false,
			error: 'refused',
			reason: 'busy',
		});
	});
});

describe('answers tell a caller who proved nothing no more than a reason code', () => {
	it('neither the Base URL, the key, ModelsLab errors nor the caller’s own text come back', async () => {
		const api = fakeApi(() => ({
			statusCode: 500,
			body: { status: 'error', message: `upstream ${BASE_URL} exploded` },
		}));
		const refused = await onFakeClock(() =>
			deliver(verifying(api), jsonRequest(callback(jobId(), 'probe')), trigger),
		);
		const ignored = await deliver(
			{ parameters: { trackId: 'x' }, staticData: {}, workflowId: freshWorkflowId() },
			jsonRequest(callback(jobId(), 'probe-<script>')),
			trigger,
		);
		for (const outcome of [refused, ignored]) {
			const text = JSON.stringify(outcome.answer);
			for (const secret of [BASE_URL, 'modelslab.test', API_KEY, 'exploded', 'probe'])
				expect(text).not.toContain(secret);
		}
		expect(Object.keys(refused.answer as IDataObject).sort()).toEqual([
			'error',
			'reason',
			'received',
		]);
		expect(Object.keys(ignored.answer as IDataObject).sort()).toEqual([
			'ignored',
			'reason',
			'received',
		]);
	});
});

describe('a Workflows callback under Verify is read back from ModelsLab (simulator)', () => {
	let sim: Simulator;
	/** Where the simulator posts the runs' callbacks; the tests hand them to the trigger. */
	let sink: StubServer;
	beforeAll(async () => {
		sim = await startSimulator({ callbackDelayMs: 50 });
		sink = await startStubServer((_request, response) => response.writeHead(200).end('ok'));
	});
	afterAll(async () => {
		await sim.stop();
		await sink.stop();
	});
	beforeEach(() => sim.reset());

	const verifyingAtSimulator = (parameters: Record<string, unknown> = {}): TriggerSetup => ({
		...verifying(simulatorApi(sim), parameters),
		credentialData: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
	});
	const apiOf = (setup: TriggerSetup): FakeApi => setup.api as FakeApi;

	/**
	 * Runs a workflow to its end at the simulator; its execution id and the callback it sent. The
	 * test's only run with a webhook, so the first callback since reset() is its own.
	 */
	async function finishedRun(
		workflowId: string,
		shape: 'overview' | 'webhooksPage',
	): Promise<{ executionId: string; body: IDataObject }> {
		sim.setWorkflowWebhook(workflowId, `${sink.origin}/webhook/modelslab`);
		sim.plan({ workflowCallbackShape: shape });
		const executionId = await runWorkflow(sim, workflowId);
		const [sent] = await sim.waitForCallbacks(1);
		expect(sent.jobId).toBe(executionId);
		return { executionId, body: sent.body as IDataObject };
	}

	/** The forgery: a Workflows callback naming no workflow, with a file of its own. */
	const forged: IDataObject = {
		event: 'workflow.completed',
		execution: {
			id: 1,
			status: 'completed',
			output_data: { images: ['https://evil/x.png'] },
		},
	};

	it('a forged Workflows callback naming no workflow starts nothing, and ModelsLab is not asked', async () => {
		const setup = verifyingAtSimulator();
		const outcome = await deliver(setup, jsonRequest(forged), trigger);
		expectIgnored(outcome, 'unverifiable');
		expect(apiOf(setup).calls).toEqual([]);
		expect(setup.staticData?.[SEEN_FIELD]).toBeUndefined();
	});

	it.each(['overview', 'webhooksPage'] as const)(
		"a genuine run's callback (%s shape) starts once, with ModelsLab's status and output, verified",
		async (shape) => {
			const workflowId = `wf-genuine-${shape}`;
			const { executionId, body } = await finishedRun(workflowId, shape);
			// Its files swapped on the way: the run's own files are what ModelsLab reports.
			const tampered =
				shape === 'overview'
					? { ...body, output: { output: ['https://evil/x.png'] } }
					: {
							...body,
							execution: {
								...(body.execution as IDataObject),
								output_data: { images: ['https://evil/x.png'] },
							},
						};
			const setup = verifyingAtSimulator();
			const json = started(await deliver(setup, jsonRequest(tampered), trigger));
			expect(json).toMatchObject({
				status: 'success',
				id: executionId,
				track_id: '',
				output: [...(sim.jobs.get(executionId)?.output ?? ['(none)'])],
				kind: 'workflowRun',
				verified: true,
				execution: { id: Number(executionId), workflow_id: workflowId, status: 'completed' },
			});
			expect(JSON.stringify(json)).not.toContain('evil');
			expect(apiOf(setup).calls.map(({ method, path }) => `${method} ${path}`)).toEqual([
				`GET /v1/workflows/${workflowId}/runs/${executionId}`,
			]);
			expectIgnored(await deliver(setup, jsonRequest(body), trigger), 'duplicate');
		},
	);

	it('a failed run starts with ModelsLab\'s "failed", whatever its callback claims', async () => {
		const workflowId = 'wf-failing';
		sim.setWorkflowWebhook(workflowId, `${sink.origin}/webhook/modelslab`);
		sim.plan({ hold: true });
		const executionId = await runWorkflow(sim, workflowId);
		await sim.completeJob(executionId, 'failed');
		const claim = {
			event: 'workflow.completed',
			execution_id: Number(executionId),
			workflow_id: workflowId,
			status: 'completed',
			output: { output: ['https://evil/x.png'] },
		};
		const json = started(await deliver(verifyingAtSimulator(), jsonRequest(claim), trigger));
		expect(json).toMatchObject({ status: 'failed', id: executionId, output: [], verified: true });
		expect(JSON.stringify(json)).not.toContain('evil');
	});

	it('a real run named under another workflow, or a made-up execution id, is refused: 502, reason only', async () => {
		const { executionId, body } = await finishedRun('wf-real', 'overview');
		await runWorkflow(sim, 'wf-other');
		const underOtherWorkflow = { ...body, workflow_id: 'wf-other' };
		const madeUpExecution = { ...body, execution_id: Number(executionId) + 1_000 };
		const setup = verifyingAtSimulator();
		const outcomes = await Promise.all(
			[underOtherWorkflow, madeUpExecution].map((claim) =>
				deliver({ ...setup, staticData: {} }, jsonRequest(claim), trigger),
			),
		);
		for (const outcome of outcomes) {
			expect(outcome.started).toBe(false);
			expect(outcome.statusCode).toBe(502);
			expect(outcome.answer).toEqual({
				received: false,
				error: 'refused',
				reason: 'verification_failed',
			});
		}
		expect(outcomes[0].call.logger.warn).toHaveBeenCalledWith(
			expect.stringMatching(/not found for workflow wf-other/),
		);
	});

	it('with a Track ID filter a Workflows run, which has no track id, starts nothing (unconfirmed)', async () => {
		const { body } = await finishedRun('wf-filtered', 'webhooksPage');
		expectIgnored(
			await deliver(verifyingAtSimulator({ trackId: 'customer-*' }), jsonRequest(body), trigger),
			'unconfirmed',
		);
	});
});

describe('a Workflows callback under Verify, against answers the simulator does not give (scripted)', () => {
	const WORKFLOW = '0b6f3c2e-7d41-4a8e-9c35-2f1d8e6a4b90';
	const RUN_PATH = (executionId: number): string => `/v1/workflows/${WORKFLOW}/runs/${executionId}`;
	const claim = (executionId: number): IDataObject => ({
		event: 'workflow.completed',
		execution_id: executionId,
		workflow_id: WORKFLOW,
		status: 'completed',
		output: { output: ['https://evil/x.png'] },
	});
	/** ModelsLab's Get Run answer (docs/modelslab-api.md §3.7). */
	const runAnswer = (
		executionId: number,
		status: string,
		execution: IDataObject = {},
	): IDataObject => ({
		status: 'success',
		execution: { id: executionId, workflow_id: WORKFLOW, status, ...execution },
		output: {
			output: status === 'completed' ? [`https://cdn.test/real/${executionId}.png`] : [],
			proxy_links: [],
			status,
		},
		error: null,
		steps: [],
	});

	it('a run ModelsLab has not finished yet is read again, and starts once it has', async () => {
		const id = jobId();
		let reads = 0;
		const api = fakeApi(({ path }) => {
			expect(path).toBe(RUN_PATH(id));
			return { body: runAnswer(id, ++reads < 3 ? 'running' : 'completed') };
		});
		const outcome = await onFakeClock(() =>
			deliver(verifying(api), jsonRequest(claim(id)), trigger),
		);
		expect(started(outcome)).toMatchObject({
			status: 'success',
			output: [`https://cdn.test/real/${id}.png`],
			verified: true,
		});
		expect(api.calls).toHaveLength(3);
	});

	it('a completed claim for a run that stays running starts nothing', async () => {
		const id = jobId();
		const api = fakeApi(() => ({ body: runAnswer(id, 'running') }));
		const setup = verifying(api);
		const outcome = await onFakeClock(() => deliver(setup, jsonRequest(claim(id)), trigger));
		expect(outcome.statusCode).toBe(202);
		expect(outcome.result).toEqual({ noWebhookResponse: true });
		expect(api.calls).toHaveLength(CONFIRM_DELAYS_MS.length + 1);
		expect(setup.staticData?.[SEEN_FIELD]).toBeUndefined();
	});

	it('an answer about another execution or workflow, or about no run at all, is foreign', async () => {
		for (const body of [
			runAnswer(1, 'completed'),
			runAnswer(jobId(), 'completed', { workflow_id: 'another-workflow' }),
			{ status: 'error', message: 'Workflow is not enabled for API access' },
		]) {
			const outcome = await deliver(
				verifying(fakeApi(() => ({ body }))),
				jsonRequest(claim(jobId())),
				trigger,
			);
			expectIgnored(outcome, 'foreign');
		}
	});

	it('a workflow id that could leave its path segment is not read with: unverifiable', async () => {
		for (const workflowId of ['..', '../v6/images', 'a/b', '', ' ']) {
			const api = fakeApi(() => ({ body: runAnswer(1, 'completed') }));
			expectIgnored(
				await deliver(
					verifying(api),
					jsonRequest({ ...claim(jobId()), workflow_id: workflowId }),
					trigger,
				),
				'unverifiable',
			);
			expect(api.calls).toEqual([]);
		}
	});

	it('two different workflow ids in one callback are unverifiable', async () => {
		const api = fakeApi(() => ({ body: runAnswer(1, 'completed') }));
		expectIgnored(
			await deliver(
				verifying(api),
				jsonRequest({ ...claim(jobId()), workflow: { id: 'another-workflow' } }),
				trigger,
			),
			'unverifiable',
		);
		expect(api.calls).toEqual([]);
	});
});
