// Every example workflow of examples/ imported into a real n8n and run through a Webhook trigger,
// against the simulator, so the examples users import can never rot.
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';

import type { Execution, WorkflowInput } from '../../scripts/n8n';
import { loadExamples } from '../../scripts/demo/importExamples';
import { postWebhook } from './support/deploy';
import { eventually, FINISHED } from './support/executions';
import { e2eRuns } from './support/lines';
import { withReport, type ScenarioTrace } from './support/report';
import { startStack, type E2eStack } from './support/stack';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

/**
 * The example as the suite starts it, over HTTP: by its Webhook trigger where it has one besides the
 * Manual Trigger; otherwise (one trigger, the Manual Trigger: n8n's public API cannot press
 * Execute workflow) with that trigger swapped for a Webhook trigger of the same name and position,
 * so its connections and everything downstream stay as users import them.
 */
function startable(workflow: WorkflowInput): { workflow: WorkflowInput; path: string } {
	const webhook = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook');
	if (webhook) return { workflow, path: String((webhook.parameters as { path: string }).path) };
	const manual = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	if (!manual) throw new Error(`${workflow.name} has neither a Webhook nor a Manual Trigger`);
	const path = `example-${randomBytes(4).toString('hex')}`;
	const swapped = {
		...manual,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
	};
	return {
		workflow: {
			...workflow,
			nodes: workflow.nodes.map((node) => (node === manual ? swapped : node)),
		},
		path,
	};
}

/** Node names that must have run for the example to count as done. */
const LAST_NODES: Record<string, string[]> = {
	'ModelsLab example: submit here, receive with the ModelsLab Trigger': ['Submitted'],
	'ModelsLab example: recover results after the wait limit': ['Done'],
	'ModelsLab example: batch of three prompts, one wait': ['Results'],
};

describe.each(e2eRuns())('n8n %s: example workflows import and run', (_label, line) => {
	let stack: E2eStack;

	beforeAll(async () => {
		stack = await startStack(line, {
			simulator: { callbackDelayMs: 400, trainingStepDelayMs: 100 },
		});
		// Long ETAs make the callback-mode examples really park and resume.
		stack.sim.setDefaultBehaviour({ eta: 60 });
	});
	afterAll(async () => {
		await stack?.stop();
	});

	const examples = loadExamples(EXAMPLES, { id: 'placeholder', name: 'placeholder' });

	it.each(examples.map((workflow) => [workflow.name]))(
		'%s',
		async (name) => {
			const [example] = loadExamples(EXAMPLES, {
				id: stack.credential.id,
				name: stack.credential.name,
			}).filter((entry) => entry.name === name);
			const { workflow, path } = startable(example);
			const trace: ScenarioTrace = {};
			await withReport(stack.n8n, trace, async () => {
				const created = await stack.n8n.api.createWorkflow(workflow);
				trace.workflow = created;
				await stack.n8n.api.activateWorkflow(created.id, { webhookPaths: [path] });
				const answer = await postWebhook(stack, path, {});
				expect(answer.status).toBe(200);

				const finished = await eventually<Execution[]>(
					`the executions of "${name}" to finish`,
					async () => {
						const list = await stack.n8n.api.listExecutions({ workflowId: created.id });
						const wanted = name.includes('ModelsLab Trigger') ? 2 : 1;
						return (
							list.length >= wanted &&
							list.every((execution) => FINISHED.includes(execution.status)) &&
							list
						);
					},
					60_000,
					500,
				);
				for (const summary of finished) {
					trace.executionId = summary.id;
					const execution = await stack.n8n.api.waitForExecution(summary.id, FINISHED, {
						timeoutMs: 30_000,
					});
					expect(execution.status).toBe('success');
				}
				// The ModelsLab node of each example produced a finished result (or, in Submit Only, a receipt).
				const executions = await Promise.all(
					finished.map((summary) => stack.n8n.api.getExecution(summary.id, true)),
				);
				const ran = new Set(
					executions.flatMap((execution) => Object.keys(execution.data?.resultData.runData ?? {})),
				);
				for (const node of LAST_NODES[name] ?? ['Result']) expect(ran).toContain(node);
				if (name.includes('ModelsLab Trigger')) expect(ran).toContain('Result Received');
				await stack.n8n.api.deactivateWorkflow(created.id);
			});
		},
		120_000,
	);
});
