/** @type {import('jest').Config} */
// Fault tests against real n8n (`npm run test:faults`, `npm run test:faults:queue`): n8n killed or
// stopped while ModelsLab runs wait. Never part of `npm test` or `npm run test:e2e` (each scenario
// keeps n8n down and waits for its timed resumes: minutes per test). Serial, one n8n at a time.
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e/faults'],
	testMatch: ['**/*.faults.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	maxWorkers: 1,
	testTimeout: 20 * 60 * 1000,
	verbose: true,
};
