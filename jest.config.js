/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		// Type checking happens once in `npm run lint` (tsc --noEmit); jest only transpiles.
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', isolatedModules: true }],
	},
	testTimeout: 30000,
	// In-process n8n-core writes its instance settings here, never into the user's ~/.n8n.
	setupFiles: ['<rootDir>/test/support/jest.setup.ts'],
};
