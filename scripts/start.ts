/**
 * `npm start`: the package's main job on a fresh machine. Builds and packs the package, starts a
 * local n8n (installed once into a cache outside the repo) with the package installed the way the
 * Community Nodes screen does, creates a ModelsLab credential, imports the example workflows and
 * prints the editor URL and login. Without MODELSLAB_API_KEY the credential points at the repo's
 * ModelsLab simulator, so jobs park and resume with no account and no internet.
 *
 * Options (environment): MODELSLAB_API_KEY, MODELSLAB_BASE_URL, N8N_LINE (1 or 2, default 2),
 * WEBHOOK_URL (public URL of this n8n, needed for real ModelsLab callbacks), MODELSLAB_SIM_PORT.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { cacheRoot, isLine, startN8n, type RunningN8n } from './n8n';
import { startSimulator, type Simulator } from '../test/simulator';
import { importExamples } from './demo/importExamples';

const root = resolve(__dirname, '..');

interface DemoState {
	credentialId?: string;
	credentialFor?: string;
	importedExamples?: boolean;
}

function run(command: string, args: string[]): string {
	return execFileSync(command, args, {
		cwd: root,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
}

function packPackage(destination: string): string {
	console.log('building and packing n8n-nodes-modelslab ...');
	run('npm', ['run', 'build', '--silent']);
	const [{ filename }] = JSON.parse(
		run('npm', ['pack', '--json', '--pack-destination', destination]),
	) as Array<{ filename: string }>;
	return join(destination, filename);
}

async function main(): Promise<void> {
	const line = process.env.N8N_LINE ?? '2';
	if (!isLine(line)) throw new Error(`N8N_LINE must be 1 or 2, not "${line}"`);
	const home = join(cacheRoot(), `demo-${line}`);
	mkdirSync(home, { recursive: true });
	const statePath = join(home, 'modelslab-demo.json');
	const state = (
		existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : {}
	) as DemoState;
	const tarball = packPackage(home);

	const realKey = process.env.MODELSLAB_API_KEY;
	let simulator: Simulator | undefined;
	if (!realKey) {
		// A fixed port keeps the saved credential valid from one `npm start` to the next.
		simulator = await startSimulator({
			port: Number(process.env.MODELSLAB_SIM_PORT ?? 4010),
			callbackDelayMs: 4000,
			trainingStepDelayMs: 1500,
		});
		// An ETA longer than the node's check before parking, so the demo shows a real park and resume.
		simulator.setDefaultBehaviour({ eta: 30 });
	}
	const credentialData: Record<string, string> = realKey
		? { apiKey: realKey, baseUrl: process.env.MODELSLAB_BASE_URL ?? 'https://modelslab.com/api' }
		: { apiKey: (simulator as Simulator).apiKey, baseUrl: (simulator as Simulator).baseUrl };
	// n8n 1.123 adds "Allowed HTTP Request Domains" to credentials with `authenticate`, and its
	// public API rejects a credential without it.
	if (line === '1') credentialData.allowedHttpRequestDomains = 'all';

	console.log(
		`starting n8n (line ${line}); the first start installs it into ${cacheRoot()} and takes a few minutes ...`,
	);
	const n8n: RunningN8n = await startN8n({
		line,
		userFolder: home,
		tarballs: [tarball],
		webhookUrl: process.env.WEBHOOK_URL,
		onProgress: (message) => console.log(`  ${message}`),
	});

	const credentialFor = `${credentialData.baseUrl}#${realKey ? 'real' : 'simulator'}`;
	if (!state.credentialId || state.credentialFor !== credentialFor) {
		const name = realKey ? 'ModelsLab account' : 'ModelsLab (local simulator)';
		const credential = await n8n.api.createCredential({
			name,
			type: 'modelsLabApi',
			data: credentialData,
		});
		state.credentialId = credential.id;
		state.credentialFor = credentialFor;
		state.importedExamples = false;
	}
	if (!state.importedExamples) {
		// With the simulator, the examples that start from a downloaded file download its samples.
		const imported = await importExamples(
			n8n.api,
			join(root, 'examples'),
			{
				id: String(state.credentialId),
				name: realKey ? 'ModelsLab account' : 'ModelsLab (local simulator)',
			},
			{ sampleFilesOrigin: simulator?.origin },
		);
		console.log(`imported ${imported.length} example workflows`);
		state.importedExamples = true;
	}
	writeFileSync(statePath, JSON.stringify(state, null, 2));

	console.log(
		[
			'',
			`n8n ${n8n.version} is running with n8n-nodes-modelslab:`,
			`  editor     ${n8n.baseUrl}/`,
			`  login      ${n8n.owner.email} / ${n8n.owner.password}`,
			realKey
				? `  ModelsLab  ${credentialData.baseUrl} (your API key)`
				: `  ModelsLab  simulator at ${credentialData.baseUrl} (no account, nothing leaves this machine)`,
			`  webhooks   ${process.env.WEBHOOK_URL ?? `${n8n.baseUrl}/ (set WEBHOOK_URL to a public URL so real ModelsLab can call back)`}`,
			`  data       ${home}`,
			'Open an example workflow ("ModelsLab example: ...") and click "Execute workflow". Ctrl-C stops everything.',
		].join('\n'),
	);

	let stopping = false;
	const stop = async (): Promise<void> => {
		if (stopping) return;
		stopping = true;
		console.log('stopping ...');
		await n8n.stop();
		await simulator?.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
	n8n.onExit((code) => {
		if (stopping) return;
		console.error(`n8n exited unexpectedly (${String(code)}); last log lines:\n${n8n.logs(50)}`);
		void simulator?.stop().finally(() => process.exit(1));
	});
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
