// Faults injected into n8n's own database, for tests of what the package does when n8n itself
// fails: a trigger on n8n's executions table makes every attempt to create an execution fail,
// while everything else (workflows, static data, reads, updates of existing executions) works.
import type { TargetDatabase } from './database';
import type { Target } from './target';

/** What n8n's error names when it could not create an execution (also found in its log). */
export const FAULT_MESSAGE = 'modelslab fault injected: no new executions';
const TRIGGER = 'modelslab_fault_no_new_executions';
const FUNCTION = 'modelslab_fault_refuse_insert';

function installSql(kind: TargetDatabase['kind']): string {
	return kind === 'sqlite'
		? `CREATE TRIGGER ${TRIGGER} BEFORE INSERT ON execution_entity
			BEGIN SELECT RAISE(ABORT, '${FAULT_MESSAGE}'); END;`
		: `CREATE OR REPLACE FUNCTION ${FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN RAISE EXCEPTION '${FAULT_MESSAGE}'; END $$;
			CREATE TRIGGER ${TRIGGER} BEFORE INSERT ON execution_entity
				FOR EACH ROW EXECUTE FUNCTION ${FUNCTION}();`;
}

function dropSql(kind: TargetDatabase['kind']): string {
	return kind === 'sqlite'
		? `DROP TRIGGER IF EXISTS ${TRIGGER};`
		: `DROP TRIGGER IF EXISTS ${TRIGGER} ON execution_entity; DROP FUNCTION IF EXISTS ${FUNCTION}();`;
}

/** Whether the fault is in the database (n8n 2.41 honours it at once, WAL-mode SQLite too). */
export async function executionStartsFail(t: Target): Promise<boolean> {
	const rows =
		t.db.kind === 'sqlite'
			? await t.db.rows(
					`select name from sqlite_master where type = 'trigger' and name = '${TRIGGER}'`,
				)
			: await t.db.rows(`select tgname from pg_trigger where tgname = '${TRIGGER}'`);
	return rows.length > 0;
}

/** Removes every fault this module installs; harmless when there is none. */
export async function removeFaults(t: Target): Promise<void> {
	await t.db.exec(dropSql(t.db.kind));
}

/**
 * Makes every INSERT into n8n's `execution_entity` fail, in single-process (SQLite) and queue
 * (PostgreSQL) mode alike, until the returned function removes the fault again. Calling that
 * twice is harmless; a fault left from an aborted run is replaced.
 */
export async function failExecutionStarts(t: Target): Promise<() => Promise<void>> {
	await removeFaults(t);
	await t.db.exec(installSql(t.db.kind));
	if (!(await executionStartsFail(t)))
		throw new Error(`failExecutionStarts: the trigger is not in ${t.db.location}`);
	return () => removeFaults(t);
}
