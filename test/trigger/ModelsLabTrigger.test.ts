import { NodeOperationError, type IDataObject, type IHttpRequestOptions } from 'n8n-workflow';

import { ModelsLabTrigger } from '../../nodes/ModelsLabTrigger/ModelsLabTrigger.node';
import {
	FLUSH_BATCH,
	FLUSH_INTERVAL_MS,
	MAX_SEEN,
	SEEN_FIELD,
} from '../../nodes/ModelsLabTrigger/callbackDedup';
import type { IgnoreReason, RefusalReason } from '../../nodes/ModelsLabTrigger/responses';
import { API_KEY, BASE_URL, TINY_PNG, fakeApi } from '../support/mockContexts';
import {
	deliver,
	firstItemJson,
	freshWorkflowId,
	hookContext,
	jsonRequest,
	triggerContext,
	type TriggerOutcome,
	type TriggerSetup,
} from './triggerContext';

const trigger = new ModelsLabTrigger();

let nextId = 700_000;
/** A job id no other test uses. */
const jobId = (): number => ++nextId;

const success = (
	id: number,
	trackId: string | number = 'user42_a',
	extra: IDataObject = {},
): IDataObject => ({
	status: 'success',
	id,
	output: [`https://cdn.test/generations/${id}.png`],
	generationTime: 4.2,
	track_id: trackId,
	meta: { prompt: 'a red apple', seed: 7 },
	...extra,
});
const failed = (id: number, trackId = 'user42_b'): IDataObject => ({
	status: 'failed',
	id,
	message: 'Processing failed: out of memory',
	track_id: trackId,
});
const processing = (id: number, trackId = 'user42_c'): IDataObject => ({
	status: 'processing',
	id,
	output: '',
	track_id: trackId,
	eta: 30,
});
const training = (modelId: string, trainingStatus: string): IDataObject => ({
	status: 'success',
	training_status: trainingStatus,
	logs: 'it will take upto 25 minutes',
	model_id: modelId,
});
const workflowNested = (executionId: string): IDataObject => ({
	event: 'workflow.completed',
	workflow: { id: 'wf_77', name: 'Poster', user_id: 9 },
	execution: {
		id: executionId,
		status: 'completed',
		started_at: '2026-01-01T00:00:00Z',
		completed_at: '2026-01-01T00:01:00Z',
		execution_time: 60,
		input_data: {},
		output_data: { output: ['https://cdn.test/wf/poster.png'] },
	},
});
const workflowFlat = (executionId: string): IDataObject => ({
	event: 'workflow.completed',
	execution_id: executionId,
	workflow_id: 'wf_77',
	status: 'completed',
	output: { output: ['https://cdn.test/wf/flat.png'] },
	completed_at: '2026-01-01T00:01:00Z',
});

/** A fresh workflow per setup, so process-wide claims never cross tests. */
const setupWith = (
	parameters: Record<string, unknown> = {},
	extra: Partial<TriggerSetup> = {},
): TriggerSetup => ({
	parameters,
	staticData: {},
	workflowId: freshWorkflowId(),
	...extra,
});

/** Download Outputs on with a 1 MB cap, the file host trusted through the credential. */
const cappedDownloadSetup = (
	outputHosts: string,
	fileResponse: TriggerSetup['fileResponse'],
): TriggerSetup =>
	setupWith(
		{ options: { downloadOutputs: true, maxDownloadSizeMb: 1 } },
		{ withCredential: true, credentialData: { outputHosts }, fileResponse },
	);

function expectIgnored(outcome: TriggerOutcome, reason: IgnoreReason, detail?: RegExp): void {
	expect(outcome.started).toBe(false);
	expect(outcome.statusCode).toBe(200);
	expect(outcome.answer).toEqual({ received: true, ignored: true, reason });
	if (detail)
		expect(loggedDetails(outcome, 'ignored', reason)).toContainEqual(expect.stringMatching(detail));
}

/** Answers say only "refused" and a reason code; the details are in n8n's log. */
function expectRefused(
	outcome: TriggerOutcome,
	statusCode: number,
	reason: RefusalReason,
	detail?: RegExp,
): void {
	expect(outcome.started).toBe(false);
	expect(outcome.result).toEqual({ noWebhookResponse: true });
	expect(outcome.statusCode).toBe(statusCode);
	expect(outcome.answer).toEqual({ received: false, error: 'refused', reason });
	if (detail)
		expect(loggedDetails(outcome, 'refused', reason)).toContainEqual(expect.stringMatching(detail));
}

/** The details the trigger logged for a refusal or an ignored callback with that reason. */
function loggedDetails(
	outcome: TriggerOutcome,
	what: 'refused' | 'ignored',
	reason: string,
): string[] {
	const { logger } = outcome.call;
	const lines = [logger.debug, logger.info, logger.warn, logger.error].flatMap((log) =>
		log.mock.calls.map((call: unknown[]) => String(call[0])),
	);
	const marker = new RegExp(
		`^ModelsLab Trigger ${what} a (?:request|callback) \\((?:\\d+ )?${reason}\\): `,
	);
	return lines.filter((line) => marker.test(line)).map((line) => line.replace(marker, ''));
}

describe('node description', () => {
	const { description } = trigger;

	it('follows the trigger conventions and the contract names', () => {
		expect(description.name).toBe('modelsLabTrigger');
		expect(description.displayName).toContain('Trigger');
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		expect(description.usableAsTool).toBeUndefined();
		expect(description.credentials).toEqual([{ name: 'modelsLabApi', required: false }]);
		expect(description.version).toEqual([1, 1.1, 1.2]);
		expect(description.defaultVersion).toBe(1.2);
		// Compared as JSON, the form the editor gets: the native path resolver is a backend-only symbol key.
		expect(JSON.parse(JSON.stringify(description.webhooks))).toEqual([
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: '',
				path: '={{$parameter["path"]}}',
				isFullPath: true,
			},
		]);
		const byName = Object.fromEntries(
			description.properties.map((property) => [property.name, property]),
		);
		// Version 1 and 1.1 keep "modelslab"; from 1.2 an empty path means n8n's id of the node.
		const paths = description.properties.filter((property) => property.name === 'path');
		expect(paths.map((path) => [path.displayOptions?.show?.['@version'], path.default])).toEqual([
			[[1, 1.1], 'modelslab'],
			[[1.2], ''],
		]);
		expect(byName.trackId).toMatchObject({ type: 'string', default: '' });
		expect(byName.statuses).toMatchObject({ type: 'multiOptions', default: ['success', 'failed'] });
		expect(
			byName.statuses.options
				?.map((option) => ('value' in option ? option.value : undefined))
				.sort(),
		).toEqual(['failed', 'processing', 'success']);
		expect(byName.usageNotice).toMatchObject({ type: 'notice' });
		expect(byName.usageNotice.displayName).toMatch(/webhook.*track_id.*WEBHOOK_URL.*token=/s);
	});

	it('names no option binaryData (n8n would then skip parsing the body of a version 1 webhook node)', () => {
		const options =
			description.properties.find((property) => property.name === 'options')?.options ?? [];
		expect(options.map((option) => option.name)).not.toContain('binaryData');
	});
});

describe('webhook lifecycle', () => {
	it('create and delete do nothing and report success; checkExists reports the webhook as present', async () => {
		const context = hookContext({});
		await expect(trigger.webhookMethods.default.checkExists.call(context)).resolves.toBe(true);
		await expect(trigger.webhookMethods.default.create.call(context)).resolves.toBe(true);
		await expect(trigger.webhookMethods.default.delete.call(context)).resolves.toBe(true);
	});

	it('checkExists refuses to activate with an invalid regular expression or verification without a credential', async () => {
		await expect(
			trigger.webhookMethods.default.checkExists.call(hookContext({ trackId: 'a, /([/' })),
		).rejects.toThrow(NodeOperationError);
		await expect(
			trigger.webhookMethods.default.checkExists.call(hookContext({ trackId: '/([/' })),
		).rejects.toThrow(/Track ID filter: "\/\(\[\/" is not a valid regular expression/);
		await expect(
			trigger.webhookMethods.default.checkExists.call(
				hookContext({ options: { verifyWithModelsLab: true } }),
			),
		).rejects.toThrow(/needs a ModelsLab credential/);
		await expect(
			trigger.webhookMethods.default.checkExists.call(
				hookContext({ options: { verifyWithModelsLab: true } }, true),
			),
		).resolves.toBe(true);
	});
});

describe('output item', () => {
	it('a generation callback becomes the contract item: id and track_id as strings, output, meta, the rest of the body, kind', async () => {
		const id = jobId();
		const outcome = await deliver(
			setupWith(),
			jsonRequest(success(id, 'user42_a', { key: 'leaked-key', webhook_status: 'sent' })),
			trigger,
		);
		expect(outcome.started).toBe(true);
		expect(outcome.statusCode).toBe(200);
		expect(outcome.answer).toEqual({ received: true, started: true });
		// n8n answers, on 2.x once the execution exists: the node leaves the answer to it.
		expect(outcome.result.noWebhookResponse).toBeUndefined();
		expect(outcome.result.webhookResponse).toEqual({ received: true, started: true });
		expect(outcome.result.workflowData).toHaveLength(1);
		expect(outcome.result.workflowData?.[0]).toHaveLength(1);
		expect(outcome.result.workflowData?.[0][0]).toEqual({
			json: {
				status: 'success',
				id: String(id),
				track_id: 'user42_a',
				output: [`https://cdn.test/generations/${id}.png`],
				meta: { prompt: 'a red apple', seed: 7 },
				proxy_links: [],
				generationTime: 4.2,
				message: null,
				webhook_status: 'sent',
				kind: 'generation',
			},
		});
	});

	it("a failed callback carries ModelsLab's message and an empty output", async () => {
		const id = jobId();
		const json = firstItemJson(await deliver(setupWith(), jsonRequest(failed(id)), trigger));
		expect(json).toEqual({
			status: 'failed',
			id: String(id),
			track_id: 'user42_b',
			output: [],
			proxy_links: [],
			meta: {},
			generationTime: null,
			message: 'Processing failed: out of memory',
			kind: 'generation',
		});
	});

	it('a numeric track_id comes out as a string; a track_id only in meta is used too', async () => {
		const numeric = firstItemJson(
			await deliver(setupWith(), jsonRequest(success(jobId(), 300)), trigger),
		);
		expect(numeric.track_id).toBe('300');
		const id = jobId();
		const inMeta = firstItemJson(
			await deliver(
				setupWith(),
				jsonRequest({ status: 'success', id, output: [], meta: { track_id: 301 } }),
				trigger,
			),
		);
		expect(inMeta).toMatchObject({ id: String(id), track_id: '301', output: [] });
	});

	it('a finished training callback: id is the model_id, training_status kept, no track_id', async () => {
		const json = firstItemJson(
			await deliver(setupWith(), jsonRequest(training('F5jvdzGnYi', 'model_ready')), trigger),
		);
		expect(json).toEqual({
			status: 'success',
			id: 'F5jvdzGnYi',
			track_id: '',
			output: [],
			proxy_links: [],
			meta: {},
			generationTime: null,
			message: 'it will take upto 25 minutes',
			training_status: 'model_ready',
			logs: 'it will take upto 25 minutes',
			model_id: 'F5jvdzGnYi',
			kind: 'training',
		});
	});

	it('both Workflows callback shapes: id is the execution id, status success, outputs listed', async () => {
		const nested = firstItemJson(
			await deliver(setupWith(), jsonRequest(workflowNested('exec-1')), trigger),
		);
		expect(nested).toMatchObject({
			status: 'success',
			id: 'exec-1',
			track_id: '',
			output: ['https://cdn.test/wf/poster.png'],
			kind: 'workflowRun',
			event: 'workflow.completed',
		});
		const flat = firstItemJson(
			await deliver(setupWith(), jsonRequest(workflowFlat('exec-2')), trigger),
		);
		expect(flat).toMatchObject({
			status: 'success',
			id: 'exec-2',
			track_id: '',
			output: ['https://cdn.test/wf/flat.png'],
			kind: 'workflowRun',
			workflow_id: 'wf_77',
		});
	});

	it('a failed Workflows run comes out as failed', async () => {
		const body = {
			...workflowFlat('exec-3'),
			event: 'workflow.failed',
			status: 'failed',
			output: null,
			error: 'node 3 crashed',
		};
		const json = firstItemJson(await deliver(setupWith(), jsonRequest(body), trigger));
		expect(json).toMatchObject({
			status: 'failed',
			id: 'exec-3',
			output: [],
			message: 'node 3 crashed',
			kind: 'workflowRun',
		});
	});
});

describe('Track ID filter', () => {
	it('empty starts for every track_id, including none', async () => {
		expect(
			(
				await deliver(
					setupWith({ trackId: '' }),
					jsonRequest(success(jobId(), 'anything')),
					trigger,
				)
			).started,
		).toBe(true);
		expect(
			(
				await deliver(
					setupWith({ trackId: '  ' }),
					jsonRequest(training('M1', 'model_ready')),
					trigger,
				)
			).started,
		).toBe(true);
	});

	it('a plain pattern matches exactly and case-sensitively', async () => {
		const setup = setupWith({ trackId: 'user42_a' });
		expect((await deliver(setup, jsonRequest(success(jobId(), 'user42_a')), trigger)).started).toBe(
			true,
		);
		expectIgnored(
			await deliver(setup, jsonRequest(success(jobId(), 'user42_ab')), trigger),
			'track_id_filtered',
			/^track_id "user42_ab" does not match the Track ID filter$/,
		);
		expectIgnored(
			await deliver(setup, jsonRequest(success(jobId(), 'USER42_A')), trigger),
			'track_id_filtered',
			/does not match/,
		);
	});

	it('user42_*: of 10 callbacks the 5 matching ones start, the others answer 2xx ignored', async () => {
		const setup = setupWith({ trackId: 'user42_*' });
		const trackIds = [
			'user42_1',
			'other_1',
			'user42_',
			'user4_2',
			'user42_x_y',
			'xuser42_1',
			'user42_99',
			'user43_1',
			'user42_z',
			'',
		];
		const outcomes = [];
		for (const trackId of trackIds)
			outcomes.push(await deliver(setup, jsonRequest(success(jobId(), trackId)), trigger));
		const startedTrackIds = outcomes
			.filter((outcome) => outcome.started)
			.map((outcome) => firstItemJson(outcome).track_id);
		expect(startedTrackIds).toEqual(['user42_1', 'user42_', 'user42_x_y', 'user42_99', 'user42_z']);
		for (const outcome of outcomes.filter((entry) => !entry.started))
			expectIgnored(outcome, 'track_id_filtered', /does not match the Track ID filter/);
	});

	it('* alone matches any run of characters, including none (training callbacks have no track_id)', async () => {
		const setup = setupWith({ trackId: '*' });
		expect(
			(await deliver(setup, jsonRequest(training('M2', 'model_ready')), trigger)).started,
		).toBe(true);
		expect(
			(await deliver(setup, jsonRequest(success(jobId(), 'x'.repeat(5000))), trigger)).started,
		).toBe(true);
		// With a pattern other than *, a callback without track_id does not match.
		expectIgnored(
			await deliver(
				setupWith({ trackId: 'user*' }),
				jsonRequest(training('M3', 'model_ready')),
				trigger,
			),
			'track_id_filtered',
			/track_id "" does not match/,
		);
	});

	it('wildcards in the middle and several of them', async () => {
		const setup = setupWith({ trackId: 'a*b*c' });
		expect((await deliver(setup, jsonRequest(success(jobId(), 'abc')), trigger)).started).toBe(
			true,
		);
		expect(
			(await deliver(setup, jsonRequest(success(jobId(), 'a-x-b-y-c')), trigger)).started,
		).toBe(true);
		expect(
			(await deliver(setup, jsonRequest(success(jobId(), 'a-x-b-y-c-')), trigger)).started,
		).toBe(false);
		expect((await deliver(setup, jsonRequest(success(jobId(), 'acb')), trigger)).started).toBe(
			false,
		);
	});

	it('a comma-separated list matches any of its patterns; spaces around patterns are ignored', async () => {
		const setup = setupWith({ trackId: ' order-1 , user42_* ,, /^batch-\\d{2}$/ ' });
		const results = [];
		for (const trackId of ['order-1', 'user42_q', 'batch-07', 'batch-007', 'order-2']) {
			results.push((await deliver(setup, jsonRequest(success(jobId(), trackId)), trigger)).started);
		}
		expect(results).toEqual([true, true, true, false, false]);
	});

	it('/regex/ is a regular expression, commas inside it included, with i/m/s/u flags', async () => {
		const braces = setupWith({ trackId: '/^a{1,3}$/, z' });
		expect((await deliver(braces, jsonRequest(success(jobId(), 'aa')), trigger)).started).toBe(
			true,
		);
		expect((await deliver(braces, jsonRequest(success(jobId(), 'aaaa')), trigger)).started).toBe(
			false,
		);
		expect((await deliver(braces, jsonRequest(success(jobId(), 'z')), trigger)).started).toBe(true);
		const caseless = setupWith({ trackId: '/^USER\\d+$/i' });
		expect(
			(await deliver(caseless, jsonRequest(success(jobId(), 'user42')), trigger)).started,
		).toBe(true);
	});

	it('compares a numeric track_id as a string: exact, wildcard and regex', async () => {
		expect(
			(await deliver(setupWith({ trackId: '42' }), jsonRequest(success(jobId(), 42)), trigger))
				.started,
		).toBe(true);
		expect(
			(await deliver(setupWith({ trackId: '4*' }), jsonRequest(success(jobId(), 4711)), trigger))
				.started,
		).toBe(true);
		expect(
			(
				await deliver(
					setupWith({ trackId: '/^\\d{4}$/' }),
					jsonRequest(success(jobId(), 4711)),
					trigger,
				)
			).started,
		).toBe(true);
		expectIgnored(
			await deliver(setupWith({ trackId: '42' }), jsonRequest(success(jobId(), 420)), trigger),
			'track_id_filtered',
			/track_id "420" does not match/,
		);
	});

	it('an invalid regular expression answers 500 with a clear error, logs it, and starts nothing', async () => {
		const outcome = await deliver(
			setupWith({ trackId: 'user42_*, /([/' }),
			jsonRequest(success(jobId())),
			trigger,
		);
		expectRefused(
			outcome,
			500,
			'misconfigured',
			/^Track ID filter: "\/\(\[\/" is not a valid regular expression \(.+\)$/,
		);
		expect(outcome.call.logger.error).toHaveBeenCalledWith(
			expect.stringContaining('is not a valid regular expression'),
		);
	});

	it('stateful flags and an unclosed /pattern are configuration errors too', async () => {
		expectRefused(
			await deliver(setupWith({ trackId: '/^a/g' }), jsonRequest(success(jobId())), trigger),
			500,
			'misconfigured',
			/"\/\^a\/g" has flags "g"; only i, m, s and u are allowed/,
		);
		expectRefused(
			await deliver(setupWith({ trackId: '/abc' }), jsonRequest(success(jobId())), trigger),
			500,
			'misconfigured',
			/"\/abc" starts with \/ but has no closing \//,
		);
	});

	it('a regex that could backtrack catastrophically is refused: activation fails and a callback starts nothing', async () => {
		await expect(
			trigger.webhookMethods.default.checkExists.call(hookContext({ trackId: '/^(a+)+$/' })),
		).rejects.toThrow(/could take very long on a crafted track id/);
		expectRefused(
			await deliver(
				setupWith({ trackId: '/^(a+)+$/' }),
				jsonRequest(success(jobId(), `${'a'.repeat(28)}b`)),
				trigger,
			),
			500,
			'misconfigured',
			/could take very long on a crafted track id/,
		);
	});

	it('a safe regex runs only on track ids up to the length cap', async () => {
		const setup = setupWith({ trackId: '/^a+$/' });
		expect(
			(await deliver(setup, jsonRequest(success(jobId(), 'a'.repeat(128))), trigger)).started,
		).toBe(true);
		expect(
			(await deliver(setup, jsonRequest(success(jobId(), 'a'.repeat(129))), trigger)).started,
		).toBe(false);
	});

	it('wildcards stay fast on long hostile track_ids', async () => {
		const started = Date.now();
		const outcome = await deliver(
			setupWith({ trackId: '*a*a*a*a*a*a*a*a*b' }),
			jsonRequest(success(jobId(), 'a'.repeat(20_000))),
			trigger,
		);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(outcome.started).toBe(false);
	});
});

describe('Statuses filter', () => {
	it('by default starts for success and failed, and ignores processing', async () => {
		const setup = setupWith();
		expect((await deliver(setup, jsonRequest(success(jobId())), trigger)).started).toBe(true);
		expect((await deliver(setup, jsonRequest(failed(jobId())), trigger)).started).toBe(true);
		expectIgnored(
			await deliver(setup, jsonRequest(processing(jobId())), trigger),
			'status_filtered',
			/^status "processing" is not one of the Statuses this trigger starts on$/,
		);
	});

	it('only the statuses selected start: [processing]', async () => {
		const setup = setupWith({ statuses: ['processing'] });
		const json = firstItemJson(
			await deliver(setup, jsonRequest(processing(jobId(), 'p1')), trigger),
		);
		expect(json).toMatchObject({ status: 'processing', track_id: 'p1', output: [], eta: 30 });
		expectIgnored(
			await deliver(setup, jsonRequest(success(jobId())), trigger),
			'status_filtered',
			/status "success" is not one/,
		);
		expectIgnored(
			await deliver(setup, jsonRequest(failed(jobId())), trigger),
			'status_filtered',
			/status "failed" is not one/,
		);
	});

	it('none selected starts for every status', async () => {
		const setup = setupWith({ statuses: [] });
		for (const body of [success(jobId()), failed(jobId()), processing(jobId())]) {
			expect((await deliver(setup, jsonRequest(body), trigger)).started).toBe(true);
		}
	});

	it('training progress callbacks are processing; each training state is its own callback', async () => {
		expectIgnored(
			await deliver(setupWith(), jsonRequest(training('T1', 'deploying_gpu')), trigger),
			'status_filtered',
			/status "processing"/,
		);
		const setup = setupWith({ statuses: ['processing', 'success', 'failed'] });
		const first = firstItemJson(
			await deliver(setup, jsonRequest(training('T2', 'deploying_gpu')), trigger),
		);
		expect(first).toMatchObject({
			status: 'processing',
			id: 'T2',
			training_status: 'deploying_gpu',
		});
		const second = firstItemJson(
			await deliver(setup, jsonRequest(training('T2', 'training_started')), trigger),
		);
		expect(second).toMatchObject({
			status: 'processing',
			id: 'T2',
			training_status: 'training_started',
		});
		expectIgnored(
			await deliver(setup, jsonRequest(training('T2', 'training_started')), trigger),
			'duplicate',
			/^job "T2" with status "processing" was already handled$/,
		);
		const failedTraining = firstItemJson(
			await deliver(setup, jsonRequest({ ...training('T2', 'failed'), status: 'error' }), trigger),
		);
		expect(failedTraining).toMatchObject({ status: 'failed', training_status: 'failed' });
	});
});

describe('duplicates', () => {
	it('the same callback delivered three times starts one execution; the others get 2xx duplicate', async () => {
		const setup = setupWith();
		const body = success(jobId());
		const outcomes = [];
		for (let i = 0; i < 3; i++) outcomes.push(await deliver(setup, jsonRequest(body), trigger));
		expect(outcomes.map((outcome) => outcome.started)).toEqual([true, false, false]);
		expectIgnored(
			outcomes[1],
			'duplicate',
			new RegExp(`^job "${String(body.id)}" with status "success" was already handled$`),
		);
		expect(Object.keys(setup.staticData?.[SEEN_FIELD] as IDataObject)).toEqual([
			`generation:${String(body.id)}:success`,
		]);
	});

	it('a job that sends processing and then success starts once for each', async () => {
		const setup = setupWith({ statuses: ['processing', 'success'] });
		const id = jobId();
		expect((await deliver(setup, jsonRequest(processing(id)), trigger)).started).toBe(true);
		expect((await deliver(setup, jsonRequest(success(id)), trigger)).started).toBe(true);
		expect((await deliver(setup, jsonRequest(success(id)), trigger)).started).toBe(false);
	});

	it('an id sent as a number and again as a string is the same job', async () => {
		const setup = setupWith();
		const id = jobId();
		expect((await deliver(setup, jsonRequest(success(id)), trigger)).started).toBe(true);
		expect(
			(await deliver(setup, jsonRequest({ ...success(id), id: String(id) }), trigger)).started,
		).toBe(false);
	});

	it('20 concurrent deliveries, each with its own copy of static data (as n8n loads it per request), start exactly one execution', async () => {
		const workflowId = freshWorkflowId();
		const body = success(jobId());
		const copies: IDataObject[] = Array.from({ length: 20 }, () => ({}));
		const outcomes = await Promise.all(
			copies.map(
				async (staticData) => await deliver({ workflowId, staticData }, jsonRequest(body), trigger),
			),
		);
		expect(outcomes.filter((outcome) => outcome.started)).toHaveLength(1);
		const duplicates = outcomes.filter((outcome) => !outcome.started);
		expect(duplicates).toHaveLength(19);
		for (const outcome of duplicates) expectIgnored(outcome, 'duplicate');
	});

	it('20 concurrent deliveries sharing one static data object start exactly one execution', async () => {
		const setup = setupWith();
		const body = failed(jobId());
		const outcomes = await Promise.all(
			Array.from({ length: 20 }, async () => await deliver(setup, jsonRequest(body), trigger)),
		);
		expect(outcomes.filter((outcome) => outcome.started)).toHaveLength(1);
	});

	it('the seen list survives a restart: static data saved and loaded again, no in-process memory', async () => {
		const workflowId = freshWorkflowId();
		const saved: IDataObject = {};
		const body = success(jobId());
		expect(
			(await deliver({ workflowId, staticData: saved }, jsonRequest(body), trigger)).started,
		).toBe(true);
		const reloaded = JSON.parse(JSON.stringify(saved)) as IDataObject;

		let FreshTrigger: typeof ModelsLabTrigger | undefined;
		jest.isolateModules(() => {
			// A new module registry: a new process, whose in-process claims are empty.
			FreshTrigger = (
				require('../../nodes/ModelsLabTrigger/ModelsLabTrigger.node') as typeof import('../../nodes/ModelsLabTrigger/ModelsLabTrigger.node')
			).ModelsLabTrigger;
		});
		if (!FreshTrigger) throw new Error('module did not load');
		const afterRestart = new FreshTrigger();
		// Proof the fresh module remembers nothing by itself: with empty static data the callback starts again.
		expect(
			(await deliver({ workflowId, staticData: {} }, jsonRequest(body), afterRestart)).started,
		).toBe(true);
		// With the saved static data it is a duplicate.
		expectIgnored(
			await deliver({ workflowId, staticData: reloaded }, jsonRequest(body), afterRestart),
			'duplicate',
		);
	});

	it('static data keeps at most the newest 1000 keys, with timestamps', async () => {
		const old: IDataObject = {};
		for (let i = 0; i < MAX_SEEN; i++) old[`generation:old-${i}:success`] = 1_000 + i;
		const setup = setupWith({}, { staticData: { [SEEN_FIELD]: old } });
		const id = jobId();
		const before = Date.now();
		expect((await deliver(setup, jsonRequest(success(id)), trigger)).started).toBe(true);
		const seen = setup.staticData?.[SEEN_FIELD] as Record<string, number>;
		expect(Object.keys(seen)).toHaveLength(MAX_SEEN);
		expect(seen[`generation:${id}:success`]).toBeGreaterThanOrEqual(before);
		expect(seen['generation:old-0:success']).toBeUndefined();
		expect(seen['generation:old-999:success']).toBe(1_999);
		// An old key still in the list is still a duplicate.
		expect(
			(await deliver(setup, jsonRequest({ status: 'success', id: 'old-999', output: [] }), trigger))
				.started,
		).toBe(false);
	});

	it('unreadable static data is treated as empty and replaced', async () => {
		const setup = setupWith({}, { staticData: { [SEEN_FIELD]: 'garbage', other: 1 } });
		const id = jobId();
		expect((await deliver(setup, jsonRequest(success(id)), trigger)).started).toBe(true);
		expect(setup.staticData).toEqual({
			other: 1,
			[SEEN_FIELD]: { [`generation:${id}:success`]: expect.any(Number) },
		});
	});

	it('a very long id is stored as a hash, so static data stays small', async () => {
		const setup = setupWith();
		const longId = 'x'.repeat(50_000);
		expect(
			(await deliver(setup, jsonRequest({ status: 'success', id: longId, output: [] }), trigger))
				.started,
		).toBe(true);
		const keys = Object.keys(setup.staticData?.[SEEN_FIELD] as IDataObject);
		expect(keys).toEqual([expect.stringMatching(/^sha256:[0-9a-f]{64}$/)]);
		expect(
			(await deliver(setup, jsonRequest({ status: 'success', id: longId, output: [] }), trigger))
				.started,
		).toBe(false);
	});

	it('filtered callbacks are not remembered: the same job starts later once the filter passes', async () => {
		const workflowId = freshWorkflowId();
		const staticData: IDataObject = {};
		const body = success(jobId(), 'late');
		expect(
			(
				await deliver(
					{ workflowId, staticData, parameters: { trackId: 'early' } },
					jsonRequest(body),
					trigger,
				)
			).started,
		).toBe(false);
		expect(staticData[SEEN_FIELD]).toBeUndefined();
		expect(
			(
				await deliver(
					{ workflowId, staticData, parameters: { trackId: 'late' } },
					jsonRequest(body),
					trigger,
				)
			).started,
		).toBe(true);
	});

	it('test events ("Listen for test event") are not deduplicated and leave static data alone', async () => {
		const setup = setupWith({}, { mode: 'manual' });
		const body = success(jobId());
		expect((await deliver(setup, jsonRequest(body), trigger)).started).toBe(true);
		expect((await deliver(setup, jsonRequest(body), trigger)).started).toBe(true);
		expect(setup.staticData).toEqual({});
	});
});

describe('a 2xx only once the execution exists', () => {
	afterEach(() => jest.restoreAllMocks());

	it('n8n cannot create the execution: the sender gets its 5xx, nothing is seen, the retry starts once, a third delivery is a duplicate', async () => {
		const workflowId = freshWorkflowId();
		// n8n loads static data from its database per request; what a failed request changed is not saved.
		const stored: IDataObject = {};
		const body = success(jobId());
		const load = (): IDataObject => structuredClone(stored);
		const save = (outcome: TriggerOutcome, loaded: IDataObject): void => {
			if (outcome.staticDataSaved) Object.assign(stored, loaded);
		};

		const loadedFirst = load();
		const first = await deliver(
			{ workflowId, staticData: loadedFirst, executionStart: 'fails' },
			jsonRequest(body),
			trigger,
		);
		save(first, loadedFirst);
		expect(first.statusCode).toBe(500);
		expect(first.started).toBe(false);
		expect(stored[SEEN_FIELD]).toBeUndefined();

		const loadedRetry = load();
		const retry = await deliver(
			{ workflowId, staticData: loadedRetry },
			jsonRequest(body),
			trigger,
		);
		save(retry, loadedRetry);
		expect(retry.statusCode).toBe(200);
		expect(retry.started).toBe(true);
		expect(Object.keys(stored[SEEN_FIELD] as IDataObject)).toEqual([
			`generation:${String(body.id)}:success`,
		]);

		expectIgnored(
			await deliver({ workflowId, staticData: load() }, jsonRequest(body), trigger),
			'duplicate',
		);
	});

	it('a delivery that arrives while the first is being handled waits for its answer: a duplicate after a 2xx', async () => {
		const workflowId = freshWorkflowId();
		const body = success(jobId());
		const first = triggerContext({ workflowId, staticData: {} }, jsonRequest(body));
		const firstResult = await trigger.webhook.call(first.context);
		expect(firstResult.workflowData).toBeDefined();
		// n8n has not answered the first yet (it is creating the execution).
		const second = deliver({ workflowId, staticData: {} }, jsonRequest(body), trigger);
		await new Promise((resolve) => setTimeout(resolve, 20));
		first.responseObject.status(200).json(firstResult.webhookResponse);
		expectIgnored(await second, 'duplicate');
	});

	it('... and takes over when n8n answered the first with an error', async () => {
		const workflowId = freshWorkflowId();
		const body = success(jobId());
		const first = triggerContext({ workflowId, staticData: {} }, jsonRequest(body));
		await trigger.webhook.call(first.context);
		const second = deliver({ workflowId, staticData: {} }, jsonRequest(body), trigger);
		await new Promise((resolve) => setTimeout(resolve, 20));
		first.responseObject
			.status(500)
			.json({ message: 'There was a problem executing the workflow' });
		const outcome = await second;
		expect(outcome.started).toBe(true);
		expect(outcome.statusCode).toBe(200);
	});

	it('a sender that hung up still leaves the outcome to the answer n8n writes afterwards', async () => {
		const workflowId = freshWorkflowId();
		const body = success(jobId());
		const first = triggerContext({ workflowId, staticData: {} }, jsonRequest(body));
		const firstResult = await trigger.webhook.call(first.context);
		first.responseObject.hangUp();
		const second = deliver({ workflowId, staticData: {} }, jsonRequest(body), trigger);
		await new Promise((resolve) => setTimeout(resolve, 20));
		first.responseObject.status(200).json(firstResult.webhookResponse);
		expectIgnored(await second, 'duplicate');
	});

	it('with Download Outputs the node answers before fetching (30 s window) and the job counts as seen at once', async () => {
		const setup = setupWith(
			{ options: { downloadOutputs: true } },
			{ withCredential: true, credentialData: { outputHosts: 'cdn.test' } },
		);
		const body = success(jobId());
		const outcome = await deliver(setup, jsonRequest(body), trigger);
		expect(outcome.result.noWebhookResponse).toBe(true);
		expect(outcome.statusCode).toBe(200);
		expect(outcome.answer).toEqual({ received: true, started: true });
		expect(outcome.result.workflowData?.[0][0].binary).toBeDefined();
		expectIgnored(await deliver(setup, jsonRequest(body), trigger), 'duplicate');
	});
});

describe('seen keys are written to static data in batches', () => {
	afterEach(() => jest.restoreAllMocks());

	/** Delivers each body with the static data as stored, at the given clock, and saves as n8n would. */
	async function deliverAt(
		workflowId: string,
		stored: IDataObject,
		body: IDataObject,
		now: number,
	): Promise<{ outcome: TriggerOutcome; wrote: boolean }> {
		jest.spyOn(Date, 'now').mockReturnValue(now);
		const loaded = structuredClone(stored);
		const outcome = await deliver({ workflowId, staticData: loaded }, jsonRequest(body), trigger);
		const wrote = JSON.stringify(loaded) !== JSON.stringify(stored);
		if (outcome.staticDataSaved) Object.assign(stored, loaded);
		return { outcome, wrote };
	}

	it('a burst writes once per interval, carrying the keys seen in between; none is lost or started twice', async () => {
		const workflowId = freshWorkflowId();
		const stored: IDataObject = {};
		const t0 = 10_000_000;
		const ids = Array.from({ length: 10 }, () => jobId());
		const writes: boolean[] = [];
		for (const [i, id] of ids.entries()) {
			const { outcome, wrote } = await deliverAt(workflowId, stored, success(id), t0 + i * 100);
			expect(outcome.started).toBe(true);
			writes.push(wrote);
		}
		// The first callback writes; the next nine, within FLUSH_INTERVAL_MS, only remember in process.
		expect(writes).toEqual([true, ...Array(9).fill(false)]);
		expect(Object.keys(stored[SEEN_FIELD] as IDataObject)).toHaveLength(1);
		// Duplicates are caught in process meanwhile.
		for (const id of ids)
			expect((await deliverAt(workflowId, stored, success(id), t0 + 1_500)).outcome.started).toBe(
				false,
			);
		// The next callback after the interval writes all of them.
		const late = jobId();
		const { wrote } = await deliverAt(
			workflowId,
			stored,
			success(late),
			t0 + FLUSH_INTERVAL_MS + 1_000,
		);
		expect(wrote).toBe(true);
		expect(Object.keys(stored[SEEN_FIELD] as IDataObject).sort()).toEqual(
			[...ids, late].map((id) => `generation:${id}:success`).sort(),
		);
	});

	it('a duplicate can carry the waiting keys too, so the tail of a burst reaches static data', async () => {
		const workflowId = freshWorkflowId();
		const stored: IDataObject = {};
		const t0 = 20_000_000;
		const [a, b] = [jobId(), jobId()];
		await deliverAt(workflowId, stored, success(a), t0);
		await deliverAt(workflowId, stored, success(b), t0 + 100);
		const { outcome, wrote } = await deliverAt(
			workflowId,
			stored,
			success(b),
			t0 + FLUSH_INTERVAL_MS + 500,
		);
		expectIgnored(outcome, 'duplicate');
		expect(wrote).toBe(true);
		expect(Object.keys(stored[SEEN_FIELD] as IDataObject).sort()).toEqual(
			[a, b].map((id) => `generation:${id}:success`).sort(),
		);
	});

	it(`${FLUSH_BATCH} waiting keys are written without waiting for the interval`, async () => {
		const workflowId = freshWorkflowId();
		const stored: IDataObject = {};
		const t0 = 30_000_000;
		let writes = 0;
		for (let i = 0; i <= FLUSH_BATCH; i++)
			if ((await deliverAt(workflowId, stored, success(jobId()), t0 + i)).wrote) writes++;
		// The first callback, then the one that makes FLUSH_BATCH keys wait: all of them are stored.
		expect(writes).toBe(2);
		expect(Object.keys(stored[SEEN_FIELD] as IDataObject)).toHaveLength(FLUSH_BATCH + 1);
	});

	it('keys a failed request carried stay waiting for the next write', async () => {
		const workflowId = freshWorkflowId();
		const stored: IDataObject = {};
		const t0 = 40_000_000;
		const [a, b, c] = [jobId(), jobId(), jobId()];
		await deliverAt(workflowId, stored, success(a), t0);
		await deliverAt(workflowId, stored, success(b), t0 + 100);
		jest.spyOn(Date, 'now').mockReturnValue(t0 + FLUSH_INTERVAL_MS + 200);
		const loaded = structuredClone(stored);
		const failedStart = await deliver(
			{ workflowId, staticData: loaded, executionStart: 'fails' },
			jsonRequest(success(c)),
			trigger,
		);
		expect(failedStart.statusCode).toBe(500);
		// Not saved: b is still only in process, and c is not seen at all.
		const { outcome, wrote } = await deliverAt(
			workflowId,
			stored,
			success(c),
			t0 + 2 * FLUSH_INTERVAL_MS + 300,
		);
		expect(outcome.started).toBe(true);
		expect(wrote).toBe(true);
		expect(Object.keys(stored[SEEN_FIELD] as IDataObject).sort()).toEqual(
			[a, b, c].map((id) => `generation:${id}:success`).sort(),
		);
	});
});

describe('shared secret from the credential', () => {
	const secret = 'cred-s3cret-abc';

	it("the credential's Trigger Secret is required, and wins over the deprecated option", async () => {
		const setup = (): TriggerSetup =>
			setupWith(
				{ options: { secret: 'old-option-secret' } },
				{ withCredential: true, credentialData: { webhookSecret: secret } },
			);
		expect(
			(await deliver(setup(), jsonRequest(success(jobId()), { query: { token: secret } }), trigger))
				.started,
		).toBe(true);
		expectRefused(
			await deliver(
				setup(),
				jsonRequest(success(jobId()), { query: { token: 'old-option-secret' } }),
				trigger,
			),
			401,
			'token_wrong',
			/^the token query parameter is wrong$/,
		);
		expectRefused(
			await deliver(setup(), jsonRequest(success(jobId())), trigger),
			401,
			'token_missing',
			/^the token query parameter is missing$/,
		);
	});

	it('without a Trigger Secret in the credential the option still applies (workflows saved before)', async () => {
		const setup = setupWith({ options: { secret: 'old-option-secret' } }, { withCredential: true });
		expect(
			(
				await deliver(
					setup,
					jsonRequest(success(jobId()), { query: { token: 'old-option-secret' } }),
					trigger,
				)
			).started,
		).toBe(true);
	});
});

describe('downloads from unverified callbacks', () => {
	it('only from output hosts: a forged callback cannot make n8n fetch a URL of its own', async () => {
		const id = jobId();
		const outcome = await deliver(
			setupWith({ options: { downloadOutputs: true } }),
			jsonRequest(success(id, 'dl', { output: ['http://169.254.169.254/latest/meta-data/'] })),
			trigger,
		);
		expect(outcome.started).toBe(true);
		const item = outcome.result.workflowData?.[0][0];
		expect(item?.binary).toBeUndefined();
		expect(item?.json.download_error).toMatch(/is not on one of ModelsLab's output hosts/);
		expect(outcome.call.httpRequest).not.toHaveBeenCalled();
	});

	it("downloads from ModelsLab's own hosts without any configuration", async () => {
		const id = jobId();
		const url = `https://pub-3626123a908346a7a8be8d9295f44e26.r2.dev/generations/${id}.png`;
		const outcome = await deliver(
			setupWith({ options: { downloadOutputs: true } }),
			jsonRequest(success(id, 'dl', { output: [url] })),
			trigger,
		);
		expect(outcome.result.workflowData?.[0][0].binary?.data).toMatchObject({
			mimeType: 'image/png',
		});
		expect(outcome.call.httpRequest).toHaveBeenCalledWith(expect.objectContaining({ url }));
	});

	it('stops reading at the size cap even when content-length says nothing', async () => {
		const { PassThrough } = await import('node:stream');
		let written = 0;
		const outcome = await deliver(
			cappedDownloadSetup('cdn.test', () => {
				const body = new PassThrough();
				// 64 KB chunks, far more than the cap: the reader must stop early.
				const pump = (): void => {
					if (body.destroyed || written >= 50 * 1_048_576) return void body.end();
					written += 65_536;
					body.write(Buffer.alloc(65_536));
					setImmediate(pump);
				};
				setImmediate(pump);
				return {
					statusCode: 200,
					body: body as unknown as Buffer,
					headers: { 'content-type': 'video/mp4' },
				};
			}),
			jsonRequest(success(jobId())),
			trigger,
		);
		const item = outcome.result.workflowData?.[0][0];
		expect(item?.json.download_error).toMatch(/is larger than the download limit of 1\.0 MB/);
		expect(outcome.call.prepareBinaryData).not.toHaveBeenCalled();
		expect(written).toBeLessThan(2 * 1_048_576);
	});

	it('a content-length over the cap aborts the request before reading, which is what closes the connection', async () => {
		const { PassThrough } = await import('node:stream');
		const body = new PassThrough();
		let read = false;
		body.on('resume', () => (read = true));
		const outcome = await deliver(
			cappedDownloadSetup('cdn.test', () => ({
				statusCode: 200,
				body: body as unknown as Buffer,
				headers: { 'content-type': 'video/mp4', 'content-length': String(64 * 1_048_576) },
			})),
			jsonRequest(success(jobId())),
			trigger,
		);
		expect(outcome.result.workflowData?.[0][0].json.download_error).toMatch(
			/is larger than the download limit of 1\.0 MB/,
		);
		// n8n 2.x wraps the socket's stream: only aborting the request reaches the socket.
		const [options] = outcome.call.httpRequest.mock.calls[0] as [IHttpRequestOptions];
		expect(options.abortSignal?.aborted).toBe(true);
		expect(body.destroyed).toBe(true);
		expect(read).toBe(false);
	});
});

describe('shared secret', () => {
	const secret = 's3cr3t-Token_value';
	const withSecret = (): TriggerSetup => setupWith({ options: { secret } });

	it('the right token in the query starts the workflow', async () => {
		const outcome = await deliver(
			withSecret(),
			jsonRequest(success(jobId()), { query: { token: secret } }),
			trigger,
		);
		expect(outcome.started).toBe(true);
	});

	it('a missing token gets 401 and starts nothing', async () => {
		expectRefused(
			await deliver(withSecret(), jsonRequest(success(jobId())), trigger),
			401,
			'token_missing',
			/^the token query parameter is missing$/,
		);
	});

	it('a wrong token, a prefix of it, or a repeated parameter get 401', async () => {
		for (const token of ['wrong', secret.slice(0, -1), `${secret}x`, '', [secret, secret]]) {
			expectRefused(
				await deliver(
					withSecret(),
					jsonRequest(success(jobId()), { query: { token } as IDataObject }),
					trigger,
				),
				401,
				'token_wrong',
				/^the token query parameter is wrong$/,
			);
		}
	});

	it('the secret is checked before the body: a stranger learns nothing about bad input handling', async () => {
		expectRefused(
			await deliver(withSecret(), { body: 'not json', rawBody: 'not json' }, trigger),
			401,
			'token_missing',
			/missing/,
		);
	});

	it('a refused callback does not count as seen: the genuine one still starts', async () => {
		const setup = withSecret();
		const body = success(jobId());
		expect(
			(await deliver(setup, jsonRequest(body, { query: { token: 'nope' } }), trigger)).started,
		).toBe(false);
		expect(
			(await deliver(setup, jsonRequest(body, { query: { token: secret } }), trigger)).started,
		).toBe(true);
	});
});

describe('Verify With ModelsLab', () => {
	const verifying = (
		api: ReturnType<typeof fakeApi>,
		options: IDataObject = {},
		parameters: Record<string, unknown> = {},
	): TriggerSetup =>
		setupWith(
			{ ...parameters, options: { verifyWithModelsLab: true, ...options } },
			{ api, withCredential: true },
		);

	it('reads a generation job from the chosen endpoint family, through the credential, and uses its status and output', async () => {
		const id = jobId();
		const api = fakeApi(() => ({
			body: {
				status: 'success',
				id,
				output: [`https://cdn.test/verified/${id}.mp4`],
				proxy_links: [],
			},
		}));
		const outcome = await deliver(
			verifying(api, { endpointFamily: 'video' }),
			jsonRequest(success(id, 'vid-1')),
			trigger,
		);
		expect(api.calls).toEqual([
			{ method: 'POST', path: `/v6/video/fetch/${id}`, body: { key: API_KEY } },
		]);
		const options = api.httpRequestWithAuthentication.mock.calls[0][1] as IHttpRequestOptions;
		expect(api.httpRequestWithAuthentication.mock.calls[0][0]).toBe('modelsLabApi');
		expect(options).toMatchObject({
			url: `${BASE_URL}/v6/video/fetch/${id}`,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
		expect(firstItemJson(outcome)).toMatchObject({
			status: 'success',
			id: String(id),
			track_id: 'vid-1',
			output: [`https://cdn.test/verified/${id}.mp4`],
			// ModelsLab's answer holds no meta: the callback's is not taken over.
			meta: {},
			verified: true,
			track_id_verified: false,
			kind: 'generation',
		});
	});

	it('maps every endpoint family, v6 and v7, realtime and interior, to its fetch path; images is the default', async () => {
		const families: Array<[string | undefined, string]> = [
			[undefined, 'v6/images'],
			['images', 'v6/images'],
			['video', 'v6/video'],
			['voice', 'v6/voice'],
			['3d', 'v6/3d'],
			['image_editing', 'v6/image_editing'],
			['faceswap', 'v6/faceswap'],
			['v7_images', 'v7/images'],
			['v7_video', 'v7/video-fusion'],
			['v7_voice', 'v7/voice'],
			['realtime', 'v6/realtime'],
			['interior', 'v6/interior'],
		];
		for (const [family, segment] of families) {
			const id = jobId();
			const api = fakeApi(() => ({
				body: { status: 'success', id, output: ['https://cdn.test/x.png'] },
			}));
			const options = family === undefined ? {} : { endpointFamily: family };
			expect(
				(await deliver(verifying(api, options), jsonRequest(success(id)), trigger)).started,
			).toBe(true);
			expect(api.calls.map((call) => call.path)).toEqual([`/${segment}/fetch/${id}`]);
		}
	});

	it("a callback claiming success for a failed job comes out failed, with ModelsLab's message", async () => {
		const id = jobId();
		const api = fakeApi(() => ({
			body: { status: 'failed', id, output: [], message: 'NSFW content detected' },
		}));
		const json = firstItemJson(await deliver(verifying(api), jsonRequest(success(id)), trigger));
		expect(json).toMatchObject({
			status: 'failed',
			id: String(id),
			output: [],
			message: 'NSFW content detected',
			verified: true,
		});
	});

	it('remembers the verified state too: a later callback with that state is a duplicate', async () => {
		const id = jobId();
		const api = fakeApi(() => ({
			body: { status: 'success', id, output: [`https://cdn.test/${id}.png`] },
		}));
		const setup = verifying(api, {}, { statuses: ['processing', 'success'] });
		// An early "processing" callback, verified as already done, starts with success...
		expect(firstItemJson(await deliver(setup, jsonRequest(processing(id)), trigger)).status).toBe(
			'success',
		);
		// ...so the success callback that follows does not start a second execution.
		expectIgnored(await deliver(setup, jsonRequest(success(id)), trigger), 'duplicate');
		expect(Object.keys(setup.staticData?.[SEEN_FIELD] as IDataObject).sort()).toEqual([
			`generation:${id}:processing`,
			`generation:${id}:success`,
		]);
	});

	it('reads training jobs from fine_tune_status and uses the training state ModelsLab reports', async () => {
		const api = fakeApi(() => ({
			body: { status: 'success', messege: 'model_ready', data: 'step 1000/1000' },
		}));
		const json = firstItemJson(
			await deliver(
				verifying(api, { endpointFamily: 'video' }),
				jsonRequest(training('TR9', 'model_ready')),
				trigger,
			),
		);
		expect(api.calls.map((call) => call.path)).toEqual(['/v3/fine_tune_status/TR9']);
		expect(json).toMatchObject({
			status: 'success',
			id: 'TR9',
			training_status: 'model_ready',
			verified: true,
			kind: 'training',
		});
	});

	it('reads a Workflows run under the workflow its callback names, and uses its status and output', async () => {
		const api = fakeApi(() => ({
			body: {
				status: 'success',
				execution: { id: 'exec-v', workflow_id: 'wf_77', status: 'completed' },
				output: { output: ['https://cdn.test/wf/real.png'], proxy_links: [], status: 'completed' },
			},
		}));
		const json = firstItemJson(
			await deliver(verifying(api), jsonRequest(workflowFlat('exec-v')), trigger),
		);
		expect(api.calls.map((call) => `${call.method} ${call.path}`)).toEqual([
			'GET /v1/workflows/wf_77/runs/exec-v',
		]);
		expect(json).toMatchObject({
			id: 'exec-v',
			status: 'success',
			output: ['https://cdn.test/wf/real.png'],
			verified: true,
			kind: 'workflowRun',
		});
	});

	it('verification without a credential on the node is a configuration error: 500, nothing called', async () => {
		const api = fakeApi(() => ({ body: { status: 'success', output: [] } }));
		const setup = { ...verifying(api), withCredential: false };
		expectRefused(
			await deliver(setup, jsonRequest(success(jobId())), trigger),
			500,
			'misconfigured',
			/Verify With ModelsLab needs a ModelsLab credential/,
		);
		expect(api.calls).toEqual([]);
	});

	it('20 concurrent deliveries of one callback read the job once and start one execution', async () => {
		const id = jobId();
		const api = fakeApi(() => ({
			body: { status: 'success', id, output: [`https://cdn.test/${id}.png`] },
		}));
		const workflowId = freshWorkflowId();
		const outcomes = await Promise.all(
			Array.from(
				{ length: 20 },
				async () =>
					await deliver(
						{ ...verifying(api), workflowId, staticData: {} },
						jsonRequest(success(id)),
						trigger,
					),
			),
		);
		expect(outcomes.filter((outcome) => outcome.started)).toHaveLength(1);
		expect(api.calls).toHaveLength(1);
	});
});

describe('bad input: no execution, a clear answer, no crash', () => {
	it('a non-POST request gets 405', async () => {
		expectRefused(
			await deliver(setupWith(), { ...jsonRequest(success(jobId())), method: 'GET' }, trigger),
			405,
			'method_not_allowed',
			/^method "GET" is not allowed; ModelsLab callbacks are POST requests$/,
		);
	});

	it('an oversized body gets 413, by Content-Length or by the bytes read', async () => {
		const big = 'x'.repeat(1_048_577);
		expectRefused(
			await deliver(
				setupWith(),
				{ body: {}, headers: { 'content-length': String(big.length) } },
				trigger,
			),
			413,
			'too_large',
			/larger than 1048576 bytes/,
		);
		expectRefused(
			await deliver(setupWith(), { body: undefined, rawBody: big }, trigger),
			413,
			'too_large',
			/larger than 1048576 bytes \(option Max Callback Size\)/,
		);
	});

	it('Max Callback Size raises the limit', async () => {
		const body = success(jobId(), 'big', { meta: { padding: 'p'.repeat(1_500_000) } });
		const outcome = await deliver(
			setupWith({ options: { maxCallbackSizeMb: 2 } }),
			jsonRequest(body),
			trigger,
		);
		expect(outcome.started).toBe(true);
	});

	it('an empty body gets 400', async () => {
		for (const request of [
			{ body: undefined },
			{ body: {} },
			{ body: {}, rawBody: '' },
			{ body: '   ', rawBody: '   ' },
			{ body: {}, rawBody: '{}' },
		]) {
			expectRefused(
				await deliver(setupWith(), request, trigger),
				400,
				'empty_body',
				/^the body is empty; expected a ModelsLab callback \(JSON object\)$/,
			);
		}
	});

	it('invalid JSON gets 400, whether sent as text/plain or without a content type', async () => {
		expectRefused(
			await deliver(
				setupWith(),
				{ body: '{"status":"success",', rawBody: '{"status":"success",' },
				trigger,
			),
			400,
			'invalid_json',
			/^the body is not valid JSON$/,
		);
		expectRefused(
			await deliver(setupWith(), { body: undefined, rawBody: 'status=success&id=1' }, trigger),
			400,
			'invalid_json',
			/^the body is not valid JSON$/,
		);
	});

	it("reads a body n8n left unread (version 1.1, content type not JSON) with n8n's own reader", async () => {
		const body = success(jobId(), 'unread');
		const outcome = await deliver(
			setupWith(),
			{
				body: {},
				unread: JSON.stringify(body),
				headers: { 'content-type': 'application/octet-stream' },
			},
			trigger,
		);
		expect(outcome.started).toBe(true);
		expect(firstItemJson(outcome)).toMatchObject({ id: String(body.id), status: 'success' });
		expectRefused(
			await deliver(setupWith(), { body: {}, unread: 'x'.repeat(1_048_577) }, trigger),
			413,
			'too_large',
			/larger than 1048576 bytes/,
		);
		expectRefused(
			await deliver(
				setupWith(),
				{ body: {}, unread: new Error('Request body stream was aborted') },
				trigger,
			),
			400,
			'unreadable_body',
			/^the body could not be read: Request body stream was aborted$/,
		);
	});

	it('JSON that is not an object gets 400', async () => {
		expectRefused(
			await deliver(setupWith(), jsonRequest([success(jobId())]), trigger),
			400,
			'not_an_object',
			/^the body must be a JSON object$/,
		);
		expectRefused(
			await deliver(setupWith(), { body: '42', rawBody: '42' }, trigger),
			400,
			'not_an_object',
			/^the body must be a JSON object$/,
		);
	});

	it('valid JSON without a content type, or as text/plain, is read as the callback', async () => {
		const id = jobId();
		const viaRaw = await deliver(
			setupWith(),
			{ body: undefined, rawBody: JSON.stringify(success(id)) },
			trigger,
		);
		expect(firstItemJson(viaRaw)).toMatchObject({ id: String(id), status: 'success' });
		const viaText = await deliver(
			setupWith(),
			{ body: JSON.stringify(failed(id)), rawBody: JSON.stringify(failed(id)) },
			trigger,
		);
		expect(firstItemJson(viaText)).toMatchObject({ id: String(id), status: 'failed' });
	});

	it('a body without status or id, or without the training/Workflows ids, gets 400 naming the field', async () => {
		expectRefused(
			await deliver(setupWith(), jsonRequest({ hello: 'world' }), trigger),
			400,
			'not_a_callback',
			/^field "status" /,
		);
		expectRefused(
			await deliver(setupWith(), jsonRequest({ status: 'success', output: [] }), trigger),
			400,
			'not_a_callback',
			/^field "id" /,
		);
		expectRefused(
			await deliver(setupWith(), jsonRequest({ id: 5, output: [] }), trigger),
			400,
			'not_a_callback',
			/^field "status" /,
		);
		expectRefused(
			await deliver(setupWith(), jsonRequest({ training_status: 'model_ready' }), trigger),
			400,
			'not_a_callback',
			/^training callback: field "model_id" /,
		);
		expectRefused(
			await deliver(
				setupWith(),
				jsonRequest({ event: 'workflow.completed', status: 'completed' }),
				trigger,
			),
			400,
			'not_a_callback',
			/^workflow callback: .*execution/,
		);
	});

	it('a callback that names a job but cannot be used is acknowledged (2xx ignored), since resending it cannot help', async () => {
		expectIgnored(
			await deliver(
				setupWith(),
				jsonRequest({ status: 'queued', id: jobId(), track_id: 'x' }),
				trigger,
			),
			'unusable_callback',
			/^field "status" /,
		);
		expectIgnored(
			await deliver(
				setupWith(),
				jsonRequest({ status: 'success', id: jobId(), output: { url: 'x' } }),
				trigger,
			),
			'unusable_callback',
			/^field "output" /,
		);
	});

	it('bad input leaves static data untouched', async () => {
		const setup = setupWith();
		await deliver(setup, jsonRequest({ hello: 'world' }), trigger);
		await deliver(setup, { body: 'nope', rawBody: 'nope' }, trigger);
		expect(setup.staticData).toEqual({});
	});

	it('an unexpected failure inside the node answers 500 and starts nothing (a throw would record a failed execution)', async () => {
		const call = triggerContext(setupWith(), jsonRequest(success(jobId())));
		call.context.getWorkflowStaticData.mockImplementation(() => {
			throw new Error('database is locked');
		});
		const result = await trigger.webhook.call(call.context);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(call.response).toEqual({
			statusCode: 500,
			body: {
				received: false,
				error: 'refused',
				reason: 'internal_error',
			},
		});
		expect(call.logger.error).toHaveBeenCalledWith('ModelsLab Trigger: database is locked');
	});
});

describe('Download Outputs', () => {
	it('downloads each output into binary properties, acknowledging ModelsLab before downloading', async () => {
		const id = jobId();
		const body = success(id, 'dl', {
			output: [
				`https://cdn.test/generations/${id}-0.png`,
				`https://cdn.test/generations/${id}-1.png`,
			],
		});
		const outcome = await deliver(
			setupWith(
				{ options: { downloadOutputs: true, binaryPropertyName: 'image' } },
				{ withCredential: true, credentialData: { outputHosts: 'cdn.test' } },
			),
			jsonRequest(body),
			trigger,
		);
		expect(outcome.result.noWebhookResponse).toBe(true);
		expect(outcome.statusCode).toBe(200);
		expect(outcome.answer).toEqual({ received: true, started: true });
		const item = outcome.result.workflowData?.[0][0];
		expect(item?.json).toMatchObject({ id: String(id), output: body.output });
		expect(item?.pairedItem).toBeUndefined();
		expect(item?.binary).toEqual({
			image: { data: TINY_PNG.toString('base64'), fileName: `${id}-0.png`, mimeType: 'image/png' },
			image_1: {
				data: TINY_PNG.toString('base64'),
				fileName: `${id}-1.png`,
				mimeType: 'image/png',
			},
		});
		expect(outcome.call.httpRequest).toHaveBeenCalledTimes(2);
		expect(outcome.call.httpRequest.mock.calls[0][0]).toMatchObject({
			method: 'GET',
			url: `https://cdn.test/generations/${id}-0.png`,
			encoding: 'stream',
			returnFullResponse: true,
		});
		expect(outcome.call.prepareBinaryData).toHaveBeenCalledWith(
			TINY_PNG,
			`${id}-0.png`,
			'image/png',
		);
	});

	it('a file over Max Download Size is not downloaded: the item starts with download_error and the URLs', async () => {
		const id = jobId();
		const outcome = await deliver(
			cappedDownloadSetup('*.test', () => ({
				statusCode: 200,
				body: Buffer.alloc(10),
				headers: { 'content-type': 'video/mp4', 'content-length': String(5 * 1_048_576) },
			})),
			jsonRequest(success(id)),
			trigger,
		);
		expect(outcome.started).toBe(true);
		const item = outcome.result.workflowData?.[0][0];
		expect(item?.binary).toBeUndefined();
		expect(item?.json.output).toEqual([`https://cdn.test/generations/${id}.png`]);
		expect(item?.json.download_error).toMatch(/is larger than the download limit of 1\.0 MB/);
		expect(outcome.call.prepareBinaryData).not.toHaveBeenCalled();
	});

	it('a callback without outputs downloads nothing and answers normally', async () => {
		const outcome = await deliver(
			setupWith({ options: { downloadOutputs: true } }),
			jsonRequest(failed(jobId())),
			trigger,
		);
		expect(outcome.started).toBe(true);
		expect(outcome.answer).toEqual({ received: true, started: true });
		expect(outcome.call.httpRequest).not.toHaveBeenCalled();
	});

	it('downloads nothing when the option is off', async () => {
		const outcome = await deliver(setupWith(), jsonRequest(success(jobId())), trigger);
		expect(outcome.result.workflowData?.[0][0].binary).toBeUndefined();
		expect(outcome.call.httpRequest).not.toHaveBeenCalled();
	});
});
