import { forgetProcessMemory } from '../../nodes/shared/completion/processMemory';

// Waiting runs keep background work (reads, wake-ups) in memory; a finished test file holds none.
afterAll(() => forgetProcessMemory());
