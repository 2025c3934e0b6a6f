// Real n8n per line: Wait-node resume round trip, and a community package from a tarball.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import {
	ensureN8n,
	http,
	startN8n,
	type Execution,
	type N8nLine,
	type RunningN8n,
	type Workflow,
} from '../../scripts/n8n';
import { buildDummyPackage, DUMMY_NODE, DUMMY_PACKAGE } from './support/dummy-package';
import { e2eDeployment, e2eLines } from './support/lines';
import { startReceiver, type Receiver } from './support/receiver';
import { waitWorkflow } from './support/wait-workflow';

/**
 * Skipped in a queue run (MODELSLAB_E2E_QUEUE=1): this file tests the single-process runtime manager
 * itself (scripts/n8n/runtime.ts startN8n, installPackageTarball, restart), with n8n's own nodes and a
 * dummy package, not this package. The queue harness is exercised by every other file of a queue run.
 */
const inQueueRun = e2eDeployment() === 'queue';
const lines: N8nLine[] = e2eLines();

const timings: Record<string, Record<string, number>> = {};
const note = (line: N8nLine, key: string, ms: number) =>
	((timings[`line ${line}`] ??= {})[key] = ms);

afterAll(() => {
	if (!inQueueRun)
		process.stderr.write(`\ne2e timings (ms): ${JSON.stringify(timings, null, 2)}\n`);
});

/** Rethrows with what is needed to debug: n8n version, workflow, execution error, log tail. */
async function explain<T>(
	n8n: RunningN8n,
	ctx: { workflow?: Workflow; executionId?: string },
	fn: () => Promise<T>,
): Promise<T> {
	try {
		return await fn();
	} catch (e) {
		let exec: Execution | string = 'n/a';
		if (!ctx.executionId && ctx.workflow) {
			// Failed before the id was known: the workflow's latest execution (finished ones are listed).
			const list = await n8n.api
				.listExecutions({ workflowId: ctx.workflow.id, limit: 1 })
				.catch(() => []);
			ctx.executionId = list[0]?.id;
		}
		if (ctx.executionId)
			exec = await n8n.api
				.getExecution(ctx.executionId)
				.catch((err: Error) => `unavailable: ${err.message}`);
		const error =
			typeof exec === 'string'
				? exec
				: JSON.stringify(exec.data?.resultData.error ?? `status ${exec.status}, no error`, null, 2);
		const msg = [
			(e as Error).message,
			`n8n ${n8n.version} (line ${n8n.line}) at ${n8n.baseUrl}, log ${n8n.logFile}`,
			`workflow: ${JSON.stringify(ctx.workflow ?? 'not created', null, 2)}`,
			`execution ${ctx.executionId ?? 'n/a'} error: ${error}`,
			`last 30 log lines:\n${n8n.logs(30)}`,
		].join('\n');
		throw Object.assign(new Error(msg), { stack: `${msg}\n${(e as Error).stack ?? ''}` });
	}
}

(inQueueRun ? describe.skip : describe).each(lines)(
	inQueueRun
		? 'n8n line %s: single-process runtime manager, skipped in a queue run'
		: 'n8n line %s',
	(line) => {
		let n8n: RunningN8n;
		let receiver: Receiver;
		let firstRun: { workflowId: string; executionId: string } | undefined;

		beforeAll(async () => {
			const t0 = Date.now();
			await ensureN8n(line);
			note(line, 'ensureInstall', Date.now() - t0);
			receiver = await startReceiver();
			const t1 = Date.now();
			n8n = await startN8n({ line });
			note(line, 'start', Date.now() - t1);
			process.stderr.write(
				`n8n ${n8n.version} (line ${line}) up at ${n8n.baseUrl} in ${n8n.startMs} ms\n`,
			);
		});

		afterAll(async () => {
			const t0 = Date.now();
			await n8n?.stop();
			note(line, 'stop', Date.now() - t0);
			await receiver?.close();
		});

		test('webhook -> HTTP Request posts the resume URL -> Wait parks -> resume -> Set', async () => {
			const t0 = Date.now();
			const path = `e2e-${randomBytes(4).toString('hex')}`;
			const ctx: { workflow?: Workflow; executionId?: string } = {};
			await explain(n8n, ctx, async () => {
				ctx.workflow = await n8n.api.createWorkflow(
					waitWorkflow({ path, receiverUrl: receiver.url }),
				);
				await n8n.api.activateWorkflow(ctx.workflow.id);

				const hook = await http({
					method: 'POST',
					url: `${n8n.baseUrl}/webhook/${path}`,
					body: { prompt: 'a cat' },
				});
				expect(hook.status).toBe(200);

				const sent = await receiver.next();
				const resumeUrl = String(sent.body.resumeUrl);
				ctx.executionId = String(sent.body.executionId);
				expect(sent.body.prompt).toBe('a cat');
				expect(resumeUrl).toContain(`/webhook-waiting/${ctx.executionId}`);
				// 2.14+ signs the resume URL; 1.x has no token.
				if (line === '2') expect(resumeUrl).toMatch(/\?signature=[0-9a-f]{64}$/);

				const parked = await n8n.api.waitForExecution(ctx.executionId, 'waiting', {
					timeoutMs: 30_000,
				});
				expect(parked.waitTill).toBeTruthy();

				// Exactly as given (query kept): 2.x rejects it without the signature.
				const resumed = await http({
					method: 'POST',
					url: resumeUrl,
					body: { answer: 'forty-two' },
				});
				expect(resumed.status).toBe(200);

				const done = await n8n.api.waitForExecution(
					ctx.executionId,
					['success', 'error', 'crashed'],
					{ timeoutMs: 30_000 },
				);
				expect(done.status).toBe('success');
				const out = done.data?.resultData.runData.Set?.[0]?.data?.main[0]?.[0]?.json;
				expect(out).toMatchObject({ answer: 'forty-two' });

				const listed = await n8n.api.listExecutions({ workflowId: ctx.workflow.id });
				expect(listed.map((x) => String(x.id))).toContain(ctx.executionId);
				// Kept (deleting a workflow deletes its executions) for the after-restart check.
				await n8n.api.deactivateWorkflow(ctx.workflow.id);
				firstRun = { workflowId: ctx.workflow.id, executionId: ctx.executionId };
			});
			note(line, 'waitRoundTripTest', Date.now() - t0);
		});

		test('community package tarball loads as <package>.<node> after a restart', async () => {
			const t0 = Date.now();
			await explain(n8n, {}, async () => {
				const tgz = buildDummyPackage();
				const name = await n8n
					.installPackageTarball(tgz)
					.finally(() => rmSync(dirname(tgz), { recursive: true, force: true })); // restarts n8n
				expect(name).toBe(DUMMY_PACKAGE);
				const types = (await n8n.api.nodeTypes()).map((t) => t.name);
				expect(types).toContain(`${DUMMY_PACKAGE}.${DUMMY_NODE}`);
				expect(types).toContain('n8n-nodes-base.wait');
				// Same DB after the restart.
				if (firstRun) {
					expect((await n8n.api.getExecution(firstRun.executionId, false)).status).toBe('success');
					await n8n.api.deleteWorkflow(firstRun.workflowId);
				}
			});
			note(line, 'tarballTestInclRestart', Date.now() - t0);
			note(line, 'restart', n8n.startMs);
		});
	},
);
