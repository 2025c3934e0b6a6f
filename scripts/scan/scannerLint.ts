import { createRequire } from 'node:module';

import type { AnalysisResult } from '@n8n/scan-community-package/scanner/scanner.mjs';

/**
 * The lint legs of `npx @n8n/scan-community-package <name>`, run with the scanner's own code and
 * config. The real scan first needs the package on npm with provenance and then downloads the
 * attested GitHub commit; here the "source" is this checkout and the "tarball" is `npm pack`.
 */
export async function scannerLint(
	sourceDir: string,
	packageDir: string,
): Promise<{ source: AnalysisResult; tarball: AnalysisResult }> {
	// The scanner makes a temp dir when it is imported; let its own `tmp` remove it on exit.
	const scannerRequire = createRequire(require.resolve('@n8n/scan-community-package/package.json'));
	(scannerRequire('tmp') as { setGracefulCleanup(): void }).setGracefulCleanup();
	const scanner = await import('@n8n/scan-community-package/scanner/scanner.mjs');
	return {
		// Same patterns as scanner.mjs analyzePackageByName: the attested source, then the artifact.
		source: await scanner.analyzePackage(sourceDir, scanner.SOURCE_FILE_PATTERNS),
		tarball: await scanner.analyzePackage(packageDir, ['**/*.js', 'package.json']),
	};
}
