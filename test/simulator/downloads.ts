/**
 * `GET /files/<id>-<n>.<ext>`: output files, served only once their job succeeded, so
 * `future_links` answer 404 until then.
 */
import type { SimContext } from './context';
import { buildOutputFile, CONTENT_TYPES } from './files';
import { apiError, type Reply } from './replies';

const FILE_NAME = /^(\d+)-(\d+)\.([a-z0-9]+)$/;

export function serveOutputFile(ctx: SimContext, name: string): Reply {
	const jobId = FILE_NAME.exec(name)?.[1];
	const job = jobId === undefined ? undefined : ctx.jobs.get(jobId);
	const file = job?.files.find((candidate) => candidate.name === name);
	if (!job || !file) return apiError(`File not found: ${name}`, { httpStatus: 404 });
	if (job.status !== 'success') return apiError(`File not ready yet: ${name}`, { httpStatus: 404 });
	return {
		status: 200,
		file: buildOutputFile(file.type, file.seed),
		contentType: CONTENT_TYPES[file.type],
	};
}
