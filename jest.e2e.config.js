/** @type {import('jest').Config} */
// Real n8n end-to-end tests: `npm run test:e2e` (N8N_LINES=1,2 by default). Installs n8n into
// ~/.cache/n8n-nodes-modelslab on first use (minutes), so timeouts are long and runs are serial.
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/test/e2e/**/*.e2e.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	maxWorkers: 1,
	testTimeout: 15 * 60 * 1000,
	verbose: true,
};
