// Environment for a headless, loopback-only n8n that never phones home.
import { LINES, type N8nLine } from './lines';
import { cleanEnv } from './steps';

export interface EnvInput {
	line: N8nLine;
	userFolder: string;
	port: number;
	brokerPort: number;
	webhookUrl: string;
	customExtensions?: string[];
	extra?: Record<string, string>;
}

// Inherited values that would redirect or reconfigure the child (e.g. jest's NODE_ENV=test,
// a developer's own N8N_* settings, npm config from `npx`).
const INHERITED_DROP =
	/^(N8N_|DB_|WEBHOOK_URL$|EXECUTIONS_|QUEUE_|NODE_ENV$|NODE_OPTIONS$|JEST_WORKER_ID$)/;

export function n8nEnv(i: EnvInput): NodeJS.ProcessEnv {
	const env = cleanEnv();
	for (const k of Object.keys(env)) if (INHERITED_DROP.test(k)) delete env[k];
	const set: Record<string, string> = {
		NODE_ENV: 'production',
		N8N_USER_FOLDER: i.userFolder,
		N8N_PORT: String(i.port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${i.port}/`,
		WEBHOOK_URL: i.webhookUrl,
		DB_TYPE: 'sqlite',
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_PORT: String(i.brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		// The loader's lines (which packages and nodes were loaded) are debug-level.
		N8N_LOG_LEVEL: 'debug',
		N8N_LOG_OUTPUT: 'console',
		// Egress off: telemetry, personalization, version checks, templates, banners.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
		N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		...LINES[i.line].env,
	};
	if (i.line === '2') set.N8N_WEBHOOK_URL = i.webhookUrl;
	if (i.customExtensions?.length) set.N8N_CUSTOM_EXTENSIONS = i.customExtensions.join(';');
	return { ...env, ...set, ...i.extra };
}
