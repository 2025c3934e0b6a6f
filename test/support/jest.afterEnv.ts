import { closeAllEngines } from '../../nodes/shared/completion/batchEngine';

// Waiting runs keep background work (checks, wake-ups) in memory; a finished test file holds none.
afterAll(() => closeAllEngines());
