/** @type {import('jest').Config} */
// The browser test: `npm run test:browser` (needs Debian's chromium, or CHROMIUM_PATH). Starts a real
// n8n 2.x (installed into ~/.cache/n8n-nodes-modelslab on first use) and drives its editor.
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/browser'],
	testMatch: ['**/*.browser.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	maxWorkers: 1,
	testTimeout: 5 * 60 * 1000,
	verbose: true,
};
