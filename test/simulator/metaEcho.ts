/**
 * `<origin>/api-meta`: the generation fetch endpoints as ModelsLab's OpenAPI describes their
 * answers, whose success and processing schemas carry `meta`, "all parameters used" (the request,
 * `webhook` and `track_id` included; docs/modelslab-api.md §4, "Success"). Under `/api` the
 * simulator answers fetches as the 2025 examples do, without `meta` ("Fetch replies are leaner").
 * Point a credential's Base URL at `<origin>/api-meta` to read jobs back with `meta`; only the
 * fetch endpoints are served there.
 */
import type { SimContext } from './context';
import { FETCH_FAMILIES, fetchPath } from './endpoints';
import type { IncomingCall } from './gate';
import { fetchGeneration } from './generations';
import { json, type Reply } from './replies';
import type { Route } from './routes';
import type { FetchFamily, JsonObject, JsonValue } from './types';
import { V7_FAMILIES, type V7Family } from './v7endpoints';

const oneOf = (names: readonly string[]): string =>
	names.map((name) => name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|');

function isObject(value: JsonValue): value is JsonObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The fetch answer with the job's request echoed in `meta`, as its submit answer has it. */
function withMeta(ctx: SimContext, id: string, reply: Reply): Reply {
	const job = ctx.jobs.get(id);
	if (!job || !('json' in reply) || !isObject(reply.json)) return reply;
	if (reply.json.status !== 'success' && reply.json.status !== 'processing') return reply;
	const meta = { ...job.request, webhook: job.webhook ?? null, track_id: job.trackId ?? null };
	return json(reply.status, { ...reply.json, meta });
}

function fetchWithMeta(
	ctx: SimContext,
	family: FetchFamily,
	id: string,
	call: IncomingCall,
): Reply {
	return withMeta(ctx, id, fetchGeneration(ctx, fetchPath(family), id, call));
}

export const META_ECHO_ROUTES: readonly Route[] = [
	{
		methods: ['POST'],
		pattern: new RegExp(`^/api-meta/v6/(${oneOf(FETCH_FAMILIES)})/fetch/([^/]+)$`),
		counts: 'fetches',
		handle: (ctx, call, [family, id]) => fetchWithMeta(ctx, family as FetchFamily, id, call),
	},
	{
		methods: ['POST'],
		pattern: new RegExp(`^/api-meta/v7/(${oneOf(V7_FAMILIES)})/fetch/([^/]+)$`),
		counts: 'fetches',
		handle: (ctx, call, [family, id]) => fetchWithMeta(ctx, `v7/${family as V7Family}`, id, call),
	},
];
