// One n8n line with the packed package installed, the ModelsLab simulator, and a credential
// pointing at it: what every e2e test file starts once per line.
import { startN8n, type Credential, type N8nLine, type RunningN8n } from '../../../scripts/n8n';
import { RestSession } from '../../../scripts/n8n/session';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator';
import { packPackage } from './packageTarball';

export const PACKAGE = 'n8n-nodes-modelslab';
export const CREDENTIAL_TYPE = 'modelsLabApi';

export interface E2eStack {
	line: N8nLine;
	n8n: RunningN8n;
	sim: Simulator;
	/** A modelsLabApi credential with the simulator's URL and key. */
	credential: Credential;
	/** The owner's cookie session for /rest routes the public API lacks (credential test, binary data). */
	rest: RestSession;
	stop(): Promise<void>;
}

export interface StackOptions {
	simulator?: SimulatorOptions;
	/** Extra env for n8n. */
	env?: Record<string, string>;
}

export async function startStack(line: N8nLine, opts: StackOptions = {}): Promise<E2eStack> {
	const tarball = packPackage();
	const sim = await startSimulator(opts.simulator);
	let n8n: RunningN8n | undefined;
	try {
		n8n = await startN8n({ line, tarballs: [tarball], env: opts.env });
		process.stderr.write(`e2e: n8n ${n8n.version} (line ${line}) up at ${n8n.baseUrl} in ${n8n.startMs} ms, simulator ${sim.baseUrl}\n`);
		const credential = await n8n.api.createCredential({
			name: 'ModelsLab (simulator)',
			type: CREDENTIAL_TYPE,
			data: credentialData(line, sim.apiKey, sim.baseUrl),
		});
		const rest = new RestSession(n8n.baseUrl);
		await rest.login(n8n.owner);
		const running = n8n;
		return {
			line,
			n8n: running,
			sim,
			credential,
			rest,
			async stop() {
				await running.stop();
				await sim.stop();
			},
		};
	} catch (e) {
		await n8n?.stop();
		await sim.stop();
		throw e;
	}
}

/**
 * 1.123 adds "Allowed HTTP Request Domains" fields to every credential type with `authenticate`,
 * and its public API schema then demands `allowedDomains` unless the selector is given
 * (a JSON-schema if/then that matches an absent property). 2.x needs neither.
 */
export function credentialData(line: N8nLine, apiKey: string, baseUrl: string): Record<string, unknown> {
	return line === '1' ? { apiKey, baseUrl, allowedHttpRequestDomains: 'all' } : { apiKey, baseUrl };
}

/** The type name a node of this package has when installed from its tarball. */
export function nodeType(name: string): string {
	return `${PACKAGE}.${name}`;
}
