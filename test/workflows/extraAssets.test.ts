import { eventually, WaitingRoute, type TestExecution } from '../support/n8nHarness';
import { startSimulator, type Simulator } from '../simulator';

/**
 * A 3D job's render video in callback mode, whole executions in-process: ModelsLab's sources show
 * `extra_assets` only in processing answers (docs/modelslab-api.md §4), so the parked run must keep
 * the submit's list until the callback resumes it (runLedger.ts, runPicture.ts).
 */
let sim: Simulator;
let route: WaitingRoute;

beforeAll(async () => {
	sim = await startSimulator({ callbackDelayMs: 300 });
	route = await new WaitingRoute().start();
});
afterAll(async () => {
	await sim.stop();
	await route.stop();
});
beforeEach(() => sim.reset());

/** A 3D model of a chair with its render video, in the given completion mode. */
async function renderChair(completion: 'callback' | 'submit'): Promise<TestExecution> {
	return await route.run({
		node: {
			id: '3d0a1f7e-2222-4c2d-9e3f-5a6b7c8d9e0f',
			type: 'modelslab.threeD',
			parameters: {
				operation: 'text_to_3d',
				prompt: 'a chair',
				completion,
				additionalFields: { render: true },
				options: {},
			},
		},
		items: [{}],
		credentials: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
	});
}

it.each([
	['only the submit answer names it', true],
	['the callback repeats it', false],
])(
	'a parked 3D job asked to render ends with its video in extra_assets: %s',
	async (_title, extraAssetsOnlyWhileProcessing) => {
		sim.plan({ eta: 60, delayMs: 800, extraAssetsOnlyWhileProcessing });
		const execution = await renderChair('callback');
		expect(execution.status).toBe('waiting');
		await eventually(() => execution.status === 'success', 10_000, 'the resume');
		const [job] = [...sim.jobs.values()];
		// The simulator records a callback once its answer is in: the resume may end the run first.
		const callback = await eventually(
			() => sim.callbacks.find((c) => c.jobId === job.id),
			5_000,
			'the callback recorded',
		);
		expect(Object.keys(callback.body).includes('extra_assets')).toBe(
			!extraAssetsOnlyWhileProcessing,
		);
		expect(job.extraAssets).toHaveLength(1);
		expect(execution.received[0][0]).toMatchObject({
			status: 'success',
			id: job.id,
			output: job.output,
			extra_assets: job.extraAssets,
		});
	},
);

it('Submit Only keeps the render video the submit answer names in its receipt, as Get Result will not repeat it', async () => {
	sim.plan({ eta: 60, delayMs: 800, extraAssetsOnlyWhileProcessing: true });
	const execution = await renderChair('submit');
	expect(execution.status).toBe('success');
	const [job] = [...sim.jobs.values()];
	expect(job.extraAssets).toHaveLength(1);
	expect(execution.received[0][0]).toMatchObject({
		status: 'processing',
		id: job.id,
		extra_assets: job.extraAssets,
	});
});
