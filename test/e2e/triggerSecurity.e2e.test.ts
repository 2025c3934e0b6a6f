// The ModelsLab Trigger and credential tried as an attacker would (issue 23), in a real n8n: an
// open redirect on an allowed host, a verified callback naming another customer's job, a success
// callback that arrives before ModelsLab's fetch endpoint shows the job as done, a forged Workflows
// callback under Verify, and a Base URL that redirects the key's requests to another origin. One
// n8n per line for the file.
import { randomUUID } from 'node:crypto';

import type { Credential } from '../../scripts/n8n';
import { startFileHost, type FileHost } from '../simulator/fileHosts';
import type { SimJob } from '../simulator';
import { sendJson, startStubServer } from '../transport/support/stubServer';
import { operationParameters, startAction } from './support/actionRun';
import { deploy, postWebhook } from './support/deploy';
import { eventually, nodeOutput, onlyFinishedExecution } from './support/executions';
import { e2eRuns } from './support/lines';
import { withReport, type ScenarioTrace } from './support/report';
import { credentialData, CREDENTIAL_TYPE, startStack, type E2eStack } from './support/stack';
import { ACTION_NODE, actionWorkflow, TRIGGER_NODE, triggerWorkflow } from './support/workflows';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long to keep looking for executions that should not exist. */
const QUIET_MS = 2500;

describe.each(e2eRuns())('n8n %s: ModelsLab Trigger and key under attack', (_label, line) => {
	let stack: E2eStack;
	/** The host the credential's Output Hosts allow (127.0.0.1), with an open redirect. */
	let allowed: FileHost;
	/** Another host (127.0.0.2), standing in for a service inside the network: never to be reached. */
	let internal: FileHost;
	/** Reads jobs back where ModelsLab's answers echo the request in `meta` (test/simulator/metaEcho.ts). */
	let verifyingCredential: Credential;
	const started = Date.now();

	beforeAll(async () => {
		stack = await startStack(line, { simulator: { callbackDelayMs: 300 } });
		[allowed, internal] = await Promise.all([
			startFileHost('127.0.0.1'),
			startFileHost('127.0.0.2'),
		]);
		verifyingCredential = await stack.n8n.api.createCredential({
			name: 'ModelsLab (simulator, fetch with meta)',
			type: CREDENTIAL_TYPE,
			data: credentialData(line, stack.sim.apiKey, `${stack.sim.origin}/api-meta`),
		});
	});
	afterAll(async () => {
		await Promise.all([allowed?.close(), internal?.close()]);
		await stack?.stop();
		process.stderr.write(
			`e2e measure: n8n ${line} triggerSecurity file took ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
		);
	});

	async function executionsOf(workflowId: string, atLeast: number) {
		if (atLeast > 0)
			await eventually(
				`${atLeast} execution(s) of ${workflowId}`,
				async () => (await stack.n8n.api.listExecutions({ workflowId })).length >= atLeast,
				30_000,
				250,
			);
		await sleep(QUIET_MS);
		const list = await stack.n8n.api.listExecutions({ workflowId });
		return Promise.all(list.map((e) => stack.n8n.api.getExecution(e.id, true)));
	}

	/** Submits one text2img job (Submit Only) whose result ModelsLab sends to `webhook`. */
	async function submitTo(trace: ScenarioTrace, trackId: string, webhook: string): Promise<SimJob> {
		const { jobs } = await startAction(stack, trace, {
			name: `submit ${trackId}`,
			category: 'image',
			parameters: operationParameters('image', 'text2img', {
				completion: 'submit',
				trackId,
				options: { resultWebhookUrl: webhook },
			}),
		});
		return jobs[0];
	}

	const triggerUrl = (path: string) => `${stack.webhookBase}/webhook/${path}`;

	test('an open redirect on an allowed host to another host: 0 requests reach it; an allowed hop downloads', async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			const credential = await stack.n8n.api.createCredential({
				name: 'ModelsLab (output hosts 127.0.0.1)',
				type: CREDENTIAL_TYPE,
				data: {
					...credentialData(line, stack.sim.apiKey, stack.sim.baseUrl),
					outputHosts: '127.0.0.1',
				},
			});
			const trigger = triggerWorkflow({
				name: 'open redirect',
				options: { downloadOutputs: true },
				credential,
			});
			const triggered = await deploy(stack, trigger, trace);
			const cases = {
				redirect: allowed.redirectTo(internal.url('/file/through-redirect.png')),
				direct: internal.url('/file/direct.png'),
				allowedHop: allowed.redirectTo(allowed.url('/file/fine.png')),
			};
			const answers = await Promise.all(
				Object.values(cases).map((output, i) =>
					postWebhook(stack, trigger.path, {
						status: 'success',
						id: 610_000 + i,
						track_id: `redirect-${i}`,
						output: [output],
					}),
				),
			);
			expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
			const executions = await executionsOf(triggered.id, 3);
			const byId = Object.fromEntries(
				executions.map((e) => {
					const item = nodeOutput(e, TRIGGER_NODE)[0];
					return [String(item?.json.id), item];
				}),
			);
			process.stderr.write(
				`e2e measure: n8n ${stack.n8n.version} open redirect: requests to the other host ${internal.requests.length}, ` +
					`errors ${JSON.stringify(Object.values(byId).map((item) => item?.json.download_error ?? null))}\n`,
			);
			expect(internal.requests).toEqual([]);
			expect(byId['610000']?.json.download_error).toMatch(
				/was not downloaded: it redirects to 127\.0\.0\.2:\d+, which is not one of ModelsLab's output hosts/,
			);
			expect(byId['610001']?.json.download_error).toMatch(
				/is not on one of ModelsLab's output hosts/,
			);
			expect(byId['610002']?.json.download_error).toBeUndefined();
			expect(Object.keys(byId['610002']?.binary ?? {})).toEqual(['data']);
		});
	}, 90_000);

	test("a verified callback naming another customer's job under this trigger's track id starts nothing", async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			const verified = (name: string, trackId: string) =>
				triggerWorkflow({
					name,
					trackId,
					options: { verifyWithModelsLab: true },
					credential: verifyingCredential,
				});
			const ours = verified('customer 42', 'customer-42');
			const theirs = verified('customer 7', 'customer-7');
			const [oursWf, theirsWf] = [
				await deploy(stack, ours, trace),
				await deploy(stack, theirs, trace),
			];
			const theirJob = await submitTo(trace, 'customer-7', triggerUrl(theirs.path));
			const ourJob = await submitTo(trace, 'customer-42', triggerUrl(ours.path));
			await eventually(
				'both genuine callbacks answered',
				() =>
					[theirJob, ourJob].every((job) =>
						stack.sim.callbacks.some((c) => c.jobId === job.id && c.status === 200),
					),
				30_000,
			);
			// The forgery: customer 7's real job id, customer 42's track id, to customer 42's trigger.
			const forged = await postWebhook(stack, ours.path, {
				status: 'success',
				id: Number(theirJob.id),
				track_id: 'customer-42',
				output: ['https://cdn.example.com/forged.png'],
			});
			const ourExecutions = await executionsOf(oursWf.id, 1);
			const theirExecutions = await executionsOf(theirsWf.id, 1);
			const outputs = ourExecutions.map((e) => nodeOutput(e, TRIGGER_NODE)[0]?.json);
			process.stderr.write(
				`e2e measure: n8n ${stack.n8n.version} verified forgery: answer ${forged.status} ${forged.text}, ` +
					`executions of the attacked trigger ${ourExecutions.length} (ids ${outputs.map((o) => o?.id)})\n`,
			);
			expect(forged.status).toBe(200);
			expect(JSON.parse(forged.text)).toEqual({
				received: true,
				ignored: true,
				reason: 'foreign',
			});
			expect(outputs).toEqual([
				expect.objectContaining({
					id: ourJob.id,
					track_id: 'customer-42',
					track_id_verified: true,
					output: ourJob.output,
				}),
			]);
			expect(theirExecutions.map((e) => nodeOutput(e, TRIGGER_NODE)[0]?.json.id)).toEqual([
				theirJob.id,
			]);
		});
	}, 120_000);

	test('a success callback ModelsLab sends before its fetch endpoint shows the job done starts the execution once it does', async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			const trigger = triggerWorkflow({
				name: 'early success',
				trackId: 'late-*',
				options: { verifyWithModelsLab: true },
				credential: verifyingCredential,
			});
			const triggered = await deploy(stack, trigger, trace);
			// The fetch endpoint answers "processing" for 4 s after the job is done and called back.
			stack.sim.plan({ fetchLagMs: 4_000 });
			const job = await submitTo(trace, 'late-1', triggerUrl(trigger.path));
			const delivered = await eventually(
				'the success callback answered',
				() => stack.sim.callbacks.find((c) => c.jobId === job.id && c.status !== undefined),
				40_000,
			);
			const [execution] = await executionsOf(triggered.id, 1);
			const answeredAfterMs = Date.now() - delivered.sentAt;
			process.stderr.write(
				`e2e measure: n8n ${stack.n8n.version} early success: callback answered ${delivered.status}, ` +
					`executions ${execution ? 1 : 0}, status ${String(nodeOutput(execution, TRIGGER_NODE)[0]?.json.status)}, ` +
					`${answeredAfterMs} ms from callback to this check\n`,
			);
			expect(delivered.status).toBe(200);
			expect(delivered.attempt).toBe(1);
			expect(nodeOutput(execution, TRIGGER_NODE)[0]?.json).toMatchObject({
				status: 'success',
				id: job.id,
				track_id: 'late-1',
				output: job.output,
				verified: true,
			});
			expect(await stack.n8n.api.listExecutions({ workflowId: triggered.id })).toHaveLength(1);
		});
	}, 120_000);

	test('a forged Workflows callback under Verify starts nothing; the genuine run starts once, verified', async () => {
		const trace: ScenarioTrace = {};
		await withReport(stack.n8n, trace, async () => {
			const credential = await stack.n8n.api.createCredential({
				name: 'ModelsLab (simulator, Workflows runs)',
				type: CREDENTIAL_TYPE,
				data: credentialData(line, stack.sim.apiKey, stack.sim.baseUrl),
			});
			const trigger = triggerWorkflow({
				name: 'verified Workflows runs',
				options: { verifyWithModelsLab: true },
				credential,
			});
			const triggered = await deploy(stack, trigger, trace);
			const workflowId = randomUUID();
			// The Workflows API takes its callback URL from the workflow's settings (catalog/workflow.ts).
			stack.sim.setWorkflowWebhook(workflowId, triggerUrl(trigger.path));
			stack.sim.plan({ hold: true });
			const ran = await fetch(`${stack.sim.baseUrl}/v1/workflows/${workflowId}/run`, {
				method: 'POST',
				headers: { key: stack.sim.apiKey, 'content-type': 'application/json' },
				body: JSON.stringify({ prompt: 'A sunset' }),
			});
			const executionId = String(((await ran.json()) as { execution_id: number }).execution_id);
			// The issue's forgery names no workflow; the second names the real workflow, a made-up run.
			const forgeries = [
				{
					event: 'workflow.completed',
					execution: {
						id: Number(executionId),
						status: 'completed',
						output_data: { images: ['https://evil.example/x.png'] },
					},
				},
				{
					event: 'workflow.completed',
					execution_id: Number(executionId) + 1_000,
					workflow_id: workflowId,
					status: 'completed',
					output: { output: ['https://evil.example/x.png'] },
				},
			];
			const answers = await Promise.all(
				forgeries.map((body) => postWebhook(stack, trigger.path, body)),
			);
			await stack.sim.completeJob(executionId);
			const executions = await executionsOf(triggered.id, 1);
			const outputs = executions.map((e) => nodeOutput(e, TRIGGER_NODE)[0]?.json);
			process.stderr.write(
				`e2e measure: n8n ${stack.n8n.version} forged Workflows callbacks under Verify: answers ` +
					`${answers.map((a) => `${a.status} ${a.text}`).join(', ')}, executions ${executions.length}\n`,
			);
			expect(answers.map((a) => a.status)).toEqual([200, 502]);
			expect(JSON.parse(answers[0].text)).toEqual({
				received: true,
				ignored: true,
				reason: 'unverifiable',
			});
			expect(JSON.parse(answers[1].text)).toEqual({
				received: false,
				error: 'refused',
				reason: 'verification_failed',
			});
			expect(outputs).toEqual([
				expect.objectContaining({
					kind: 'workflowRun',
					status: 'success',
					id: executionId,
					output: [...(stack.sim.jobs.get(executionId)?.output ?? ['(none)'])],
					verified: true,
				}),
			]);
			expect(JSON.stringify(outputs)).not.toContain('evil');
		});
	}, 120_000);

	test('a Base URL that redirects a submit (307) and a read (308) to another origin: both fail, the key never arrives there', async () => {
		const apiKey = `sk-e2e-redirected-${Date.now().toString(36)}`;
		// Another host that answers like ModelsLab would, so a followed redirect would look like success.
		const elsewhere = await startStubServer(
			(request, response) =>
				sendJson(response, 200, {
					status: request.url.includes('/fetch/') ? 'success' : 'processing',
					id: 4242,
					eta: 1,
					output: [],
					future_links: [],
				}),
			'127.0.0.2',
		);
		// The Base URL's server: submits answer 307, reads 308, both to the same path elsewhere.
		const redirecting = await startStubServer((request, response) => {
			const status = request.url.includes('/fetch/') ? 308 : 307;
			response.writeHead(status, { location: `${elsewhere.origin}${request.url}` }).end();
		});
		const trace: ScenarioTrace = { executionIds: [] };
		try {
			await withReport(stack.n8n, trace, async () => {
				const credential = await stack.n8n.api.createCredential({
					name: 'ModelsLab (Base URL redirects elsewhere)',
					type: CREDENTIAL_TYPE,
					data: credentialData(line, apiKey, `${redirecting.origin}/api`),
				});
				const runs = [
					operationParameters('image', 'text2img', { completion: 'submit' }),
					{ operation: 'getResult', requestId: '4242', options: {} },
				].map(async (parameters) => {
					const wf = actionWorkflow({
						name: `redirected ${String(parameters.operation)}`,
						node: 'modelsLabImage',
						parameters,
						credential,
					});
					const workflow = await deploy(stack, wf, trace);
					const started = await postWebhook(stack, wf.path, {});
					expect(started.status).toBe(200);
					const done = await onlyFinishedExecution(stack.n8n, workflow.id, 60_000);
					trace.executionIds?.push(done.id);
					return done;
				});
				const [submitted, read] = await Promise.all(runs);
				// What reached the other origin, and where each request carried the key.
				const requestsThere = elsewhere.requests.map((request) => {
					const carried = [
						request.headers.key === apiKey && 'key header',
						request.body.includes(apiKey) && 'body',
					].filter(Boolean);
					return `${request.method} ${request.url}${carried.length ? ` with the key in its ${carried.join(' and ')}` : ''}`;
				});
				const errors = [submitted, read].map((done) => done.data?.resultData.error?.message ?? '');
				process.stderr.write(
					`e2e measure: n8n ${stack.n8n.version} Base URL redirecting to another origin: ` +
						`statuses ${submitted.status}/${read.status}, requests there ${JSON.stringify(requestsThere)}, ` +
						`errors ${JSON.stringify(errors)}\n`,
				);
				expect(requestsThere.sort()).toEqual([]);
				expect([submitted.status, read.status]).toEqual(['error', 'error']);
				const redirected = (path: string) =>
					new RegExp(
						`redirect to http://127\\.0\\.0\\.2:\\d+/api${path}, another origin than the Base URL`,
					);
				expect(errors[0]).toMatch(redirected('/v6/images/text2img'));
				expect(errors[1]).toMatch(redirected('/v6/images/fetch/4242'));
				expect(errors.join(' ')).not.toContain(apiKey);
				for (const done of [submitted, read])
					expect(
						done.data?.resultData.error?.node?.name ?? done.data?.resultData.lastNodeExecuted,
					).toBe(ACTION_NODE);
			});
		} finally {
			await Promise.all([redirecting.stop(), elsewhere.stop()]);
		}
	}, 90_000);
});
