// Queue mode (Redis + Bull, PostgreSQL, main + webhook processor + workers) for n8n 2.x.
export {
	startQueueCluster,
	type QueueCluster,
	type QueueClusterOptions,
	type QueueProcessInfo,
	type QueueRole,
} from './cluster';
export { ensureServiceBinaries, redisVersion, type ServiceBinaries } from './system';
export { postgresVersion, type PostgresService, type ServiceProcess } from './services';
