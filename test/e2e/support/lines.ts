// What this e2e run covers: which n8n lines (N8N_LINES=1,2, default both, in that order) and which
// deployment (MODELSLAB_E2E_QUEUE=1: n8n 2.x in queue mode; default one n8n process on SQLite).
// Read here only: every test file asks these functions.
import { isLine, type N8nLine } from '../../../scripts/n8n';

export type E2eDeployment = 'single' | 'queue';

/** `queue` when MODELSLAB_E2E_QUEUE=1 (`npm run test:e2e:queue`): main + webhook processor + 2 workers, Redis, PostgreSQL. */
export function e2eDeployment(): E2eDeployment {
	return process.env.MODELSLAB_E2E_QUEUE === '1' ? 'queue' : 'single';
}

/** The lines to run: queue mode exists for 2.x only, so a queue run covers line 2 whatever N8N_LINES says. */
export function e2eLines(): N8nLine[] {
	if (e2eDeployment() === 'queue') return ['2'];
	return (process.env.N8N_LINES ?? '1,2')
		.split(',')
		.map((s) => s.trim())
		.filter(isLine);
}

/** `line 2`, or `line 2 (queue mode)`: what the describe titles show. */
export function runLabel(line: N8nLine): string {
	return e2eDeployment() === 'queue' ? `line ${line} (queue mode)` : `line ${line}`;
}

/**
 * One row per line for describe.each: `describe.each(e2eRuns())('n8n %s: …', (_label, line) => …)`
 * gives "n8n line 1: …" / "n8n line 2: …", or "n8n line 2 (queue mode): …" in a queue run.
 */
export function e2eRuns(): Array<[label: string, line: N8nLine]> {
	return e2eLines().map((line) => [runLabel(line), line]);
}

/**
 * `describe`, or `describe.skip` in a queue run, for files whose subject does not depend on how n8n is
 * deployed (request bodies, package loading, item bookkeeping). Each caller says why; the queue run
 * keeps CI within its time budget by running only what queue mode can change.
 */
export function describeUnlessQueueRun(): jest.Describe {
	return e2eDeployment() === 'queue' ? describe.skip : describe;
}
