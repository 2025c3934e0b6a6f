import type { IDataObject } from 'n8n-workflow';

import { forgetProcessMemory } from '../../nodes/shared/completion/processMemory';
import { eventually, N8nWaitPoll, WaitingRoute, type TestExecution } from '../support/n8nHarness';
import { successBody } from '../e2e/scale/callbacks';
import { startSimulator, type SimJob, type Simulator } from '../simulator';

/**
 * Issue 21's faults, whole executions in-process (n8n-core's WorkflowExecute, the simulator over
 * real HTTP): n8n that cannot reach its own URL, reads that say the job failed or is unknown, one
 * failed download in a large batch, a submit answered by a gateway's 502 page. Each ended with a
 * result missing before the completion core's redesign (the closing note of issue 21 shows them
 * failing on the commit before it).
 */
let sim: Simulator;
let route: WaitingRoute;

beforeAll(async () => {
	sim = await startSimulator({ callbackDelayMs: 200 });
	route = await new WaitingRoute().start();
});
afterAll(async () => {
	await sim.stop();
	await route.stop();
});
beforeEach(() => {
	sim.reset();
	route.refuseOwnRequests = false;
});
afterEach(() => {
	sim.setQueueLimit(undefined);
	sim.setDefaultBehaviour({});
});

const NODE_ID = '3a4b5c6d-7777-4e8f-9a0b-1c2d3e4f5a6b';

async function runImage(
	count: number,
	options: IDataObject = {},
	node: { onError?: 'continueRegularOutput' } = {},
	completion: 'callback' | 'poll' = 'callback',
): Promise<TestExecution> {
	return await route.run({
		node: {
			id: NODE_ID,
			type: 'modelslab.image',
			parameters: {
				operation: 'text2img',
				modelId: 'flux',
				prompt: '={{ $json.prompt }}',
				completion,
				additionalFields: {},
				options: options as Record<string, string | number | boolean>,
			},
			...(node.onError ? { onError: node.onError } : {}),
		},
		items: Array.from({ length: count }, (_, index) => ({ prompt: `prompt ${index}` })),
		credentials: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
	});
}

function submitsOf(prompt: string): number {
	return sim.requests.filter(
		(request) =>
			request.path === '/api/v6/images/text2img' &&
			(request.body as IDataObject | undefined)?.prompt === prompt,
	).length;
}

it("n8n that cannot reach its own URL finds out before submitting, continues on n8n's timed resume, and says what to fix", async () => {
	route.refuseOwnRequests = true;
	// The callback never comes: only a step of the node's own can read the job, at twice its ETA.
	sim.plan({ eta: 16, delayMs: 100, dropCallback: true });
	const execution = await runImage(1);
	expect(execution.status).toBe('waiting');
	const probe = route.answers.find(
		(answer) => answer.executionId === execution.id && answer.item === 'probe',
	);
	expect(probe?.statusCode).toBe(403);
	// What n8n's wait poll does at the park's wake-up time (waitTill), here without the minute.
	const waitTill = execution.waitTill?.getTime() ?? 0;
	expect(waitTill - Date.now()).toBeLessThanOrEqual(32_000);
	await new Promise((resolve) => setTimeout(resolve, Math.max(0, waitTill - Date.now())));
	await execution.expireWait();
	expect(execution.status).toBe('success');
	const [job] = [...sim.jobs.values()];
	expect(execution.nodeOutput()).toEqual([
		expect.objectContaining({ status: 'success', id: job.id }),
	]);
	const runs = execution.runExecutionData.resultData.runData[execution.nodeName];
	const hints = runs.flatMap((run) => run.hints ?? []).map((hint) => hint.message);
	expect(hints).toEqual([expect.stringContaining('WEBHOOK_URL')]);
	// No wake-up was posted to a URL known not to answer.
	expect(route.answers.filter((answer) => answer.item === 'sync')).toHaveLength(0);
}, 60_000);

it('a read answered HTTP 200 {status:"error"} ends the job as failed with ModelsLab\'s message, after one read', async () => {
	sim.plan({ eta: 16, delayMs: 100, dropCallback: true });
	sim.planFetch({ http200Error: 'Model is overloaded, job cancelled' });
	const execution = await runImage(1, {}, { onError: 'continueRegularOutput' });
	expect(execution.status).toBe('waiting');
	await eventually(() => execution.status === 'success', 45_000, 'the read after the park');
	const [job] = [...sim.jobs.values()];
	expect(execution.nodeOutput()).toEqual([
		expect.objectContaining({
			status: 'failed',
			id: job.id,
			error: expect.stringContaining('Model is overloaded, job cancelled'),
		}),
	]);
	expect(sim.stats().fetches).toBe(1);
}, 60_000);

it('reads answered 404 end the job as failed after three in a row, in callback and poll mode alike', async () => {
	for (const completion of ['callback', 'poll'] as const) {
		sim.reset();
		sim.plan({ eta: 1, delayMs: 100, dropCallback: true });
		sim.planFetch({ httpStatus: 404 }, 3);
		const execution = await runImage(1, {}, { onError: 'continueRegularOutput' }, completion);
		await eventually(() => execution.status === 'success', 60_000, `the ${completion} run's end`);
		const [job] = [...sim.jobs.values()];
		expect(execution.nodeOutput()).toEqual([
			expect.objectContaining({
				status: 'failed',
				id: job.id,
				error: expect.stringContaining(`ModelsLab does not know job ${job.id}`),
			}),
		]);
		expect(sim.stats().fetches).toBe(3);
	}
}, 130_000);

it('one failed download among 100 results: that item carries download_error, the other 99 keep their files', async () => {
	sim.setQueueLimit(100);
	sim.setDefaultBehaviour({ eta: 60, hold: true });
	const execution = await runImage(100, { downloadOutputs: true });
	expect(execution.status).toBe('waiting');
	const jobs = [...sim.jobs.values()];
	expect(jobs).toHaveLength(100);
	const broken = jobs[37];
	const brokenUrl = `${sim.origin}/files/no-such-file-${broken.id}.png`;
	(broken.output as string[]).splice(0, broken.output.length, brokenUrl);
	for (const job of jobs) await sim.completeJob(job.id);
	await eventually(() => execution.status === 'success', 60_000, 'the resume');
	const out = execution.nodeItems();
	expect(out).toHaveLength(100);
	for (const [index, item] of out.entries()) {
		if (index === 37) {
			expect(item.json).toMatchObject({ status: 'success', id: broken.id, output: [brokenUrl] });
			expect(item.json.download_error).toEqual(expect.stringContaining('404'));
			expect(item.binary).toBeUndefined();
		} else {
			expect(item.json).toMatchObject({ status: 'success', id: jobs[index].id });
			expect(item.json.download_error).toBeUndefined();
			expect(Object.keys(item.binary ?? {})).toHaveLength(1);
		}
	}
}, 90_000);

it("a submit answered by a gateway's 502 page is never sent again; the job's callback still brings its result", async () => {
	sim.plan({ eta: 60, delayMs: 800, gatewayError: { status: 502, jobCreated: true } });
	sim.plan({ eta: 60, delayMs: 500 });
	const execution = await runImage(2, {}, {}, 'callback');
	expect(execution.status).toBe('waiting');
	await eventually(() => execution.status === 'success', 30_000, 'the resume');
	const jobs = [...sim.jobs.values()];
	expect(execution.nodeOutput().map((item) => [item.status, item.id])).toEqual([
		['success', jobs.find((job) => job.request.prompt === 'prompt 0')?.id],
		['success', jobs.find((job) => job.request.prompt === 'prompt 1')?.id],
	]);
	expect([submitsOf('prompt 0'), submitsOf('prompt 1')]).toEqual([1, 1]);
}, 40_000);

it('a restarted n8n whose first step after the restart is carried by a callback does not submit again what the process before it submitted without saving', async () => {
	// One lane [0, 2] behind a queue of 2: item 2 goes out only after item 0's job ended, submitted
	// by the process that owns the run, between two parks.
	sim.setQueueLimit(2);
	sim.setDefaultBehaviour({ eta: 5, hold: true });
	const execution = await runImage(3);
	expect(execution.status).toBe('waiting');
	const jobsOf = (prompt: string) =>
		[...sim.jobs.values()].filter((job) => job.request.prompt === prompt);
	const jobOf = (prompt: string) => jobsOf(prompt)[0];
	await sim.completeJob(String(jobOf('prompt 0')?.id));
	await eventually(
		() => jobsOf('prompt 2').length === 1,
		20_000,
		'item 2 submitted by the first process',
	);

	// n8n restarts before a park saved item 2's job; the first thing the new process sees is a callback.
	forgetProcessMemory({ newProcess: true });
	const answersBefore = route.answers.length;
	await sim.completeJob(String(jobOf('prompt 1')?.id));
	// The new engine wants a step (the lane's next item is authorized, the run's owner is gone):
	// the callback carries it, or the engine's own request to the run's URL does.
	await eventually(
		() =>
			route.answers
				.slice(answersBefore)
				.some(
					(answer) =>
						answer.executionId === execution.id &&
						(answer.body as IDataObject | undefined)?.resumed === true,
				),
		20_000,
		'a step after the restart',
	);
	await new Promise((resolve) => setTimeout(resolve, 4_000));
	expect(jobsOf('prompt 2')).toHaveLength(1);

	// Item 2's own callback then brings its result.
	await sim.completeJob(String(jobOf('prompt 2')?.id));
	await eventually(() => execution.status !== 'waiting', 20_000, 'the run ends');
	expect(execution.status).toBe('success');
	expect(execution.nodeOutput().map((item) => [item.status, item.id])).toEqual(
		['prompt 0', 'prompt 1', 'prompt 2'].map((prompt) => ['success', String(jobOf(prompt)?.id)]),
	);
	expect(['prompt 0', 'prompt 1', 'prompt 2'].map((prompt) => jobsOf(prompt).length)).toEqual([
		1, 1, 1,
	]);
}, 90_000);

it("n8n's wait timers never resume a run whose process lives: one run of the node, not an empty one per stale timer", async () => {
	// n8n arms a timer for a waitTill up to 70 s ahead and fires it even after the run parked again
	// (docs/n8n-internals.md §3). Item 0 ends at 2 s; item 1 runs 40 s and is read while it runs.
	sim.setQueueLimit(1);
	sim.plan({ eta: 1, delayMs: 2_000 });
	sim.plan({ eta: 1, delayMs: 40_000 });
	const poll = new N8nWaitPoll(route).start();
	try {
		const execution = await runImage(2);
		expect(execution.status).toBe('waiting');
		await eventually(() => execution.status === 'success', 70_000, 'the run to end');
		const jobs = [...sim.jobs.values()];
		expect(execution.nodeOutput()).toEqual(
			jobs.map((job) => expect.objectContaining({ status: 'success', id: job.id })),
		);
		expect(poll.resumed).toEqual([]);
		expect(execution.runExecutionData.resultData.runData[execution.nodeName]).toHaveLength(1);
	} finally {
		poll.stop();
	}
}, 90_000);

it('a callback n8n refuses while the run steps for an overdue read is found by a read after the park, not at the next overdue read', async () => {
	// The job says ETA 1 s and runs until the test ends it: it is read 10 s after its submit (a
	// quick ETA, runSubmit.ts), and the run steps then. The job ends while that step runs, so n8n
	// answers its callback 409, and ModelsLab does not send it again.
	sim.plan({ eta: 1, hold: true });
	const execution = await runImage(1);
	expect(execution.status).toBe('waiting');
	const [job] = [...sim.jobs.values()];
	let refusedAt = 0;
	execution.duringNextRun = async () => {
		await sim.completeJob(job.id);
		await eventually(
			() => route.callbackAnswers(execution.id).some((answer) => answer.statusCode === 409),
			5_000,
			'the callback refused while the run steps',
		);
		refusedAt = Date.now();
	};
	await eventually(() => execution.status === 'success', 60_000, 'the run to end');
	// Before reads followed their step's park, the job waited for its next read, 60 s later.
	// One read: the step stood in for the read that was due, and the read after the park is it.
	expect(refusedAt).toBeGreaterThan(0);
	expect(Date.now() - refusedAt).toBeLessThan(10_000);
	expect(execution.nodeOutput()).toEqual([
		expect.objectContaining({ status: 'success', id: job.id }),
	]);
	const reads = sim.requests.filter((request) => request.path.includes('/fetch/')).length;
	expect(reads).toBe(1);
}, 90_000);

/**
 * One parked job that ended at ModelsLab without calling back; `deliverCallback` hands n8n its
 * final callback as n8n's waiting webhook would take it.
 */
async function parkedJobEnded(): Promise<{
	execution: TestExecution;
	job: SimJob;
	deliverCallback: () => ReturnType<TestExecution['deliverCallback']>;
}> {
	sim.plan({ eta: 60, hold: true, dropCallback: true });
	const execution = await runImage(1);
	expect(execution.status).toBe('waiting');
	const [job] = [...sim.jobs.values()];
	await sim.completeJob(job.id);
	const query = Object.fromEntries(new URL(job.webhook ?? '').searchParams);
	return {
		execution,
		job,
		deliverCallback: async () => await execution.deliverCallback(successBody(job), query),
	};
}

it("a last step that a callback asked for but n8n's timer beat (the callback got 500) is taken by the timer's step, which reads the job", async () => {
	const { execution, job, deliverCallback } = await parkedJobEnded();
	// The callback's webhook() asks for the last step while n8n's wait timer resumes the execution.
	const delivery = deliverCallback();
	const timed = execution.expireWait();
	const [answer] = await Promise.all([delivery, timed]);
	expect(answer.statusCode).toBe(500);
	// Before, the timer's step parked the run again: the job was not due for a read until 120 s.
	expect(execution.status).toBe('success');
	expect(execution.nodeOutput()).toEqual([
		expect.objectContaining({ status: 'success', id: job.id }),
	]);
}, 30_000);

it('a last step n8n refused to start (the callback that asked for it got 500) is asked for again within seconds', async () => {
	const { execution, job, deliverCallback } = await parkedJobEnded();
	execution.refuseNextResume = true;
	const answer = await deliverCallback();
	expect(answer.statusCode).toBe(500);
	expect(execution.status).toBe('waiting');
	// Before, the engine forgot the run at once: it waited for the job's read, 120 s after its submit.
	await eventually(() => execution.status === 'success', 20_000, 'the last step asked for again');
	expect(execution.nodeOutput()).toEqual([
		expect.objectContaining({ status: 'success', id: job.id }),
	]);
	expect(sim.requests.filter((request) => request.path.includes('/fetch/'))).toHaveLength(0);
}, 40_000);
