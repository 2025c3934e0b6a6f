/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// Real-n8n tests run only through jest.e2e.config.js and jest.browser.config.js (they start n8n).
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/browser/'],
	transform: {
		// Type checking happens once in `npm run lint` (tsc --noEmit); jest only transpiles.
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	testTimeout: 30000,
	// Most suites wait on timers and loopback HTTP, not on the CPU: two at a time even on 2 cores.
	maxWorkers: 2,
	// In-process n8n-core writes its instance settings here, never into the user's ~/.n8n.
	setupFiles: ['<rootDir>/test/support/jest.setup.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/support/jest.afterEnv.ts'],
};
