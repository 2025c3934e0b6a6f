/**
 * `npm run scan` (after `npm run build`): n8n's gates for community packages on this checkout.
 *  1. `n8n-node lint` in strict mode on the shipped sources (scripts/scan/n8nNodeLint.ts);
 *  2. @n8n/scan-community-package's lint of the source and of the packed tarball.
 * Its provenance check needs the package published from GitHub Actions (.github/workflows/publish.yml).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { n8nNodeLint } from './n8nNodeLint';
import { packAndExtract } from './packTarball';
import { scannerLint } from './scannerLint';

const root = resolve(__dirname, '..', '..');

async function main(): Promise<boolean> {
	const work = mkdtempSync(join(tmpdir(), 'modelslab-scan-'));
	try {
		const lintCopy = join(work, 'shipped');
		const lint = n8nNodeLint(root, lintCopy);
		report('n8n-node lint (strict) on the shipped sources', lint.passed, lint.output);

		const { tarball, packageDir } = packAndExtract(root, work);
		const scan = await scannerLint(root, packageDir);
		report(
			'scanner lint: source (package.json, nodes/, credentials/)',
			scan.source.passed,
			scan.source.details ?? scan.source.message,
		);
		report(
			`scanner lint: tarball ${tarball.split('/').pop()} (*.js, package.json)`,
			scan.tarball.passed,
			scan.tarball.details ?? scan.tarball.message,
		);
		return lint.passed && scan.source.passed && scan.tarball.passed;
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

function report(step: string, passed: boolean, details?: string): void {
	console.log(`${passed ? 'PASS' : 'FAIL'}  ${step}`);
	if (!passed && details) console.log(details);
}

main().then(
	(passed) => process.exit(passed ? 0 : 1),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
