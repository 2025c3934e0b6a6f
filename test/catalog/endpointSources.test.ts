import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { z } from 'zod';

import { allEndpoints } from '../../nodes/shared/catalog';
import type { EndpointSpec } from '../../nodes/shared/catalog/types';

/**
 * Every catalog entry against `endpointSources.json`: one row per endpoint stating what
 * ModelsLab's sources say (path, method, alternates, fetch path, track id type, required and
 * other field names, second names, yes/no switches, requirements between fields, v7 model ids)
 * and citing them by repository, commit and file. A catalog change that the table does not
 * share fails here, so each change to a request shape names its source in the same commit.
 */
const source = z.union([
	z.object({
		repo: z.string().regex(/^ModelsLab\/[\w.-]+$/),
		commit: z.string().regex(/^[0-9a-f]{40}$/),
		file: z.string().min(1),
		for: z.string().min(1),
	}),
	// A source outside GitHub (the legacy v3 fine_tune mirror).
	z.object({ url: z.string().url(), for: z.string().min(1) }),
]);

const row = z
	.object({
		endpoint: z.string().regex(/^\w+:\w+$/),
		method: z.enum(['GET', 'POST']),
		path: z.string().startsWith('/v'),
		alternatePaths: z.array(z.string()).optional(),
		fetchPath: z.string().optional(),
		alternateFetchPaths: z.array(z.string()).optional(),
		trackId: z.enum(['string', 'integer', 'none']).optional(),
		required: z.array(z.string()),
		fields: z.array(z.string()),
		alsoSendAs: z.record(z.array(z.string())).optional(),
		yesNo: z.array(z.string()).optional(),
		requirements: z.array(z.unknown()).optional(),
		models: z.array(z.string()).optional(),
		sources: z.array(source).min(1),
		note: z.string().optional(),
	})
	.strict();
type Row = z.infer<typeof row>;

const TABLE_FILE = join(__dirname, 'endpointSources.json');
const table: Row[] = z.array(row).parse(JSON.parse(readFileSync(TABLE_FILE, 'utf8')));

const keyOf = (endpoint: EndpointSpec) => `${endpoint.category}:${endpoint.operation}`;

/** What a row states, read from a catalog entry: the row's shape without its sources. */
function statedBy(endpoint: EndpointSpec): Omit<Row, 'sources' | 'note'> {
	const submit = endpoint.type === 'submit' ? endpoint : undefined;
	const alsoSendAs = Object.fromEntries(
		endpoint.fields.filter((f) => f.alsoSendAs).map((f) => [f.name, [...(f.alsoSendAs ?? [])]]),
	);
	const yesNo = endpoint.fields.filter((f) => f.kind === 'yesNo').map((f) => f.name);
	const stated: Omit<Row, 'sources' | 'note'> = {
		endpoint: keyOf(endpoint),
		method: endpoint.method,
		path: endpoint.path,
		alternatePaths: endpoint.alternatePaths?.length ? [...endpoint.alternatePaths] : undefined,
		fetchPath: submit?.fetchPath,
		alternateFetchPaths: submit?.alternateFetchPaths?.length
			? [...submit.alternateFetchPaths]
			: undefined,
		trackId: submit?.trackId,
		required: endpoint.fields.filter((f) => f.required).map((f) => f.name),
		fields: endpoint.fields.map((f) => f.name),
		alsoSendAs: Object.keys(alsoSendAs).length ? alsoSendAs : undefined,
		yesNo: yesNo.length ? yesNo : undefined,
		requirements: submit?.requirements?.length
			? (JSON.parse(JSON.stringify(submit.requirements)) as unknown[])
			: undefined,
		models: submit?.models?.map((model) => model.id),
	};
	return Object.fromEntries(
		Object.entries(stated).filter(([, value]) => value !== undefined),
	) as typeof stated;
}

const rowsByEndpoint = new Map(table.map((entry) => [entry.endpoint, entry]));

it('has one row per catalog endpoint, and none for an endpoint the catalog lacks', () => {
	expect(table.map((entry) => entry.endpoint).sort()).toEqual(allEndpoints().map(keyOf).sort());
	expect(rowsByEndpoint.size).toBe(table.length);
});

describe.each(allEndpoints().map((endpoint) => [keyOf(endpoint), endpoint] as const))(
	'%s',
	(key, endpoint) => {
		it('matches its row: paths, method, track id, field names, required, alternates', () => {
			const entry = rowsByEndpoint.get(key);
			expect(entry).toBeDefined();
			const { sources: _sources, note: _note, ...stated } = entry as Row;
			expect(statedBy(endpoint)).toEqual(stated);
		});
	},
);

describe('a change the table does not share fails', () => {
	it('a catalog path, a required field or an alternate that differs is a mismatch', () => {
		const faceSwap = allEndpoints().find((e) => keyOf(e) === 'imageEditing:single_face_swap');
		if (faceSwap?.type !== 'submit') throw new Error('single_face_swap is missing');
		const entry = rowsByEndpoint.get('imageEditing:single_face_swap') as Row;
		const { sources: _sources, note: _note, ...stated } = entry;
		expect(statedBy({ ...faceSwap, path: '/v6/deepfake/single_face_swap' })).not.toEqual(stated);
		expect(statedBy({ ...faceSwap, alternatePaths: undefined })).not.toEqual(stated);
		expect(
			statedBy({ ...faceSwap, fields: faceSwap.fields.map((f) => ({ ...f, required: false })) }),
		).not.toEqual(stated);
	});
});

/**
 * Where ModelsLab's repositories are mirrored beside this one (the development machine: the
 * folder `.mirror/<owner>+<name>/repo` next to the repository), every cited file must exist at the
 * cited commit. Elsewhere (CI) the citations are only checked for form.
 */
const MIRRORS = join(__dirname, '..', '..', '..', '.mirror');
const cited = [
	...new Set(
		table.flatMap((entry) =>
			entry.sources.flatMap((s) => ('repo' in s ? [`${s.repo}@${s.commit}:${s.file}`] : [])),
		),
	),
];
const mirrorOf = (repo: string) => join(MIRRORS, repo.replace('/', '+'), 'repo');
const mirrored = cited.filter((citation) => existsSync(mirrorOf(citation.split('@')[0])));

(mirrored.length ? describe : describe.skip)(
	'cited files, where the repository is mirrored',
	() => {
		it.each(mirrored)('%s exists', (citation) => {
			const [repo, rest] = citation.split('@');
			const [commit, file] = [rest.slice(0, 40), rest.slice(41)];
			expect(() =>
				execFileSync('git', ['-C', mirrorOf(repo), 'cat-file', '-e', `${commit}:${file}`], {
					stdio: 'ignore',
				}),
			).not.toThrow();
		});
	},
);
