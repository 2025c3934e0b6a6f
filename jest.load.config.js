/** @type {import('jest').Config} */
// Load and fault tests against real n8n (`npm run test:load`): never part of `npm test` or
// `npm run test:e2e`. MODELSLAB_LOAD_TARGET=queue (default) or single picks the n8n they run on.
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e/load'],
	testMatch: ['**/*.load.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	maxWorkers: 1,
	testTimeout: 30 * 60 * 1000,
	verbose: true,
};
