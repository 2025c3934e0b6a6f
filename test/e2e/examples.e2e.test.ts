// Every example workflow of examples/ imported into a real n8n and run the way a user runs it:
// from its Manual Trigger (the editor's "Execute workflow" button), against the simulator, so the
// examples users import can never rot. A workflow whose trigger is the ModelsLab Trigger is
// activated instead, and receives what the other examples send it.
import { join } from 'node:path';

import type { Execution, WorkflowInput } from '../../scripts/n8n';
import { loadExamples } from '../../scripts/demo/importExamples';
import { eventually, FINISHED } from './support/executions';
import { e2eRuns } from './support/lines';
import { withReport, type ScenarioTrace } from './support/report';
import { startStack, type E2eStack } from './support/stack';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';
const MODELSLAB_TRIGGER = 'n8n-nodes-modelslab.modelsLabTrigger';

/** Node names that must have run for the example to count as done. */
const LAST_NODES: Record<string, string[]> = {
	'ModelsLab example: submit a job, its result goes to the ModelsLab Trigger': ['Submitted'],
	'ModelsLab example: recover results after the wait limit': ['Done'],
	'ModelsLab example: batch of three prompts, one wait': ['Results'],
};

function triggersOf(workflow: WorkflowInput): string[] {
	return workflow.nodes.filter((node) => /trigger/i.test(node.type)).map((node) => node.type);
}

describe.each(e2eRuns())('n8n %s: example workflows import and run', (_label, line) => {
	let stack: E2eStack;
	let receiver: { id: string; name: string } | undefined;

	beforeAll(async () => {
		stack = await startStack(line, {
			simulator: { callbackDelayMs: 400, trainingStepDelayMs: 100 },
		});
		// Long ETAs make the callback-mode examples really park and resume.
		stack.sim.setDefaultBehaviour({ eta: 60 });
		const workflows = loadExamples(EXAMPLES, {
			id: stack.credential.id,
			name: stack.credential.name,
		});
		for (const workflow of workflows.filter((entry) =>
			triggersOf(entry).includes(MODELSLAB_TRIGGER),
		)) {
			const created = await stack.n8n.api.createWorkflow(workflow);
			const path = String(
				workflow.nodes.find((node) => node.type === MODELSLAB_TRIGGER)?.parameters.path,
			);
			await stack.n8n.api.activateWorkflow(created.id, { webhookPaths: [path] });
			receiver = { id: created.id, name: workflow.name };
		}
	});
	afterAll(async () => {
		await stack?.stop();
	});

	const examples = loadExamples(EXAMPLES, { id: 'placeholder', name: 'placeholder' });

	it("every example has exactly one trigger: the editor's default button runs it", () => {
		for (const workflow of examples)
			expect([workflow.name, triggersOf(workflow).length]).toEqual([workflow.name, 1]);
	});

	it.each(
		examples
			.filter((workflow) => triggersOf(workflow)[0] === MANUAL_TRIGGER)
			.map((workflow) => [workflow.name]),
	)(
		'%s',
		async (name) => {
			// Sample file downloads point at the simulator, as `npm start` does.
			const [workflow] = loadExamples(
				EXAMPLES,
				{ id: stack.credential.id, name: stack.credential.name },
				{ sampleFilesOrigin: stack.sim.origin },
			).filter((entry) => entry.name === name);
			const trace: ScenarioTrace = {};
			await withReport(stack.n8n, trace, async () => {
				const created = await stack.n8n.api.createWorkflow(workflow);
				trace.workflow = created;
				const trigger = workflow.nodes.find((node) => node.type === MANUAL_TRIGGER);
				const executionId = await stack.n8n.api.runManually(created.id, String(trigger?.name));
				trace.executionId = executionId;
				const execution = await stack.n8n.api.waitForExecution(executionId, FINISHED, {
					timeoutMs: 150_000,
					intervalMs: 500,
				});
				expect(execution.status).toBe('success');
				const ran = new Set(Object.keys(execution.data?.resultData.runData ?? {}));
				for (const node of LAST_NODES[name] ?? ['Result']) expect(ran).toContain(node);

				if (name.includes('ModelsLab Trigger')) {
					// The job's result reached the active receiving workflow, which ran once for it.
					const received = await eventually<Execution[]>(
						'the ModelsLab Trigger workflow to run',
						async () => {
							const list = await stack.n8n.api.listExecutions({ workflowId: receiver?.id });
							return (
								list.length >= 1 && list.every((entry) => FINISHED.includes(entry.status)) && list
							);
						},
						60_000,
						500,
					);
					const done = await stack.n8n.api.getExecution(received[0].id, true);
					expect(Object.keys(done.data?.resultData.runData ?? {})).toContain('Result Received');
				}
			});
		},
		180_000,
	);
});
