/**
 * Method + path -> handler. Submit routes come from the endpoint table; everything else is listed here.
 */
import type { SimContext } from './context';
import { serveOutputFile } from './downloads';
import {
	ENDPOINT_RULES,
	FETCH_FAMILIES,
	fetchPath,
	UPLOAD_RULES,
	type EndpointRule,
} from './endpoints';
import { checkBodyKey, type IncomingCall } from './gate';
import {
	fetchGeneration,
	fetchImageByRequestId,
	submitGeneration,
	type GenerationEndpoint,
} from './generations';
import { META_ECHO_ROUTES } from './metaEcho';
import { legacyModelList, searchModels, servePreview, trainedModelList, voiceList } from './lists';
import { json, notFound, type Reply } from './replies';
import { serveSample } from './samples';
import { submitTraining, trainingStatus } from './training';
import type { FaceSwapFamily, FetchFamily } from './types';
import { receiveUpload, serveUpload } from './uploads';
import { V7_FAMILIES, V7_OPERATIONS, type V7Family, type V7Operation } from './v7endpoints';
import { validateSubmitBody, validateV7Body } from './validation';
import { listWorkflows, runWorkflow, workflowRunStatus, workflowSchema } from './workflows';

export interface Route {
	methods: readonly string[];
	pattern: RegExp;
	/** The `stats()` counter every request to this route adds one to, whatever the answer. */
	counts?: 'submits' | 'fetches' | 'uploads';
	/** `params` are the pattern's capture groups, URI-decoded. */
	handle: (ctx: SimContext, call: IncomingCall, params: readonly string[]) => Reply;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const exactPath = (path: string): RegExp => new RegExp(`^${escapeRegExp(path)}$`);

const familyPattern = FETCH_FAMILIES.map(escapeRegExp).join('|');
const v7FamilyPattern = V7_FAMILIES.map(escapeRegExp).join('|');

function v6Generation(rule: EndpointRule, path = rule.path): GenerationEndpoint {
	const family = rule.family ?? 'images';
	return {
		path,
		family,
		...(family === 'faceswap' ? { pathFamily: pathFamilyOf(path) } : {}),
		output: rule.output ?? { type: 'png' },
		validate: (body) => validateSubmitBody(body, rule),
	};
}

/** `/v6/deepfake/single_face_swap` → `deepfake`: the second segment of a v6 path. */
function pathFamilyOf(path: string): FaceSwapFamily {
	return path.split('/')[2] === 'deepfake' ? 'deepfake' : 'faceswap';
}

/** A route of a face-swap path family answers 404 while that family is not served (quirks.ts). */
function servedOnly(family: string, handle: Route['handle']): Route['handle'] {
	return (ctx, call, params) =>
		ctx.quirks.serves(family) ? handle(ctx, call, params) : notFound(call.method, call.path);
}

const FACESWAP_PREFIX = '/v6/faceswap/';

/** Face swap's submit paths again under the old `/v6/deepfake/` family (§8 item 2). */
const DEEPFAKE_RULES = ENDPOINT_RULES.filter((rule) => rule.path.startsWith(FACESWAP_PREFIX));

function generationRoute(rule: EndpointRule, path: string): Route {
	const generation = v6Generation(rule, path);
	return {
		methods: ['POST'],
		pattern: exactPath(`/api${path}`),
		counts: 'submits',
		handle: servedOnly(pathFamilyOf(path), (ctx, call) =>
			rule.kind === 'training'
				? submitTraining(ctx, rule, call)
				: submitGeneration(ctx, generation, call),
		),
	};
}

function v7Generation(operation: V7Operation): GenerationEndpoint {
	return {
		path: operation.path,
		family: `v7/${operation.family}`,
		output: operation.output,
		validate: (body) => validateV7Body(body, operation),
	};
}

const submitRoutes: Route[] = [
	...ENDPOINT_RULES.map((rule) => generationRoute(rule, rule.path)),
	...DEEPFAKE_RULES.map((rule) =>
		generationRoute(rule, `/v6/deepfake/${rule.path.slice(FACESWAP_PREFIX.length)}`),
	),
	...V7_OPERATIONS.map((operation): Route => {
		const generation = v7Generation(operation);
		return {
			methods: ['POST'],
			pattern: exactPath(`/api${operation.path}`),
			counts: 'submits',
			handle: (ctx, call) => submitGeneration(ctx, generation, call),
		};
	}),
];

const uploadRoutes: Route[] = UPLOAD_RULES.map((rule) => ({
	methods: ['POST'],
	pattern: exactPath(`/api${rule.path}`),
	counts: 'uploads',
	handle: (ctx, call) => receiveUpload(ctx, rule, call),
}));

export const ROUTES: readonly Route[] = [
	...submitRoutes,
	...uploadRoutes,
	{
		methods: ['POST'],
		pattern: new RegExp(`^/api/v6/(${familyPattern})/fetch/([^/]+)$`),
		counts: 'fetches',
		handle: (ctx, call, params) =>
			servedOnly(params[0], () =>
				fetchGeneration(ctx, fetchPath(params[0] as FetchFamily), params[1], call),
			)(ctx, call, params),
	},
	{
		methods: ['POST'],
		pattern: new RegExp(`^/api/v7/(${v7FamilyPattern})/fetch/([^/]+)$`),
		counts: 'fetches',
		handle: (ctx, call, [family, id]) =>
			fetchGeneration(ctx, fetchPath(`v7/${family as V7Family}`), id, call),
	},
	{
		// Any other fetch path a job's `fetch_result` may name (`/v6/deepfake/fetch`,
		// `/v6/whisper/fetch`): only the jobs readable there are found.
		methods: ['POST'],
		pattern: /^(\/api\/v\d+(?:\/[A-Za-z0-9_-]+)+\/fetch)\/([^/]+)$/,
		counts: 'fetches',
		handle: (ctx, call, [place, id]) =>
			servedOnly(place.split('/')[3], () => fetchGeneration(ctx, place, id, call))(ctx, call, [
				place,
				id,
			]),
	},
	{
		methods: ['POST'],
		pattern: exactPath('/api/v6/images/fetch'),
		counts: 'fetches',
		handle: (ctx, call) => fetchImageByRequestId(ctx, call),
	},
	{
		methods: ['POST'],
		pattern: /^\/api\/v3\/fine_tune_status\/([^/]+)$/,
		counts: 'fetches',
		handle: (ctx, call, [id]) => trainingStatus(ctx, id, call),
	},
	{
		// A cheap authenticated call for the credential test; a utility endpoint, so errors say `messege` (§4).
		methods: ['POST'],
		pattern: exactPath('/api/v6/processing/request_count'),
		handle: (ctx, call) =>
			checkBodyKey(ctx, call, 'messege') ??
			json(200, { status: 'success', processing_count: ctx.jobs.processingCount() }),
	},
	{
		methods: ['POST'],
		pattern: /^\/api\/v1\/workflows\/([^/]+)\/run$/,
		counts: 'submits',
		handle: (ctx, call, [workflowId]) => runWorkflow(ctx, workflowId, call),
	},
	{
		methods: ['GET'],
		pattern: /^\/api\/v1\/workflows\/([^/]+)\/runs\/([^/]+)$/,
		counts: 'fetches',
		handle: (ctx, call, [workflowId, executionId]) =>
			workflowRunStatus(ctx, workflowId, executionId, call),
	},
	{
		methods: ['GET'],
		pattern: exactPath('/api/v1/workflows'),
		handle: (ctx, call) => listWorkflows(ctx, call),
	},
	// Lists (§3.8)
	{
		methods: ['GET'],
		pattern: /^\/api\/(?:v6\/model-search|v7\/models)$/,
		handle: (ctx, call) => searchModels(ctx, call),
	},
	{
		methods: ['POST'],
		pattern: exactPath('/api/v4/dreambooth/model_list'),
		handle: (ctx, call) => legacyModelList(ctx, call),
	},
	{
		methods: ['POST'],
		pattern: exactPath('/api/v6/voice/voice_list'),
		handle: (ctx, call) => voiceList(ctx, call),
	},
	{
		methods: ['POST'],
		pattern: exactPath('/api/v3/finetune_list'),
		handle: (ctx, call) => trainedModelList(ctx, call),
	},
	{
		methods: ['GET', 'HEAD'],
		pattern: /^\/previews\/([^/]+)$/,
		handle: (_ctx, _call, [name]) => servePreview(name),
	},
	{
		methods: ['GET'],
		pattern: /^\/api\/v1\/workflows\/([^/]+)$/,
		handle: (ctx, call, [workflowId]) => workflowSchema(ctx, workflowId, call),
	},
	{
		methods: ['GET', 'HEAD'],
		pattern: /^\/files\/([^/]+)$/,
		handle: (ctx, _call, [name]) => serveOutputFile(ctx, name),
	},
	{
		methods: ['GET', 'HEAD'],
		pattern: /^\/temp\/([^/]+)$/,
		handle: (ctx, _call, [name]) => serveUpload(ctx, name),
	},
	...META_ECHO_ROUTES,
	// Not ModelsLab's: input files for the examples and e2e tests (samples.ts).
	{
		methods: ['GET', 'HEAD'],
		pattern: /^\/samples\/([^/]+)$/,
		handle: (_ctx, _call, [name]) => serveSample(name),
	},
];

function decodeParam(param: string): string {
	try {
		return decodeURIComponent(param);
	} catch {
		return param;
	}
}

export type RouteMatch =
	{ route: Route; params: string[] } | { methodNotAllowed: readonly string[] } | undefined;

export function matchRoute(method: string, path: string): RouteMatch {
	let allowed: string[] = [];
	for (const route of ROUTES) {
		const match = route.pattern.exec(path);
		if (!match) continue;
		if (!route.methods.includes(method)) {
			allowed = [...allowed, ...route.methods];
			continue;
		}
		return { route, params: match.slice(1).map(decodeParam) };
	}
	return allowed.length > 0 ? { methodNotAllowed: allowed } : undefined;
}
