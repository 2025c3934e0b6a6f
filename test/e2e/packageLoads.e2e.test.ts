// The packed package loads in a real n8n: every node type and the credential type; the
// credential test (n8n's "Test" button) passes against the simulator and fails with a wrong key.
import { CONTRACT_OPERATIONS } from '../support/contractOperations';
import { describeUnlessQueueRun, e2eRuns } from './support/lines';
import { withReport } from './support/report';
import {
	CREDENTIAL_TYPE,
	credentialData,
	nodeType,
	startStack,
	type E2eStack,
} from './support/stack';

const NODE_NAMES = [
	...Object.values(CONTRACT_OPERATIONS).map((c) => c.nodeType),
	'modelsLabTrigger',
];

interface CredentialTestResult {
	data: { status: 'OK' | 'Error'; message: string };
}

/**
 * What the editor's "Test" button does for a saved credential: it sends the form data, with the
 * secret still blanked as n8n handed it out, and n8n fills in the stored secret.
 */
async function testSavedCredential(
	stack: E2eStack,
	id: string,
): Promise<CredentialTestResult['data']> {
	const saved = await stack.rest.request<{
		data: { id: string; name: string; type: string; data: Record<string, unknown> };
	}>('GET', `/rest/credentials/${id}?includeData=true`);
	const { name, type, data } = saved.data;
	const res = await stack.rest.request<CredentialTestResult>('POST', '/rest/credentials/test', {
		credentials: { id, name, type, data },
	});
	return res.data;
}

// Skipped in a queue run: which nodes, credentials and properties n8n loads from the tarball does
// not depend on the deployment, and every queue-run file loads the same tarball before it starts.
describeUnlessQueueRun().each(e2eRuns())('n8n %s: package loads', (_label, line) => {
	let stack: E2eStack;

	beforeAll(async () => {
		stack = await startStack(line);
	});
	afterAll(async () => {
		await stack?.stop();
	});

	test('every node type of the package is loaded', async () => {
		await withReport(stack.n8n, {}, async () => {
			const types = await stack.n8n.api.nodeTypes();
			const names = types.map((t) => t.name);
			for (const name of NODE_NAMES) expect(names).toContain(nodeType(name));
			// The Trigger really is a trigger and the action nodes are not: the group decides how n8n runs them.
			const trigger = types.find((t) => t.name === nodeType('modelsLabTrigger')) as
				{ group?: string[] } | undefined;
			expect(trigger?.group).toContain('trigger');
		});
	});

	test('the credential type is loaded and a credential of it can be created', async () => {
		await withReport(stack.n8n, {}, async () => {
			expect(stack.credential).toMatchObject({ type: CREDENTIAL_TYPE, id: expect.any(String) });
			const types = await stack.rest.request<Array<{ name: string }>>(
				'GET',
				'/types/credentials.json',
			);
			expect(types.map((t) => t.name)).toContain(CREDENTIAL_TYPE);
		});
	});

	test('the credential test passes with the simulator key and fails with a wrong key', async () => {
		await withReport(stack.n8n, {}, async () => {
			expect(await testSavedCredential(stack, stack.credential.id)).toEqual({
				status: 'OK',
				message: expect.any(String),
			});

			const wrong = await stack.n8n.api.createCredential({
				name: 'ModelsLab (wrong key)',
				type: CREDENTIAL_TYPE,
				data: credentialData(line, 'not-the-key', stack.sim.baseUrl),
			});
			const failed = await testSavedCredential(stack, wrong.id);
			expect(failed.status).toBe('Error');
			// The simulator saw the test request with the wrong key (redacted) and refused it.
			const tests = stack.sim.requests.filter((r) => r.path === '/api/v6/processing/request_count');
			// n8n may send the failing test request more than once.
			const [first, ...rest] = tests.map((r) => r.status);
			expect(first).toBe(200);
			expect(rest.length).toBeGreaterThan(0);
			expect(rest.every((s) => s === 401)).toBe(true);
		});
	});
});
