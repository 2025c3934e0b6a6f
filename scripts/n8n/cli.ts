// CLI: `npx tsx scripts/n8n/cli.ts install [1|2|all]` | `start [--line 1|2] [--custom <dir>] [--tarball <tgz>] [--user-folder <dir>]`.
import { resolve } from 'node:path';
import { ensureN8n, isLine, N8N_LINES, startN8n, type N8nLine } from './index';
import { fmtMs } from './steps';

function usage(): never {
	console.error(
		'usage: npx tsx scripts/n8n/cli.ts install [1|2|all]\n' +
			'       npx tsx scripts/n8n/cli.ts start [--line 1|2] [--custom <dir>] [--tarball <tgz>] [--user-folder <dir>] [--webhook-url <url>]',
	);
	process.exit(2);
}

async function install(which = 'all'): Promise<void> {
	const lines: readonly N8nLine[] = which === 'all' ? N8N_LINES : isLine(which) ? [which] : usage();
	// One line at a time: two parallel npm installs starve this 2-core machine.
	for (const line of lines) {
		const t0 = Date.now();
		const r = await ensureN8n(line);
		console.log(`n8n ${r.version} (line ${line}) ready in ${fmtMs(Date.now() - t0)}: ${r.prefix}`);
	}
}

function flag(args: string[], name: string): string | undefined {
	const i = args.indexOf(name);
	if (i < 0) return undefined;
	const v = args[i + 1];
	if (!v || v.startsWith('--')) usage();
	return v;
}

async function start(args: string[]): Promise<void> {
	const lineArg = flag(args, '--line') ?? '2';
	if (!isLine(lineArg)) usage();
	const custom = flag(args, '--custom');
	const tarball = flag(args, '--tarball');
	const userFolder = flag(args, '--user-folder');
	const t0 = Date.now();
	const n8n = await startN8n({
		line: lineArg,
		customExtensions: custom ? [resolve(custom)] : undefined,
		tarballs: tarball ? [resolve(tarball)] : undefined,
		userFolder: userFolder ? resolve(userFolder) : undefined,
		webhookUrl: flag(args, '--webhook-url'),
	});
	console.log(
		[
			`n8n ${n8n.version} (line ${n8n.line}) started in ${fmtMs(Date.now() - t0)}`,
			`  editor:      ${n8n.baseUrl}/`,
			`  email:       ${n8n.owner.email}`,
			`  password:    ${n8n.owner.password}`,
			`  API key:     ${n8n.apiKey}`,
			`  user folder: ${n8n.userFolder}${userFolder ? '' : ' (temporary, removed on stop; --user-folder keeps one)'}`,
			`  log:         ${n8n.logFile}`,
			'Ctrl-C stops.',
		].join('\n'),
	);
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		console.log('stopping n8n...');
		await n8n.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
	n8n.onExit((code) => {
		if (stopping) return;
		console.error(`n8n exited unexpectedly (${code}); last log lines:\n${n8n.logs(50)}`);
		process.exit(1);
	});
}

async function main(): Promise<void> {
	const [cmd, ...args] = process.argv.slice(2);
	if (cmd === 'install') return install(args[0]);
	if (cmd === 'start') return start(args);
	usage();
}

main().catch((e: unknown) => {
	console.error(e instanceof Error ? e.message : e);
	process.exit(1);
});
