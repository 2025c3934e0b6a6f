import { getEndpoint } from '../../nodes/shared/catalog';
import type { SubmitEndpointSpec } from '../../nodes/shared/catalog/types';
import { BatchEngine } from '../../nodes/shared/completion/batchEngine';
import { newRunKey } from '../../nodes/shared/completion/callbackUrl';
import { currentProcess, forgetProcessMemory } from '../../nodes/shared/completion/processMemory';
import type { RunLedger } from '../../nodes/shared/completion/runLedger';

/**
 * A park's wake-up is skipped in a process that holds the run's engine (processMemory.ts); the
 * engine then asks for the step itself, or n8n's own timer, 85 s later, would resume a live run
 * (docs/n8n-internals.md §3).
 */
const endpoint = getEndpoint('image', 'text2img') as SubmitEndpointSpec;

function ledgerWaking(wakeAt: number): RunLedger {
	const now = Date.now();
	return {
		version: 4,
		run: newRunKey(),
		operation: 'text2img',
		base: 'http://127.0.0.1:5678/webhook-waiting/7/node-id',
		startedAt: now - 60_000,
		deadline: now + 15 * 60_000,
		waitMinutes: 15,
		checkpoint: 2,
		wakeAt,
		owner: currentProcess(),
		leaseUntil: now + 60_000,
		selfReachable: true,
		lanes: [],
		items: [0, 1].map((item) => ({
			trackId: `n8n-7-node-r0-${item}`,
			jobId: String(100 + item),
			eta: 60,
			submittedAt: now - 60_000,
		})),
	};
}

afterEach(() => forgetProcessMemory());

it('asks for a step once the wake-up time has passed by 5 s and nothing parked the run since', () => {
	const now = Date.now();
	const engine = new BatchEngine('7:node:run', ledgerWaking(now - 6_000), endpoint, true);
	// The engine was made (its last park seen) before the wake-up time.
	expect(engine.stepWanted(now + 3_000)).toBe('checkpoint');
});

it('asks for nothing before the wake-up time (plus 5 s), with every job running', () => {
	const now = Date.now();
	const engine = new BatchEngine('7:node:run', ledgerWaking(now - 1_000), endpoint, true);
	expect(engine.stepWanted(now + 3_000)).toBeUndefined();
	const later = new BatchEngine('7:node:run', ledgerWaking(now + 30_000), endpoint, true);
	expect(later.stepWanted(now + 3_000)).toBeUndefined();
});

it("asks for no step of its own after a park that left the wake-up to n8n's timer", () => {
	const now = Date.now();
	const ledger = { ...ledgerWaking(now - 6_000), ownWakeUp: false };
	const engine = new BatchEngine('7:node:run', ledger, endpoint, true);
	expect(engine.stepWanted(now)).toBeUndefined();
});

it('with a read due at the wake-up time, asks for the step at once and leaves the read for after its park', () => {
	const now = Date.now();
	const ledger = ledgerWaking(now);
	// Item 1's callback is overdue now: its read is what the wake-up is for.
	ledger.items[1].check = { dueAt: now, delayMs: 30_000, notFound: 0, failures: 0 };
	const engine = new BatchEngine('7:node:run', ledger, endpoint, true);
	expect(engine.stepWanted(now)).toBe('checkpoint');
	const handed = engine.ledgerForStep('checkpoint', now);
	// Timed as if the read found the job running; done once n8n has saved the step's park.
	expect(handed.items[1].check).toEqual(
		expect.objectContaining({ dueAt: now + 60_000, delayMs: 60_000, afterPark: true }),
	);
	expect(handed.items[0].check?.afterPark).toBeUndefined();
});

it("after a step it did not ask for (n8n's own timer), reads the jobs whose callback is late once that park is saved", () => {
	const now = Date.now();
	const ledger = ledgerWaking(now + 60_000);
	// Item 0 was submitted 200 s ago with an ETA of 60 s: its callback is late (2 × ETA). Item 1 is not.
	ledger.items[0].submittedAt = now - 200_000;
	ledger.items[1].submittedAt = now - 10_000;
	const engine = new BatchEngine('7:node:run', ledger, endpoint, true);
	engine.adopt({ ...ledger, checkpoint: ledger.checkpoint + 1 });
	const owed = engine.picture.tracker.owedAfterPark(engine.picture.jobs);
	expect(owed.map((job) => job.itemIndex)).toEqual([0]);
	// That read takes the place of its next one (due at 120 s, then 240 s later): no read is added.
	expect(engine.picture.tracker.saved(0)?.delayMs).toBe(240_000);

	// A step it asked for reads only what that step deferred (none here).
	const asked = new BatchEngine('7:node:run2', ledger, endpoint, true);
	expect(asked.claimStep('checkpoint')).toBe(true);
	asked.adopt({ ...ledger, checkpoint: ledger.checkpoint + 1 });
	expect(asked.picture.tracker.owedAfterPark(asked.picture.jobs)).toEqual([]);
});
