// Types for the parts of n8n's scanner (@n8n/scan-community-package, plain .mjs) that scripts/scan uses.
declare module '@n8n/scan-community-package/scanner/scanner.mjs' {
	export interface AnalysisResult {
		passed: boolean;
		message?: string;
		/** ESLint's "stylish" report when `passed` is false. */
		details?: string;
	}
	/** The source leg's globs: package.json and {nodes,credentials}/**\/*.{js,ts,json}. */
	export const SOURCE_FILE_PATTERNS: string[];
	export function analyzePackage(
		packageDir: string,
		filePatterns?: string[],
	): Promise<AnalysisResult>;
}
