// Issue 21: n8n is killed (SIGKILL) or stopped (SIGTERM) while a ModelsLab run in callback mode
// waits, stays down about 20 s (callbacks sent meanwhile are lost: ModelsLab does not re-send
// generation callbacks) and is started again. Outside CI's time budget: `npm run test:faults`
// (one n8n process per line, N8N_LINES default 1,2) and `npm run test:faults:queue` (n8n 2.x in
// queue mode, every process killed at once). Each scenario asserts the node's exact output, that
// no prompt was submitted twice (none missing unless the scenario's window allows it), and
// records the time from n8n being back to the execution's end (figures.ts).
import type { Execution, ExecutionStatus } from '../../../scripts/n8n';
import type { RunLedger } from '../../../nodes/shared/completion/runLedger';
import type { SimJob } from '../../simulator';
import { operationParameters, startAction } from '../support/actionRun';
import { eventually, executionIdOfJob, FINISHED, nodeOutput } from '../support/executions';
import { e2eRuns } from '../support/lines';
import { withReport, type ScenarioTrace } from '../support/report';
import { startStack, type E2eStack } from '../support/stack';
import { ACTION_NODE } from '../support/workflows';
import { recordFigures, type FaultFigures } from './figures';

const SIGNALS: NodeJS.Signals[] = ['SIGKILL', 'SIGTERM'];
const BATCH = 12;
const QUEUE_LIMIT = 4;
/** Jobs of 3-6 s whose ETA says about that (honest). */
const JOBS = { eta: 5, delayMs: { min: 3_000, max: 6_000 } };
/** How long n8n stays down after the signal (its own start then adds 15-60 s). */
const DOWN_MS = 20_000;
/**
 * The node's Wait Limit: a run that stalls ends at it (with an error per unfinished item) instead
 * of outliving the test; well above what a run needs (2 min for an unsure item, n8n's wait poll
 * up to 60 s late).
 */
const WAIT_LIMIT_MINUTES = 8;
/** The wait limit counts from the start, a minute or so before the restart; then the wait poll. */
const FINISH_TIMEOUT_MS = (WAIT_LIMIT_MINUTES + 2) * 60_000;
const TEST_TIMEOUT_MS = 20 * 60_000;
/**
 * From n8n being back to the run's end, at most (README, "Restarts"): the old process's lease
 * (60 s from its last park) and 5 s, n8n's timer 85 s after that (completion/park.ts), the lane's
 * remaining jobs, and slack for a loaded machine; the minute an item of the window waits for its
 * callback runs from the lease's end, inside the timer's 85 s.
 */
const RECOVERY_BOUND_S = 240;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Batch {
	executionId: string;
	workflowId: string;
	prompts: string[];
}

interface Outage {
	exit: { code: number | null; signal: NodeJS.Signals | null };
	killedAt: number;
	/** When restart() resolved: n8n is back. */
	backAt: number;
}

/** One output item as the assertions compare it. */
interface ItemView {
	item: unknown;
	status: unknown;
	id: unknown;
	error?: unknown;
}

describe.each(e2eRuns())('n8n %s: killed while a ModelsLab run waits', (label, line) => {
	let stack: E2eStack;
	/** Set between a kill and restart() resolving: afterEach brings n8n back if a test broke there. */
	let down = false;
	let workflowId: string | undefined;

	beforeAll(async () => {
		stack = await startStack(line, { simulator: { queueRetryAfterSeconds: 1 } });
	});
	afterAll(async () => {
		await stack?.stop();
	});
	beforeEach(() => {
		stack.sim.reset();
		stack.sim.setQueueLimit(QUEUE_LIMIT);
		stack.sim.setDefaultBehaviour(JOBS);
		workflowId = undefined;
	});
	afterEach(async () => {
		if (down) {
			await stack.n8n.restart();
			down = false;
		}
		// A run a failed test left waiting must not submit into the next test (2.x can stop it).
		if (workflowId && line === '2')
			await stack.n8n.api.stopExecutions(['waiting', 'running'], workflowId).catch(() => 0);
	});

	const n8nLabel = (): string => `${stack.n8n.version} ${stack.deployment}`;

	function promptsOf(scenario: string, signal: string, count: number): string[] {
		return Array.from({ length: count }, (_, index) => `fault ${scenario} ${signal} item ${index}`);
	}

	/** Webhook → Split Items → ModelsLab Image (callback) → No-Op, started with one item per prompt. */
	async function startBatch(
		trace: ScenarioTrace,
		name: string,
		prompts: string[],
		onError?: 'continueRegularOutput',
	): Promise<Batch> {
		const { jobs, workflow } = await startAction(stack, trace, {
			name,
			onError,
			category: 'image',
			parameters: operationParameters('image', 'text2img', {
				prompt: '={{ $json.prompt }}',
				completion: 'callback',
				options: { waitLimit: WAIT_LIMIT_MINUTES },
			}),
			body: { items: prompts.map((prompt) => ({ prompt })) },
			splitItems: true,
			jobCount: 1,
		});
		workflowId = workflow.id;
		const executionId = executionIdOfJob(jobs[0]);
		trace.executionId = executionId;
		return { executionId, workflowId: workflow.id, prompts };
	}

	async function statusOf(executionId: string): Promise<ExecutionStatus | undefined> {
		return (await stack.n8n.api.getExecution(executionId, false).catch(() => undefined))?.status;
	}

	/** Waits until the execution is parked (status waiting), polling fast so the kill lands there. */
	async function parked(executionId: string, what: string): Promise<void> {
		await eventually(
			`execution ${executionId} waiting (${what})`,
			async () => (await statusOf(executionId)) === 'waiting',
			60_000,
			50,
		);
	}

	/**
	 * Sends the signal, waits for the exit, runs `whileDown`, keeps n8n down for DOWN_MS from the
	 * signal and starts it again.
	 */
	async function outage(
		signal: NodeJS.Signals,
		whileDown: () => Promise<void> = async () => undefined,
	): Promise<Outage> {
		const killedAt = Date.now();
		down = true;
		const exit = await stack.n8n.kill(signal);
		await whileDown();
		await sleep(Math.max(0, DOWN_MS - (Date.now() - killedAt)));
		await stack.n8n.restart();
		down = false;
		return { exit, killedAt, backAt: Date.now() };
	}

	/**
	 * The execution once finished (or as it stands at the timeout), and the seconds from n8n being
	 * back to its stoppedAt (undefined if it did not end).
	 */
	async function finished(
		executionId: string,
		backAt: number,
		timeoutMs = FINISH_TIMEOUT_MS,
	): Promise<{ execution: Execution; seconds?: number }> {
		const until = Date.now() + timeoutMs;
		let execution = await stack.n8n.api.getExecution(executionId, true);
		while (Date.now() < until) {
			// Not waitForExecution: it waits for a terminal status without the parked run's
			// waitTill, which an execution n8n's crash recovery marked crashed keeps for good.
			// A step n8n resumed meanwhile may still park the run again over it: look once more.
			if (execution.status === 'crashed') {
				await sleep(30_000);
				execution = await stack.n8n.api.getExecution(executionId, true);
				if (execution.status === 'crashed') break;
				continue;
			}
			if (FINISHED.includes(execution.status)) {
				execution = await stack.n8n.api
					.waitForExecution(executionId, FINISHED, { timeoutMs: 30_000 })
					.catch(async () => await stack.n8n.api.getExecution(executionId, true));
				break;
			}
			await sleep(1000);
			execution = await stack.n8n.api.getExecution(executionId, true);
		}
		if (!FINISHED.includes(execution.status) || !execution.stoppedAt) return { execution };
		return {
			execution,
			seconds: Math.round((Date.parse(execution.stoppedAt) - backAt) / 100) / 10,
		};
	}

	/** The simulator's jobs for each prompt, in prompt order. */
	function jobsByPrompt(prompts: string[]): SimJob[][] {
		const all = [...stack.sim.jobs.values()];
		return prompts.map((prompt) => all.filter((job) => job.request.prompt === prompt));
	}

	function submitFigures(
		prompts: string[],
	): Pick<FaultFigures, 'submits' | 'duplicates' | 'missing'> {
		const counts = jobsByPrompt(prompts).map((jobs) => jobs.length);
		return {
			submits: counts.reduce((sum, count) => sum + count, 0),
			duplicates: counts.filter((count) => count > 1).length,
			missing: counts.filter((count) => count === 0).length,
		};
	}

	function outputView(execution: Execution): ItemView[] {
		return nodeOutput(execution, ACTION_NODE).map((item) => ({
			item: (item.pairedItem as { item?: number } | undefined)?.item,
			status: item.json.status,
			id: item.json.id,
			...(item.json.error !== undefined ? { error: item.json.error } : {}),
		}));
	}

	/** Every item a success with the one job of its prompt, in input order. */
	function expectedSuccess(prompts: string[]): ItemView[] {
		return jobsByPrompt(prompts).map((jobs, index) => ({
			item: index,
			status: 'success',
			id: jobs[0]?.id ?? `(prompt ${index} never submitted)`,
		}));
	}

	/**
	 * The items the run's last park let n8n start without saving again (lanes.ts: every lane's
	 * queued items up to `authorizedTo`): the window a restart leaves open (README, "Restarts").
	 * Read from the saved execution just before the signal.
	 */
	async function windowOf(executionId: string): Promise<number[]> {
		const execution = await stack.n8n.api.getExecution(executionId, true);
		const context = execution.data?.executionData?.contextData?.[`node:${ACTION_NODE}`];
		const ledger = context?.modelslabRun as RunLedger | undefined;
		if (!ledger) throw new Error(`execution ${executionId} holds no saved run`);
		const queued = (item: number) => {
			const saved = ledger.items[item];
			return !saved.jobId && !saved.state && !saved.error && !saved.unsure;
		};
		return ledger.lanes
			.flatMap((lane) => lane.items.filter((_, position) => position <= lane.authorizedTo))
			.filter(queued)
			.sort((a, b) => a - b);
	}

	/**
	 * Every item outside the window a success with the one job of its prompt; an item inside it
	 * the same, or (its job's callback lost while n8n was down) the error naming its track id,
	 * with at most one job. Returns the items that ended with that error.
	 */
	function expectResultsOrWindowErrors(
		execution: Execution,
		prompts: string[],
		window: number[],
	): number[] {
		const output = outputView(execution);
		const jobs = jobsByPrompt(prompts);
		const windowErrors: number[] = [];
		prompts.forEach((_, index) => {
			const success = { item: index, status: 'success', id: jobs[index][0]?.id };
			if (window.includes(index) && output[index]?.error !== undefined) {
				expect(output[index]).toMatchObject({ item: index });
				expect(String(output[index].error)).toContain(`Item ${index} may have run at ModelsLab`);
				expect(jobs[index].length).toBeLessThanOrEqual(1);
				windowErrors.push(index);
				return;
			}
			expect(output[index]).toEqual(success);
			expect(jobs[index].length).toBe(1);
		});
		expect(output).toHaveLength(prompts.length);
		return windowErrors;
	}

	/** Callbacks that reached no n8n (it was down) or that n8n refused. */
	function lostCallbacks(): number {
		return stack.sim.callbacks.filter(
			(callback) => callback.status === undefined || callback.status >= 300,
		).length;
	}

	function finalsTaken(): number {
		return stack.sim.callbacks.filter(
			(callback) => callback.purpose === 'final' && callback.status === 200,
		).length;
	}

	/** What the run had done when the signal goes out: submits (the latest how long before), finals taken. */
	function atTheKill(): string {
		const jobs = [...stack.sim.jobs.values()];
		const latest = Math.max(...jobs.map((job) => job.createdAt));
		const ago = Math.round((Date.now() - latest) / 100) / 10;
		return `${jobs.length} submitted (the latest ${ago} s before), ${finalsTaken()} final callbacks taken`;
	}

	function shortError(execution: Execution | undefined): string | undefined {
		const error = execution?.data?.resultData.error;
		if (!error) return undefined;
		const text = `${error.message}${error.description ? ` — ${error.description}` : ''}`;
		return text.length > 300 ? `${text.slice(0, 297)}...` : text;
	}

	function figures(
		scenario: string,
		signal: NodeJS.Signals,
		batch: Batch,
		outageAt: Outage,
		execution: Execution | undefined,
		seconds: number | undefined,
		atKill: string,
	): FaultFigures {
		const row: FaultFigures = {
			scenario,
			signal,
			n8n: n8nLabel(),
			status: execution?.status ?? 'unknown',
			...submitFigures(batch.prompts),
			results: execution
				? outputView(execution).filter((item) => item.status === 'success').length
				: 0,
			items: batch.prompts.length,
			secondsAfterRestart: seconds,
			secondsAfterKill:
				execution?.stoppedAt && FINISHED.includes(execution.status)
					? Math.round((Date.parse(execution.stoppedAt) - outageAt.killedAt) / 100) / 10
					: undefined,
			secondsDown: Math.round((outageAt.backAt - outageAt.killedAt) / 100) / 10,
			exit: outageAt.exit.signal ?? `code ${outageAt.exit.code}`,
			lostCallbacks: lostCallbacks(),
			reads: stack.sim.stats().fetches,
			error: shortError(execution),
			atKill,
		};
		recordFigures(row);
		return row;
	}

	describe.each(SIGNALS)(`${label}, %s`, (signal) => {
		test(
			`1. a paced batch of ${BATCH} (queue limit ${QUEUE_LIMIT}) killed while parked mid-batch: every result in order, or the window's errors; one submit per prompt at most`,
			async () => {
				const trace: ScenarioTrace = {};
				await withReport(stack.n8n, trace, async () => {
					const prompts = promptsOf('1', signal, BATCH);
					// Continue On Fail: each item shows how it ended (without it, a window error fails the node).
					const batch = await startBatch(
						trace,
						`faults 1 ${signal}`,
						prompts,
						'continueRegularOutput',
					);
					await eventually('5 final callbacks taken', () => finalsTaken() >= 5, 120_000, 50);
					await parked(batch.executionId, 'mid-batch');
					const window = await windowOf(batch.executionId);
					const atKill = `${atTheKill()}; window: items ${window.join(', ') || 'none'}`;
					const outageAt = await outage(signal);
					const { execution, seconds } = await finished(batch.executionId, outageAt.backAt);
					figures('1', signal, batch, outageAt, execution, seconds, atKill);

					expect(lostCallbacks()).toBeGreaterThan(0);
					expect(execution.status).toBe('success');
					const windowErrors = expectResultsOrWindowErrors(execution, prompts, window);
					process.stderr.write(
						`faults 1 ${signal} on n8n ${n8nLabel()}: window ${JSON.stringify(window)}, ended with the window's error: ${JSON.stringify(windowErrors)}\n`,
					);
					expect(seconds).toBeLessThanOrEqual(RECOVERY_BOUND_S);
				});
			},
			TEST_TIMEOUT_MS,
		);

		test(
			`2. the same batch killed right after the first park (first wave running, its callbacks lost): success, every result in order, ${BATCH} submits`,
			async () => {
				const trace: ScenarioTrace = {};
				await withReport(stack.n8n, trace, async () => {
					const prompts = promptsOf('2', signal, BATCH);
					const batch = await startBatch(trace, `faults 2 ${signal}`, prompts);
					await parked(batch.executionId, 'first park');
					// Before any callback the run knows no job length: it authorizes nothing beyond
					// the first wave (park.ts), so a restart leaves nothing unsure.
					const window = await windowOf(batch.executionId);
					const atKill = atTheKill();
					const wave = { submitted: stack.sim.jobs.size, finalsTaken: finalsTaken() };
					const outageAt = await outage(signal);
					const { execution, seconds } = await finished(batch.executionId, outageAt.backAt);
					figures('2', signal, batch, outageAt, execution, seconds, atKill);

					expect(wave).toEqual({ submitted: QUEUE_LIMIT, finalsTaken: 0 });
					expect(window).toEqual([]);
					expect(lostCallbacks()).toBeGreaterThanOrEqual(QUEUE_LIMIT);
					expect({ status: execution.status, error: shortError(execution) }).toEqual({
						status: 'success',
						error: undefined,
					});
					expect(outputView(execution)).toEqual(expectedSuccess(prompts));
					expect(jobsByPrompt(prompts).map((jobs) => jobs.length)).toEqual(prompts.map(() => 1));
				});
			},
			TEST_TIMEOUT_MS,
		);

		test(
			`3. ${signal === 'SIGKILL' ? 'killed' : 'stopped'} during the first wave (inside execute(), before the park is saved): ${signal === 'SIGKILL' ? 'not success' : 'n8n lets the run go on while it shuts down: not success, or success with every result'}, no prompt submitted twice`,
			async () => {
				const trace: ScenarioTrace = {};
				await withReport(stack.n8n, trace, async () => {
					// Slow submits (the job exists at once, its answer comes 2 s later): the kill lands
					// while execute() still submits the first wave.
					stack.sim.setDefaultBehaviour({ ...JOBS, hangMs: 2_000 });
					const prompts = promptsOf('3', signal, BATCH);
					const batch = await startBatch(trace, `faults 3 ${signal}`, prompts);
					await eventually('the 2nd submit', () => stack.sim.jobs.size >= 2, 30_000, 10);
					const statusAtKill = await statusOf(batch.executionId);
					const atKill = `${stack.sim.jobs.size} submitted, execution ${statusAtKill ?? 'not saved yet'}`;
					const outageAt = await outage(signal);
					// The platform window: n8n may end it (crashed), or leave it as it was; wait long
					// enough for a run that parked after all (SIGTERM lets n8n finish execute()).
					const { execution, seconds } = await finished(
						batch.executionId,
						outageAt.backAt,
						6 * 60_000,
					);
					// Anything that could still submit has had its chance.
					await sleep(10_000);
					const row = figures('3', signal, batch, outageAt, execution, seconds, atKill);
					process.stderr.write(
						`faults 3 ${signal} on n8n ${n8nLabel()}: status ${execution.status} after restart (${row.submits} jobs for ${BATCH} prompts)\n`,
					);

					expect(row.duplicates).toBe(0);
					// SIGKILL: the platform window (n8n marks the execution crashed, nothing continues
					// it). SIGTERM: n8n waits for active executions before it exits, and keeps taking
					// resume webhooks meanwhile, so the run may park and even finish before the exit.
					if (signal === 'SIGKILL' || execution.status !== 'success') {
						expect(execution.status).not.toBe('success');
					} else {
						expect(outputView(execution)).toEqual(expectedSuccess(prompts));
						expect(jobsByPrompt(prompts).map((jobs) => jobs.length)).toEqual(prompts.map(() => 1));
					}
				});
			},
			TEST_TIMEOUT_MS,
		);

		test(
			'4. a single job whose callback arrives while n8n is down: success with the result, read after the restart',
			async () => {
				const trace: ScenarioTrace = {};
				await withReport(stack.n8n, trace, async () => {
					stack.sim.plan({ ...JOBS, hold: true });
					const prompts = promptsOf('4', signal, 1);
					const batch = await startBatch(trace, `faults 4 ${signal}`, prompts);
					await parked(batch.executionId, 'single job');
					const atKill = atTheKill();
					const [job] = jobsByPrompt(prompts)[0];
					const outageAt = await outage(signal, async () => await stack.sim.completeJob(job.id));
					const callbackWhileDown = stack.sim.callbacks.filter(
						(c) => c.jobId === job.id && c.sentAt < outageAt.backAt,
					);
					const { execution, seconds } = await finished(batch.executionId, outageAt.backAt);
					figures('4', signal, batch, outageAt, execution, seconds, atKill);

					expect(callbackWhileDown.map((c) => c.status ?? 'not delivered')).toEqual([
						'not delivered',
					]);
					expect({ status: execution.status, error: shortError(execution) }).toEqual({
						status: 'success',
						error: undefined,
					});
					expect(outputView(execution)).toEqual([{ item: 0, status: 'success', id: job.id }]);
					expect(stack.sim.stats().fetches).toBeGreaterThanOrEqual(1);
					expect(jobsByPrompt(prompts)[0]).toHaveLength(1);
				});
			},
			TEST_TIMEOUT_MS,
		);
	});
});
