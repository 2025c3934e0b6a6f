// CLI: `npx tsx scripts/n8n/queue/cli.ts [--tarball <tgz>] [--workers N]`: starts a queue-mode
// cluster, prints its URLs, and stops everything on Ctrl-C (SIGINT/SIGTERM).
import { startQueueCluster } from './cluster';

function flag(name: string): string | undefined {
	const i = process.argv.indexOf(name);
	return i > 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
	const workers = flag('--workers');
	const cluster = await startQueueCluster({
		tarball: flag('--tarball'),
		workers: workers ? Number(workers) : undefined,
	});
	console.log(
		JSON.stringify(
			{
				version: cluster.version,
				main: cluster.baseUrl,
				webhook: cluster.webhookUrl,
				apiKey: cluster.apiKey,
				owner: cluster.owner,
				baseDir: cluster.baseDir,
				processes: cluster.processes(),
			},
			null,
			2,
		),
	);
	let stopping = false;
	const stop = () => {
		if (stopping) return;
		stopping = true;
		void cluster.stop().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
	console.error(e instanceof Error ? e.message : e);
	process.exit(1);
});
