import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The layering of nodes/shared (docs/architecture.md), read from the imports themselves: every
 * relative import points down the list, never up or sideways into another layer, and the reads of
 * n8n internals sit in one file.
 */
const LAYERS = ['completion', 'description', 'parameters', 'transport', 'catalog'] as const;
/** Imports nothing of the package; anything may import it. */
const LEAF = 'n8n';

const nodesRoot = resolve(__dirname, '../../nodes');

function sourceFiles(folder: string): string[] {
	return readdirSync(folder).flatMap((name) => {
		const path = join(folder, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return name.endsWith('.ts') ? [path] : [];
	});
}

/** `nodes/shared/transport/jobs.ts` → `shared/transport`; `nodes/ModelsLabImage/x.ts` → `ModelsLabImage`. */
function unitOf(file: string): string {
	const [first, second] = relative(nodesRoot, file).split('/');
	return first === 'shared' ? `shared/${second.replace(/\.ts$/, '')}` : first;
}

function relativeImports(file: string): string[] {
	const source = readFileSync(file, 'utf8');
	const found = [...source.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map(
		(match) => match[1],
	);
	return found.map((path) => resolve(dirname(file), path));
}

const edges = sourceFiles(nodesRoot).flatMap((file) =>
	relativeImports(file).map((target) => ({
		file: relative(nodesRoot, file),
		from: unitOf(file),
		to: unitOf(`${target}.ts`),
	})),
);

function rank(unit: string): number {
	return LAYERS.indexOf(unit.replace('shared/', '') as (typeof LAYERS)[number]);
}

describe('layering of nodes/', () => {
	it('finds the layers and their imports', () => {
		const units = new Set(edges.flatMap((edge) => [edge.from, edge.to]));
		for (const layer of [...LAYERS, LEAF]) expect(units).toContain(`shared/${layer}`);
		expect(edges.length).toBeGreaterThan(50);
	});

	it('has shared layers that import only layers below them', () => {
		const upward = edges.filter((edge) => {
			if (!edge.from.startsWith('shared/') || edge.from === edge.to) return false;
			if (edge.from === `shared/${LEAF}`) return true;
			if (edge.to === `shared/${LEAF}`) return false;
			return rank(edge.to) <= rank(edge.from);
		});
		expect(upward).toEqual([]);
	});

	it('has no two units that import each other', () => {
		const pairs = new Set(
			edges.filter((edge) => edge.from !== edge.to).map((edge) => `${edge.from}>${edge.to}`),
		);
		const mutual = [...pairs].filter((pair) => pairs.has(pair.split('>').reverse().join('>')));
		expect(mutual).toEqual([]);
	});

	it('keeps the trigger on transport, parameters and catalog', () => {
		const allowed = new Set([
			'ModelsLabTrigger',
			'shared/parameters',
			'shared/transport',
			'shared/catalog',
			`shared/${LEAF}`,
		]);
		expect(
			edges.filter((edge) => edge.from === 'ModelsLabTrigger' && !allowed.has(edge.to)),
		).toEqual([]);
	});

	it('keeps action node files thin: they reach completion and catalog only', () => {
		const actionEdges = edges.filter(
			(edge) => edge.from.startsWith('ModelsLab') && edge.from !== 'ModelsLabTrigger',
		);
		expect(
			actionEdges.filter((edge) => !['shared/completion', 'shared/catalog'].includes(edge.to)),
		).toEqual([]);
	});

	it('reaches into n8n internals in one file only', () => {
		const internalReads =
			/runExecutionData|getWorkflowDataProxy|\.customData\b|contextData|nodeExecutionStack/;
		const offenders = sourceFiles(nodesRoot)
			.filter((file) => !file.endsWith(join('n8n', 'internals.ts')))
			.filter((file) => internalReads.test(readFileSync(file, 'utf8')))
			.map((file) => relative(nodesRoot, file));
		expect(offenders).toEqual([]);
	});
});
