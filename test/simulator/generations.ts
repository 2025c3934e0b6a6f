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
import { apiError, gatewayPage, json, type Reply } from './replies';
import type { FaceSwapFamily, FetchFamily, JsonObject, JsonValue } from './types';
import { isMissing } from './validation';

/** What a generation submit needs to know of its endpoint; v6 rules and v7 operations give it. */
export interface GenerationEndpoint {
	/** Path under `/api`. */
	path: string;
	family: FetchFamily;
	/** Face swap: the path family the submit came in under, which its `fetch_result` names. */
	pathFamily?: FaceSwapFamily;
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
	return `${ctx.origin}${job.fetchResultAt ?? fetchPath(job.family ?? 'images')}/${job.id}`;
}

/**
 * Where a job is read and what its `fetch_result` names: its family's fetch path; face-swap jobs
 * under both path families (the one they came in under is named); a planned `fetchResultPath`
 * alone.
 */
function fetchPlaces(
	endpoint: GenerationEndpoint,
	behaviour: JobRecord['behaviour'],
): { fetchResultAt: string; readableAt: string[] } {
	if (behaviour.fetchResultPath) {
		const at = `/api${behaviour.fetchResultPath}`;
		return { fetchResultAt: at, readableAt: [at] };
	}
	if (endpoint.family === 'faceswap')
		return {
			fetchResultAt: `/api/v6/${endpoint.pathFamily ?? 'faceswap'}/fetch`,
			readableAt: ['/api/v6/faceswap/fetch', '/api/v6/deepfake/fetch'],
		};
	const at = fetchPath(endpoint.family);
	return { fetchResultAt: at, readableAt: [at] };
}

/** `render: true` (or "yes") on a 3D job adds its render video as an extra asset (§6). */
function wantsRender(body: JsonObject): boolean {
	return body.render === true || body.render === 'yes' || body.render === 'true';
}

/** The files of a finished job as the success answers name them (`emptyOutput` moves them). */
function successFiles(job: JobRecord): JsonObject {
	const urls = [...job.output];
	const extra: JsonObject =
		job.extraAssets === undefined || job.behaviour.extraAssetsOnlyWhileProcessing
			? {}
			: { extra_assets: [...job.extraAssets] };
	switch (job.behaviour.emptyOutput) {
		case 'futureLinks':
			return { output: [], future_links: urls, proxy_links: [], ...extra };
		case 'proxyLinks':
			return { output: [], proxy_links: urls, ...extra };
		default:
			return { output: urls, proxy_links: urls, ...extra };
	}
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
	// The documented callback names its files in `output` only (§5), unless `emptyOutput` moves them.
	const files = successFiles(job);
	if (job.behaviour.emptyOutput !== 'proxyLinks') delete files.proxy_links;
	return {
		status: 'success',
		id,
		...files,
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
	let extraAssets: string[] | undefined;
	if (endpoint.family === '3d') {
		const render = wantsRender(body)
			? outputFiles(ctx.origin, id, 'mp4', files.length + 1)
			: undefined;
		const renderFile = render?.files[render.files.length - 1];
		if (renderFile) files.push(renderFile);
		extraAssets = renderFile ? [`${ctx.origin}/files/${renderFile.name}`] : [];
	}
	const job: JobRecord = {
		id,
		kind: 'generation',
		endpoint: endpoint.path,
		family: endpoint.family,
		...fetchPlaces(endpoint, behaviour),
		...(extraAssets ? { extraAssets } : {}),
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
	return withSubmitFault(behaviour, submitReply(ctx, job, numericId, urls));
}

/** A job was created; the wire may still lose its answer (a gateway page, a hang, a reset). */
function withSubmitFault(behaviour: JobRecord['behaviour'], reply: Reply): Reply {
	if (behaviour.gatewayError?.jobCreated) return gatewayPage(behaviour.gatewayError.status);
	if (behaviour.resetConnection) return { ...reply, resetConnection: true };
	if (behaviour.hangMs !== undefined) return { ...reply, holdMs: behaviour.hangMs };
	return reply;
}

function submitReply(ctx: SimContext, job: JobRecord, numericId: number, urls: string[]): Reply {
	const extra: JsonObject =
		job.extraAssets === undefined ? {} : { extra_assets: [...job.extraAssets] };
	if (job.status === 'failed')
		return json(200, {
			status: 'failed',
			id: numericId,
			message: job.error ?? failureMessage(job),
			output: [],
		});
	const id: JsonValue = job.behaviour.submitIdNull ? null : numericId;
	if (job.status === 'success') {
		return json(200, {
			status: 'success',
			generationTime: 0,
			id,
			...successFiles(job),
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
		id,
		output: [],
		meta: metaOf(job),
		future_links: [...urls],
		...extra,
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
	place: string,
	requestedId: string,
): Reply {
	if (!job || job.kind !== 'generation' || !job.readableAt?.includes(place))
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
				...successFiles(job),
				...transcriptFields(job),
			});
		case 'failed':
			return json(200, { status: 'failed', id, message: job.error ?? failureMessage(job) });
	}
}

/**
 * `POST <place>/{id}` with `{key}`: `place` is a fetch path without the id, e.g.
 * `/api/v6/images/fetch`, `/api/v7/voice/fetch`, or one a job's `fetch_result` names.
 */
export function fetchGeneration(
	ctx: SimContext,
	place: string,
	id: string,
	call: IncomingCall,
): Reply {
	return checkBodyKey(ctx, call) ?? fetchReply(ctx, ctx.jobs.get(id), place, id);
}

/** `POST /api/v6/images/fetch` with `{key, request_id}`. */
export function fetchImageByRequestId(ctx: SimContext, call: IncomingCall): Reply {
	const keyProblem = checkBodyKey(ctx, call);
	if (keyProblem) return keyProblem;
	const requestId = call.body?.request_id;
	if (isMissing(requestId)) return apiError('request_id is required');
	if (typeof requestId !== 'string' && typeof requestId !== 'number')
		return apiError('request_id must be a string or an integer');
	return fetchReply(ctx, ctx.jobs.get(String(requestId)), fetchPath('images'), String(requestId));
}
