// The ModelsLab Trigger in a real n8n: track_id filter, duplicate deliveries, bad input, shared secret.
import { http } from '../../scripts/n8n';
import { deploy, postWebhook } from './support/deploy';
import { eventually, nodeOutput } from './support/executions';
import { e2eRuns } from './support/lines';
import { withReport, type ScenarioTrace } from './support/report';
import { startStack, type E2eN8n, type E2eStack } from './support/stack';
import { operationParameters, startAction } from './support/actionRun';
import { TRIGGER_NODE, triggerWorkflow } from './support/workflows';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long to keep looking for executions that should not exist. */
const QUIET_MS = 2500;

/** Finished executions of a workflow once their number has stopped changing for QUIET_MS. */
async function settledExecutions(
	n8n: E2eN8n,
	workflowId: string,
	atLeast: number,
	timeoutMs = 30_000,
) {
	await eventually(
		`${atLeast} execution(s) of ${workflowId}`,
		async () => (await n8n.api.listExecutions({ workflowId })).length >= atLeast,
		timeoutMs,
		250,
	);
	await sleep(QUIET_MS);
	const list = await n8n.api.listExecutions({ workflowId });
	return Promise.all(list.map((e) => n8n.api.getExecution(e.id, true)));
}

function callback(id: number, trackId: string, status = 'success') {
	return {
		status,
		id,
		output: [`http://127.0.0.1:9/files/${id}-0.png`],
		track_id: trackId,
		meta: {},
	};
}

describe.each(e2eRuns())('n8n %s: ModelsLab Trigger', (_label, line) => {
	let stack: E2eStack;

	beforeAll(async () => {
		stack = await startStack(line, { simulator: { callbackDelayMs: 500 } });
	});
	afterAll(async () => {
		await stack?.stop();
	});

	test('track_id filter user42_*: 10 callbacks from ModelsLab, 5 match, exactly 5 executions', async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			const trigger = triggerWorkflow({ name: 'filter', trackId: 'user42_*' });
			const triggered = await deploy(stack, trigger, trace);
			const matching = ['user42_', 'user42_1', 'user42_abc', 'user42_x_y', 'user42_2026'];
			const others = ['user4_1', 'user420', 'xuser42_1', 'user43_1', 'other'];

			// Submit Only with the trigger's production URL as the result webhook: ModelsLab (the
			// simulator) delivers each result there (the webhook processor in queue mode).
			const submitTrace: ScenarioTrace = {};
			const { jobs } = await withReport(stack.n8n, submitTrace, () =>
				startAction(stack, submitTrace, {
					name: 'submit to trigger',
					category: 'image',
					parameters: operationParameters('image', 'text2img', {
						completion: 'submit',
						trackId: '={{ $json.trackId }}',
						options: { resultWebhookUrl: `${stack.webhookBase}/webhook/${trigger.path}` },
					}),
					body: { items: [...matching, ...others].map((trackId) => ({ trackId })) },
					splitItems: true,
					jobCount: 10,
				}),
			);
			const jobIds = new Set(jobs.map((j) => j.id));
			await eventually(
				'10 result callbacks',
				() => stack.sim.callbacks.filter((c) => jobIds.has(c.jobId)).length >= 10,
				30_000,
			);
			expect(stack.sim.callbacks.filter((c) => jobIds.has(c.jobId)).map((c) => c.status)).toEqual(
				Array(10).fill(200),
			);

			const executions = await settledExecutions(stack.n8n, triggered.id, 5);
			expect(executions.map((e) => e.status)).toEqual(Array(5).fill('success'));
			const tracked = executions
				.map((e) => String(nodeOutput(e, TRIGGER_NODE)[0]?.json.track_id))
				.sort();
			expect(tracked).toEqual([...matching].sort());
		});
	}, 90_000);

	test('one callback delivered 20 times at once starts exactly one execution', async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			const trigger = triggerWorkflow({ name: 'duplicates' });
			const triggered = await deploy(stack, trigger, trace);
			const body = callback(424242, 'dup-1');
			const answers = await Promise.all(
				Array.from({ length: 20 }, () => postWebhook(stack, trigger.path, body)),
			);
			expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
			const executions = await settledExecutions(stack.n8n, triggered.id, 1);
			expect(executions).toHaveLength(1);
			expect(nodeOutput(executions[0], TRIGGER_NODE)[0]?.json).toMatchObject({
				status: 'success',
				id: '424242',
				track_id: 'dup-1',
			});
			// n8n answered after creating the execution and then saved the seen key it carried.
			const saved = (await stack.n8n.api.getWorkflow(triggered.id)).staticData ?? {};
			expect(saved[`node:${TRIGGER_NODE}`]).toMatchObject({
				seenCallbacks: { 'generation:424242:success': expect.any(Number) },
			});
			// A later redelivery is still a duplicate.
			expect((await postWebhook(stack, trigger.path, body)).status).toBe(200);
			expect(await settledExecutions(stack.n8n, triggered.id, 1)).toHaveLength(1);
		});
	}, 60_000);

	test('bad input starts nothing and n8n stays healthy', async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			const trigger = triggerWorkflow({ name: 'bad input' });
			const triggered = await deploy(stack, trigger, trace);
			const oversized = JSON.stringify({
				...callback(77, 'big'),
				padding: 'x'.repeat(2 * 1024 * 1024),
			});
			const bad: Array<[string, { body: string; contentType: string }]> = [
				['invalid JSON', { body: '{"status": "success", "id": ', contentType: 'application/json' }],
				[
					'invalid JSON as text',
					{ body: '{"status": "success", "id": ', contentType: 'text/plain' },
				],
				['empty body', { body: '', contentType: 'application/json' }],
				['a JSON array', { body: '[1, 2, 3]', contentType: 'application/json' }],
				['oversized (2 MB, limit 1 MB)', { body: oversized, contentType: 'application/json' }],
			];
			const answers: Record<string, number> = {};
			for (const [label, req] of bad) {
				answers[label] = (
					await postWebhook(stack, trigger.path, req.body, {
						raw: true,
						contentType: req.contentType,
					})
				).status;
			}
			process.stderr.write(
				`e2e measure: n8n ${stack.n8n.version} trigger answers to bad input ${JSON.stringify(answers)}\n`,
			);
			for (const [label, status] of Object.entries(answers)) {
				expect({ label, clientError: status >= 400 && status < 500 }).toEqual({
					label,
					clientError: true,
				});
			}
			expect(answers['oversized (2 MB, limit 1 MB)']).toBe(413);
			await sleep(QUIET_MS);
			expect(await stack.n8n.api.listExecutions({ workflowId: triggered.id })).toHaveLength(0);

			// The process that took the bad input (the webhook processor in queue mode) still answers.
			expect((await http({ url: `${stack.webhookBase}/healthz` })).status).toBe(200);
			// Still works: a valid callback after the bad ones starts one execution.
			expect((await postWebhook(stack, trigger.path, callback(78, 'after-bad'))).status).toBe(200);
			expect(await settledExecutions(stack.n8n, triggered.id, 1)).toHaveLength(1);
		});
	}, 60_000);

	test('node versions 1 and 1.1 both read a callback whose content type n8n does not parse', async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			for (const [index, typeVersion] of [1, 1.1].entries()) {
				const trigger = triggerWorkflow({ name: `content type v${typeVersion}`, typeVersion });
				const triggered = await deploy(stack, trigger, trace);
				const body = JSON.stringify(callback(90 + index, `octet-v${typeVersion}`));
				expect(
					(
						await postWebhook(stack, trigger.path, body, {
							raw: true,
							contentType: 'application/octet-stream',
						})
					).status,
				).toBe(200);
				const [execution] = await settledExecutions(stack.n8n, triggered.id, 1);
				expect(nodeOutput(execution, TRIGGER_NODE)[0]?.json).toMatchObject({
					id: String(90 + index),
					status: 'success',
					track_id: `octet-v${typeVersion}`,
				});
			}
		});
	}, 60_000);

	test('shared secret: without or with a wrong ?token= nothing starts; with the right one it does', async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			const secret = 's3cret-e2e-token';
			const trigger = triggerWorkflow({ name: 'secret', options: { secret } });
			const triggered = await deploy(stack, trigger, trace);
			expect((await postWebhook(stack, trigger.path, callback(501, 'secret-1'))).status).toBe(401);
			expect(
				(
					await postWebhook(stack, trigger.path, callback(502, 'secret-2'), {
						query: 'token=wrong',
					})
				).status,
			).toBe(401);
			await sleep(QUIET_MS);
			expect(await stack.n8n.api.listExecutions({ workflowId: triggered.id })).toHaveLength(0);

			expect(
				(
					await postWebhook(stack, trigger.path, callback(503, 'secret-3'), {
						query: `token=${secret}`,
					})
				).status,
			).toBe(200);
			const executions = await settledExecutions(stack.n8n, triggered.id, 1);
			expect(executions).toHaveLength(1);
			expect(nodeOutput(executions[0], TRIGGER_NODE)[0]?.json).toMatchObject({
				id: '503',
				track_id: 'secret-3',
			});
		});
	}, 60_000);
});
