/**
 * Generation jobs (images, video, voice, 3D, image editing, face swap, v7 provider models):
 * submit, lifecycle, callbacks and the fetch endpoints (§4, §5).
 */
import { drawDelay } from './behaviour';
import type { SimContext } from './context';
import { echoedTrackId, queueCallback, queueFinalCallback } from './delivery';
import { fetchPath, type OutputFileType, type OutputRule } from './endpoints';
import { transcriptText } from './files';
import { admitSubmit, checkBodyKey, withoutKey, type IncomingCall } from './gate';
import { outputFiles, type JobRecord } from './jobs';
import { apiError, json, type Reply } from './replies';
import type { FetchFamily, JsonObject } from './types';
import { isMissing } from './validation';

/** What a generation submit needs to know of its endpoint; v6 rules and v7 operations give it. */
export interface GenerationEndpoint {
	/** Path under `/api`. */
	path: string;
	family: FetchFamily;
	output: OutputRule;
	/** The body's first problem, worded as the API would, or undefined. */
	validate(body: JsonObject): string | undefined;
}

const PROCESSING_TIP =
	'Your request is processing in the background. Fetch it from fetch_result or wait for the webhook.';
const MAX_SAMPLES = 4;

function outputType(rule: OutputRule, body: JsonObject): OutputFileType {
	const chosen = rule.chosenBy && body[rule.chosenBy.field];
	return (rule.chosenBy && typeof chosen === 'string' && rule.chosenBy.types[chosen]) || rule.type;
}

function outputCount(rule: OutputRule, body: JsonObject): number {
	const requested = rule.countField ? Number(body[rule.countField]) : 1;
	return Number.isInteger(requested) ? Math.min(Math.max(requested, 1), MAX_SAMPLES) : 1;
}

/** The parameters echoed back: the request without its key, with webhook and track_id always present. */
function metaOf(job: JobRecord): JsonObject {
	return { ...job.request, webhook: job.webhook ?? null, track_id: job.trackId ?? null };
}

function seconds(ms: number): number {
	return Math.round(ms / 10) / 100;
}

function fetchUrl(ctx: SimContext, job: JobRecord): string {
	return `${ctx.origin}${fetchPath(job.family ?? 'images')}/${job.id}`;
}

const isV7 = (job: JobRecord): boolean => job.family?.startsWith('v7/') ?? false;

/** Speech to text also answers with its transcript as `text`, besides the .txt in `output`. */
function transcriptFields(job: JobRecord): JsonObject {
	const [first] = job.files;
	return first?.type === 'txt' ? { text: transcriptText(first.seed) } : {};
}

function failureMessage(job: JobRecord): string {
	return `Processing failed: ${job.behaviour.errorMessage ?? 'simulated failure'}`;
}

function finalCallbackBody(job: JobRecord): JsonObject {
	const id = Number(job.id);
	if (job.status === 'failed')
		return {
			status: 'failed',
			id,
			message: job.error ?? failureMessage(job),
			track_id: echoedTrackId(job),
		};
	return {
		status: 'success',
		id,
		output: [...job.output],
		...transcriptFields(job),
		generationTime: seconds((job.finishedAt ?? Date.now()) - job.createdAt),
		track_id: echoedTrackId(job),
		meta: metaOf(job),
	};
}

/** Moves a processing job to its final state and queues its callbacks; resolves once they are delivered. */
export function finishGeneration(
	ctx: SimContext,
	job: JobRecord,
	outcome: 'success' | 'failed',
): Promise<void> {
	if (job.status !== 'processing') return job.callbackChain;
	ctx.timers.cancel(job.timer);
	job.timer = undefined;
	job.status = outcome;
	job.finishedAt = Date.now();
	if (outcome === 'failed') job.error = failureMessage(job);
	ctx.log(`job ${job.id} ${outcome}`);
	if (!job.webhook) return job.callbackChain;
	return queueFinalCallback(ctx, job, job.webhook, finalCallbackBody(job), 'final');
}

function scheduleGeneration(ctx: SimContext, job: JobRecord): void {
	const { behaviour } = job;
	if (behaviour.interimCallback && job.webhook && !behaviour.dropCallback) {
		const interim: JsonObject = {
			status: 'processing',
			id: Number(job.id),
			message: 'Request is processing.',
			eta: job.eta,
			track_id: echoedTrackId(job),
		};
		const webhook = job.webhook;
		ctx.timers.after(0, () => {
			void queueCallback(ctx, job, webhook, interim, 'interim');
		});
	}
	if (behaviour.hold && !behaviour.instant) return;
	const outcome = behaviour.outcome ?? 'success';
	// Instant jobs are already finished; their callback still goes out, just after the reply.
	job.timer = ctx.timers.after(behaviour.instant ? 0 : job.delayMs, async () => {
		job.timer = undefined;
		if (job.status === 'processing') await finishGeneration(ctx, job, outcome);
		else if (job.webhook)
			await queueFinalCallback(ctx, job, job.webhook, finalCallbackBody(job), 'final');
	});
}

export function submitGeneration(
	ctx: SimContext,
	endpoint: GenerationEndpoint,
	call: IncomingCall,
): Reply {
	const keyProblem = checkBodyKey(ctx, call);
	if (keyProblem || !call.body)
		return keyProblem ?? apiError('Invalid API key', { httpStatus: 401 });
	const body = call.body;
	const admission = admitSubmit(ctx, body, {
		problem: endpoint.validate(body),
		errorField: 'message',
		validationStatus: 200,
		takesQueuePlace: true,
	});
	if ('reply' in admission) return admission.reply;

	const { behaviour } = admission;
	const numericId = ctx.jobs.allocateNumericId();
	const id = String(numericId);
	const output = endpoint.output;
	const { files, urls } = outputFiles(
		ctx.origin,
		id,
		outputType(output, body),
		outputCount(output, body),
	);
	const delayMs = drawDelay(ctx.random, behaviour.delayMs, ctx.callbackDelayMs);
	const now = Date.now();
	const job: JobRecord = {
		id,
		kind: 'generation',
		endpoint: endpoint.path,
		family: endpoint.family,
		status: 'processing',
		request: withoutKey(body),
		webhook: typeof body.webhook === 'string' ? body.webhook : undefined,
		trackId: body.track_id ?? undefined,
		behaviour,
		output: urls,
		files,
		delayMs,
		eta: behaviour.eta ?? seconds(delayMs),
		createdAt: now,
		callbackChain: Promise.resolve(),
	};
	// An instant job is final before it is stored, so it never takes a place in the queue.
	if (behaviour.instant) {
		job.status = behaviour.outcome ?? 'success';
		job.finishedAt = now;
		if (job.status === 'failed') job.error = failureMessage(job);
	}
	ctx.jobs.add(job);
	scheduleGeneration(ctx, job);

	if (job.status === 'failed')
		return json(200, {
			status: 'failed',
			id: numericId,
			message: job.error ?? failureMessage(job),
			output: [],
		});
	if (job.status === 'success') {
		return json(200, {
			status: 'success',
			generationTime: 0,
			id: numericId,
			output: [...urls],
			proxy_links: [...urls],
			...transcriptFields(job),
			meta: metaOf(job),
			nsfw_content_detected: false,
		});
	}
	return json(200, {
		status: 'processing',
		tip: PROCESSING_TIP,
		eta: job.eta,
		message: 'Try to fetch request after seconds estimated',
		webhook_status: '',
		fetch_result: fetchUrl(ctx, job),
		id: numericId,
		output: [],
		meta: metaOf(job),
		future_links: [...urls],
	});
}

/** Final, but the fetch endpoint does not show it yet (`fetchLagMs`). */
function fetchLags(job: JobRecord): boolean {
	const lag = job.behaviour.fetchLagMs ?? 0;
	return lag > 0 && job.finishedAt !== undefined && Date.now() < job.finishedAt + lag;
}

function fetchReply(
	ctx: SimContext,
	job: JobRecord | undefined,
	family: FetchFamily,
	requestedId: string,
): Reply {
	if (!job || job.kind !== 'generation' || job.family !== family)
		return apiError(`Request not found: ${requestedId}`);
	const id = Number(job.id);
	switch (fetchLags(job) ? 'processing' : job.status) {
		case 'processing':
			// v7 answers like its submit, with `output: []` and an eta (third-party samples).
			if (isV7(job))
				return json(200, {
					status: 'processing',
					id,
					message: 'Request is processing.',
					eta: job.eta,
					output: [],
					fetch_result: fetchUrl(ctx, job),
					future_links: [...job.output],
				});
			// v6: `output` is an empty string here, not an array (§4).
			return json(200, {
				status: 'processing',
				message: 'try again later.',
				output: '',
				tip: PROCESSING_TIP,
			});
		case 'success':
			return json(200, {
				status: 'success',
				id,
				output: [...job.output],
				proxy_links: [...job.output],
				...transcriptFields(job),
			});
		case 'failed':
			return json(200, { status: 'failed', id, message: job.error ?? failureMessage(job) });
	}
}

/** `POST /api/v6/<family>/fetch/{id}` or `/api/v7/<family>/fetch/{id}` with `{key}`. */
export function fetchGeneration(
	ctx: SimContext,
	family: FetchFamily,
	id: string,
	call: IncomingCall,
): Reply {
	return checkBodyKey(ctx, call) ?? fetchReply(ctx, ctx.jobs.get(id), family, id);
}

/** `POST /api/v6/images/fetch` with `{key, request_id}`. */
export function fetchImageByRequestId(ctx: SimContext, call: IncomingCall): Reply {
	const keyProblem = checkBodyKey(ctx, call);
	if (keyProblem) return keyProblem;
	const requestId = call.body?.request_id;
	if (isMissing(requestId)) return apiError('request_id is required');
	if (typeof requestId !== 'string' && typeof requestId !== 'number')
		return apiError('request_id must be a string or an integer');
	return fetchReply(ctx, ctx.jobs.get(String(requestId)), 'images', String(requestId));
}
