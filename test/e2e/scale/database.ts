// Raw access to the database a target's n8n runs on: SQLite in single-process mode, PostgreSQL in
// queue mode. For what n8n's API cannot do or does not show (fault injection, rows it hides).
import { execFile } from 'node:child_process';
import type { PostgresService } from '../../../scripts/n8n/queue/services';

export type Row = Record<string, unknown>;

export interface TargetDatabase {
	readonly kind: 'sqlite' | 'postgres';
	/** The file, or host:port/database, for figures and messages. */
	readonly location: string;
	/** Runs one or more statements that return no rows (DDL, DML). */
	exec(sql: string): Promise<void>;
	/** The rows of one SELECT, keyed by column name (quote n8n's camelCase columns: "workflowId"). */
	rows(sql: string): Promise<Row[]>;
}

/**
 * The test process runs Node 20, which has no SQLite client; n8n's own runtime (Node 24) has
 * `node:sqlite`. Each call is a short child process on the same file n8n has open (WAL mode
 * lets it read next to n8n; a write waits up to 15 s for n8n's lock).
 */
const SQLITE_SCRIPT = `
const { DatabaseSync } = require('node:sqlite');
const [file, mode, sql] = process.argv.slice(1);
const db = new DatabaseSync(file, { timeout: 15000 });
try {
	if (mode === 'exec') { db.exec(sql); process.stdout.write('[]'); }
	else process.stdout.write(JSON.stringify(db.prepare(sql).all()));
} finally { db.close(); }
`;

export function sqliteDatabase(file: string, node24Binary: string): TargetDatabase {
	const run = (mode: 'exec' | 'rows', sql: string) =>
		new Promise<Row[]>((resolve, reject) => {
			execFile(
				node24Binary,
				['--no-warnings', '-e', SQLITE_SCRIPT, file, mode, sql],
				// Nothing from jest's environment (NODE_OPTIONS and the like) reaches the child.
				{ env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, timeout: 60_000 },
				(error, stdout, stderr) => {
					if (error)
						reject(new Error(`sqlite ${file}: ${stderr.trim() || error.message}\nSQL: ${sql}`));
					else resolve(JSON.parse(stdout) as Row[]);
				},
			);
		});
	return {
		kind: 'sqlite',
		location: file,
		exec: async (sql) => {
			await run('exec', sql);
		},
		rows: (sql) => run('rows', sql),
	};
}

export function postgresDatabase(
	pg: Pick<PostgresService, 'query' | 'port' | 'database'>,
): TargetDatabase {
	return {
		kind: 'postgres',
		location: `127.0.0.1:${pg.port}/${pg.database}`,
		exec: async (sql) => {
			pg.query(sql);
		},
		rows: async (sql) =>
			JSON.parse(pg.query(`select coalesce(json_agg(t), '[]'::json) from (${sql}) t`)) as Row[],
	};
}
