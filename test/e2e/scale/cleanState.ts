// Before each load test: the instance as a fresh one would be, so nothing an earlier test left
// (a workflow still active, executions stuck in `new` or `running` that n8n recovers after a
// restart, waiting ones a late callback could resume) shows up in the next test's counts.
import { N8nHttpError, type Execution } from '../../../scripts/n8n';
import { allExecutions, countByStatus } from './executions';
import { removeFaults } from './faults';
import { runPool } from './loadgen';
import type { Counter } from './counter';
import type { FigureDraft, Figures } from './figures';
import type { Target } from './target';

export interface CleanReport {
	workflowsUnpublished: number;
	workflowsArchived: number;
	executionsStopped: number;
	executionsDeleted: number;
	rounds: number;
	ms: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every execution the public API shows: the plain listing leaves out those running in main. */
async function listed(t: Target): Promise<Execution[]> {
	const [plain, running] = await Promise.all([
		allExecutions(t.api, undefined),
		allExecutions(t.api, undefined, 'running'),
	]);
	return [...new Map([...plain, ...running].map((e) => [e.id, e])).values()];
}

/** Rows of n8n's executions table, whatever the API shows: how many, and the first few. */
async function rowsInDatabase(t: Target): Promise<{ count: number; first: unknown[] }> {
	const [{ n }] = await t.db.rows('select count(*) as n from execution_entity');
	const first = Number(n)
		? await t.db.rows('select id, "workflowId", status from execution_entity order by id limit 20')
		: [];
	return { count: Number(n), first };
}

/**
 * Removes injected faults, unpublishes every workflow (and waits until its webhooks are gone),
 * stops every execution still queued or running, deletes every execution through n8n's public
 * API, archives the workflows and resets the simulator (planned behaviours, pending callbacks).
 * Then checks, through the API and in n8n's database, that the instance holds no execution and
 * no active workflow; throws naming what is left otherwise. The credential stays.
 */
export async function cleanState(t: Target, o: { timeoutMs?: number } = {}): Promise<CleanReport> {
	const t0 = Date.now();
	const until = t0 + (o.timeoutMs ?? 120_000);
	const report: CleanReport = {
		workflowsUnpublished: 0,
		workflowsArchived: 0,
		executionsStopped: 0,
		executionsDeleted: 0,
		rounds: 0,
		ms: 0,
	};

	// A test that timed out while it had n8n's database faulted never ran its restore.
	await removeFaults(t);

	// 1. Nothing may start new executions while the old ones go. n8n 2.x unpublishes
	// asynchronously; its webhook rows going is the sign. (Not OPTIONS probes of the paths: a
	// lookup while n8n 2.41 removes a webhook puts it back in its webhook cache, whose entry then
	// answers OPTIONS with 204 until it expires, though a POST gets 404 "Published version not
	// found" and starts nothing.)
	const workflows = (await t.api.listWorkflows()).filter((w) => !w.isArchived);
	for (const w of workflows.filter((w) => w.active)) {
		await t.api.deactivateWorkflow(w.id);
		report.workflowsUnpublished++;
	}
	for (;;) {
		const hooks = await t.db.rows('select "workflowId", "webhookPath" from webhook_entity');
		if (hooks.length === 0) break;
		if (Date.now() > until)
			throw new Error(
				`cleanState: webhooks still registered: ${JSON.stringify(hooks.slice(0, 20))}`,
			);
		await sleep(200);
	}

	// 2. Stop, then delete (n8n refuses to delete a running one), until two listings a moment
	// apart find nothing, neither through the API nor in the database.
	let quietRounds = 0;
	let left: { api: Execution[]; db: { count: number; first: unknown[] } };
	while (quietRounds < 2) {
		report.rounds++;
		// Waiting ones need no stop: n8n deletes any execution that is not running.
		report.executionsStopped += await t.api.stopExecutions(['queued', 'running']);
		const executions = await listed(t);
		await runPool(executions, 8, async (e) => {
			try {
				await t.api.deleteExecution(e.id);
				report.executionsDeleted++;
			} catch (err) {
				// 400: still running (its stop is under way); 404: gone meanwhile. Next round.
				if (!(err instanceof N8nHttpError && (err.status === 400 || err.status === 404))) throw err;
			}
		});
		left = { api: await listed(t), db: await rowsInDatabase(t) };
		quietRounds = left.api.length === 0 && left.db.count === 0 ? quietRounds + 1 : 0;
		if (quietRounds < 2) {
			if (Date.now() > until)
				throw new Error(
					`cleanState: executions left after ${Date.now() - t0} ms and ${report.rounds} rounds: ` +
						`API ${JSON.stringify(countByStatus(left.api))}, database ${left.db.count} rows ` +
						`${JSON.stringify(left.db.first)}`,
				);
			await sleep(500);
		}
	}

	// 3. Archived workflows cannot be published again by accident (nor show in listings).
	for (const w of workflows) {
		await t.api.archiveWorkflow(w.id);
		report.workflowsArchived++;
	}
	t.sim.reset();

	const active = await t.api.listWorkflows({ active: true });
	const rows = await rowsInDatabase(t);
	if (active.length || rows.count)
		throw new Error(
			`cleanState: not clean: active workflows ${JSON.stringify(active.map((w) => w.id))}, ` +
				`${rows.count} execution rows ${JSON.stringify(rows.first)}`,
		);
	report.ms = Date.now() - t0;
	return report;
}

/**
 * For a load file: an empty instance before each test, and (with `figures`) the figures of a test
 * that failed or timed out printed after it, marked partial.
 */
export function cleanBeforeEachTest(label: string, target: () => Target, figures?: Figures): void {
	beforeEach(async () => {
		const cleaned = await cleanState(target());
		process.stderr.write(`${label}: clean state ${JSON.stringify(cleaned)}\n`);
	});
	if (figures) afterEach(() => figures.flushUnfinished());
}

/** What a test that ends early still reports: the counter and its workflow's executions. */
export function watchCounterAndExecutions(
	fig: FigureDraft,
	target: Target,
	counter: Counter,
	workflowId: string,
): void {
	fig.probe(async () => ({
		counterUnique: counter.unique(),
		counterTotal: counter.total(),
		doubled: counter.doubled().length,
		byStatus: countByStatus(await allExecutions(target.api, workflowId)),
	}));
}
