// Several items in one execution: one job per item, callbacks out of order, a duplicate, a foreign
// and a forged (unsigned on 2.x, without the node's MAC on 1.x) callback; the execution resumes once with the items
// in input order.
import { http } from '../../scripts/n8n';
import { callbackStatuses, operationParameters, startAction } from './support/actionRun';
import { eventually, executionIdOfJob, FINISHED, nodeOutput, runCount } from './support/executions';
import { describeUnlessQueueRun, e2eRuns } from './support/lines';
import { startReceiver, type Received, type Receiver } from './support/receiver';
import { withReport, type ScenarioTrace } from './support/report';
import { startStack, type E2eStack } from './support/stack';
import { ACTION_NODE, AFTER_NODE } from './support/workflows';

function fail(message: string): never {
	throw new Error(message);
}

/** Everything the receiver got until it has been quiet for `quietMs` (at most `max` posts). */
async function drain(receiver: Receiver, quietMs: number, max = 10): Promise<Received[]> {
	const got: Received[] = [];
	while (got.length < max) {
		try {
			got.push(await receiver.next(quietMs));
		} catch {
			break;
		}
	}
	return got;
}

// Skipped in a queue run: several items in one execution are covered there by batches.e2e and by
// queue/queueMode.e2e (three items called back out of order across the webhook processor).
describeUnlessQueueRun().each(e2eRuns())(
	'n8n %s: several items in one execution',
	(_label, line) => {
		let stack: E2eStack;
		let receiver: Receiver;

		beforeAll(async () => {
			receiver = await startReceiver();
			stack = await startStack(line);
		});
		afterAll(async () => {
			await stack?.stop();
			await receiver?.close();
		});

		test('3 items, callbacks out of order + a duplicate + a foreign and a forged one: one resume, input order', async () => {
			const trace: ScenarioTrace = {};
			await withReport(stack.n8n, trace, async () => {
				// Two submits run concurrently, so plans (which go by submit order) cannot target an item;
				// prompt markers can: item 1 takes 10 s and its callback comes three times, partly concurrently.
				stack.sim.plan({ eta: 60, delayMs: 1500 }, 3);
				const prompts = ['one', 'two [sim:slow] [sim:dup]', 'three'];
				const started = await startAction(stack, trace, {
					name: 'three items',
					category: 'image',
					parameters: operationParameters('image', 'text2img', {
						prompt: '={{ $json.prompt }}',
						completion: 'callback',
					}),
					body: { items: prompts.map((prompt) => ({ prompt })) },
					splitItems: true,
					jobCount: 3,
					notifyUrl: `${receiver.url}/downstream`,
				});
				// In input order.
				const jobs = prompts.map(
					(p) => started.jobs.find((j) => j.request.prompt === p) ?? fail(`no job for prompt ${p}`),
				);
				const ids = jobs.map((j) => j.id);
				trace.executionId = executionIdOfJob(jobs[0]);
				// All three jobs call back the same resume URL (one park for the whole run), each with its item.
				const withoutItem = (url: string | undefined): string => {
					const parsed = new URL(String(url));
					parsed.searchParams.delete('mlitem');
					parsed.searchParams.delete('mlmac');
					return parsed.toString();
				};
				expect(new Set(jobs.map((j) => withoutItem(j.webhook))).size).toBe(1);
				expect(
					jobs.map((j) => new URL(String(j.webhook)).searchParams.get('mlitem')).sort(),
				).toEqual(['0', '1', '2']);
				await stack.n8n.api.waitForExecution(trace.executionId, 'waiting', { timeoutMs: 10_000 });

				// A genuine-looking callback (right URL and MAC) for a job this run never submitted.
				const foreign = await http({
					method: 'POST',
					url: String(jobs[0].webhook),
					body: { status: 'success', id: 1, output: ['http://127.0.0.1:9/x.png'] },
				});
				expect(foreign.status).toBe(200);
				expect(foreign.json()).toMatchObject({ accepted: false });

				// The same URL without its secret, what a stranger could guess: refused, nothing runs. On 2.x
				// the secret is n8n's signature (n8n refuses before the node runs); on
				// 1.x, whose resume URLs carry no signature, the node's MAC.
				const forgedUrl = new URL(String(jobs[0].webhook));
				forgedUrl.searchParams.delete(line === '2' ? 'signature' : 'mlmac');
				const forged = await http({
					method: 'POST',
					url: forgedUrl.toString(),
					body: {
						status: 'success',
						id: Number(ids[0]),
						output: ['http://127.0.0.1:9/forged.png'],
					},
				});
				expect(forged.status).toBe(401);

				// Items 0 and 2 are done; item 1 is not: still parked.
				await eventually(
					'the callbacks of items 0 and 2',
					() => callbackStatuses(stack, ids[0]).length && callbackStatuses(stack, ids[2]).length,
					15_000,
				);
				expect(callbackStatuses(stack, ids[0])).toEqual([200]);
				expect(callbackStatuses(stack, ids[2])).toEqual([200]);
				expect((await stack.n8n.api.getExecution(trace.executionId, false)).status).toBe('waiting');

				const done = await stack.n8n.api.waitForExecution(trace.executionId, FINISHED, {
					timeoutMs: 30_000,
				});
				expect(done.status).toBe('success');
				const out = nodeOutput(done, ACTION_NODE);
				expect(out.map((i) => i.json.id)).toEqual(ids);
				expect(out.map((i) => i.json.status)).toEqual(['success', 'success', 'success']);
				expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
				expect(out.map((i) => i.json.output)).toEqual(
					jobs.map((j) => stack.sim.jobs.get(j.id)?.output),
				);
				expect(runCount(done, AFTER_NODE)).toBe(1);
				expect(nodeOutput(done, AFTER_NODE).map((i) => i.json.id)).toEqual(ids);

				// The downstream side effect happened once (a double resume would post twice).
				await stack.sim.waitForCallbacks(5, 10_000);
				const posts = await drain(receiver, 2000);
				expect(posts.map((p) => p.body)).toEqual([{ executionId: trace.executionId, items: ids }]);
				// Item 1: its first callback resumed; the copies got a 2xx (ignored) or 409 (already finished).
				const item1 = callbackStatuses(stack, ids[1]);
				process.stderr.write(
					`e2e measure: n8n ${stack.n8n.version} item 1's callback and its 2 copies answered ${JSON.stringify(item1)}\n`,
				);
				expect(item1).toHaveLength(3);
				expect(item1.every((s) => s === 200 || s === 409)).toBe(true);
				expect(item1).toContain(200);

				// Issue 23: what only the waiting run needed is gone from the saved execution (n8n's API
				// shows it to anyone who may read executions): the ledger with its MAC secret, n8n's
				// signature inside the callback base, the queued request bodies; no callback URL secret.
				// n8n keeps its own copy of its token (`resumeToken`): that one is n8n's business.
				const saved = JSON.stringify(
					(await stack.n8n.api.getExecution(trace.executionId, true)).data,
					(key, value: unknown) => (key === 'resumeToken' ? undefined : value),
				);
				const urlSecrets = jobs.flatMap((j) => {
					const query = new URL(String(j.webhook)).searchParams;
					return [query.get('signature'), query.get('mlmac')].filter(
						(value): value is string => !!value,
					);
				});
				expect(urlSecrets.length).toBeGreaterThanOrEqual(line === '2' ? 6 : 3);
				expect({
					ledger: saved.includes('modelslabRun'),
					secrets: urlSecrets.filter((secret) => saved.includes(secret)),
					apiKey: saved.includes(stack.sim.apiKey),
				}).toEqual({ ledger: false, secrets: [], apiKey: false });
			});
		}, 120_000);
	},
);
