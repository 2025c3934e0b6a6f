import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core's InstanceSettings writes an encryption-key file under N8N_USER_FOLDER on import.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'modelslab-n8n-home-'));
