/**
 * Runs the ModelsLab simulator in the foreground for demos and the end-to-end suite:
 *   npx tsx test/simulator/cli.ts --port 4010 [--api-key K] [--callback-delay-ms 300]
 *     [--training-step-delay-ms 150] [--public-base-url http://host.docker.internal:4010]
 *     [--queue-limit 5] [--queue-retry-after-seconds 30] [--seed 1] [--quiet]
 * Prints the base URL and key, logs one line per request and callback, stops on SIGINT/SIGTERM.
 */
import { startSimulator, type SimulatorOptions } from './index';

const USAGE =
	'usage: tsx test/simulator/cli.ts [--port N] [--api-key KEY] [--callback-delay-ms MS] ' +
	'[--training-step-delay-ms MS] [--public-base-url URL] [--queue-limit N] ' +
	'[--queue-retry-after-seconds S] [--seed N] [--quiet]';

interface CliOptions extends SimulatorOptions {
	quiet: boolean;
}

function numberArgument(name: string, value: string | undefined): number {
	const parsed = Number(value);
	if (value === undefined || !Number.isInteger(parsed) || parsed < 0)
		throw new Error(`${name} needs a non-negative integer\n${USAGE}`);
	return parsed;
}

function stringArgument(name: string, value: string | undefined): string {
	if (value === undefined || value.startsWith('--'))
		throw new Error(`${name} needs a value\n${USAGE}`);
	return value;
}

function parseArguments(argv: readonly string[]): CliOptions {
	const options: CliOptions = { quiet: false };
	for (let i = 0; i < argv.length; i++) {
		const name = argv[i];
		switch (name) {
			case '--port':
				options.port = numberArgument(name, argv[++i]);
				break;
			case '--api-key':
				options.apiKey = stringArgument(name, argv[++i]);
				break;
			case '--callback-delay-ms':
				options.callbackDelayMs = numberArgument(name, argv[++i]);
				break;
			case '--training-step-delay-ms':
				options.trainingStepDelayMs = numberArgument(name, argv[++i]);
				break;
			case '--public-base-url':
				options.publicBaseUrl = stringArgument(name, argv[++i]);
				break;
			case '--queue-limit':
				options.queueLimit = numberArgument(name, argv[++i]);
				break;
			case '--queue-retry-after-seconds':
				options.queueRetryAfterSeconds = numberArgument(name, argv[++i]);
				break;
			case '--seed':
				options.seed = numberArgument(name, argv[++i]);
				break;
			case '--quiet':
				options.quiet = true;
				break;
			case '--help':
			case '-h':
				process.stdout.write(`${USAGE}\n`);
				process.exit(0);
				break;
			default:
				throw new Error(`unknown argument ${name}\n${USAGE}`);
		}
	}
	return options;
}

async function main(): Promise<void> {
	const { quiet, ...options } = parseArguments(process.argv.slice(2));
	const simulator = await startSimulator({
		...options,
		logger: quiet
			? undefined
			: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
	});
	process.stdout.write(
		[
			'ModelsLab simulator (offline; never calls modelslab.com)',
			`  Base URL: ${simulator.baseUrl}`,
			`  API key:  ${simulator.apiKey}`,
			'  Prompt markers: [sim:fail] [sim:drop] [sim:dup] [sim:slow]',
			'',
		].join('\n'),
	);

	let stopping = false;
	const shutdown = (signal: string): void => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`${signal}: stopping simulator\n`);
		simulator.stop().then(
			() => {
				process.exitCode = 0;
			},
			(error: unknown) => {
				process.stderr.write(`error while stopping: ${String(error)}\n`);
				process.exitCode = 1;
			},
		);
	};
	process.once('SIGINT', () => shutdown('SIGINT'));
	process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exitCode = 1;
});
