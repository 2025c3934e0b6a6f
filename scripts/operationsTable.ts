import { CATEGORIES } from '../nodes/shared/catalog';
import { hasModelChoice, modelOptionName, OTHER_MODEL } from '../nodes/shared/catalog/modelChoice';
import type { Category, EndpointSpec, FieldSpec } from '../nodes/shared/catalog/types';
import { parameterName } from '../nodes/shared/parameters/fieldNames';

/** The README's operation tables, generated from the catalog so they cannot drift from the code. */
const NODE_NAMES: Record<Category, string> = {
	image: 'ModelsLab Image',
	video: 'ModelsLab Video',
	audio: 'ModelsLab Audio',
	threeD: 'ModelsLab 3D',
	imageEditing: 'ModelsLab Image Editing',
	interior: 'ModelsLab Interior',
	training: 'ModelsLab Training',
	workflow: 'ModelsLab Workflow',
};

/**
 * The parameters that take a file (a URL, a data URI or binary data); lists marked. For a
 * provider-model operation: those of any of its models (the models table says which).
 */
function fileInputs(endpoint: EndpointSpec): string {
	const fieldSets =
		endpoint.type === 'submit' && hasModelChoice(endpoint)
			? [...endpoint.models.map((model) => model.fields), endpoint.fields]
			: [endpoint.fields];
	const lists = new Map<string, Set<boolean>>();
	for (const field of fieldSets.flat().filter((f) => f.file)) {
		const name = parameterName(field.name);
		lists.set(name, (lists.get(name) ?? new Set()).add(field.file?.list === true));
	}
	return fileNames(lists);
}

function fileNames(lists: Map<string, Set<boolean>>): string {
	const names = [...lists].map(([name, list]) => {
		const mark = !list.has(true) ? '' : list.has(false) ? ' (list for some models)' : ' (list)';
		return `\`${name}\`${mark}`;
	});
	return names.length ? names.join(', ') : '–';
}

const modelFileInputs = (fields: readonly FieldSpec[]): string =>
	fileNames(
		new Map(
			fields
				.filter((field) => field.file)
				.map((field) => [parameterName(field.name), new Set([field.file?.list === true])]),
		),
	);

export function operationsTable(): string {
	const rows = [
		'| Node | Operation (`operation`) | Endpoint | Callback | Default wait limit | File inputs |',
		'|---|---|---|---|---|---|',
	];
	for (const category of Object.values(CATEGORIES)) {
		for (const endpoint of category.endpoints) {
			const callback = endpoint.type === 'read' ? 'read only' : endpoint.webhook ? 'yes' : 'polls';
			// Paths tried in turn when the first answers not found (face swap, v7 and realtime jobs).
			const alternates = (endpoint.alternatePaths ?? [])
				.map((path) => `, then \`${path}\``)
				.join('');
			rows.push(
				`| ${NODE_NAMES[category.category]} | ${endpoint.displayName} (\`${endpoint.operation}\`) | \`${endpoint.method} ${endpoint.path}\`${alternates} | ${callback} | ${endpoint.type === 'submit' ? `${category.defaultWaitMinutes} min` : '–'} | ${fileInputs(endpoint)} |`,
			);
		}
	}
	return rows.join('\n');
}

const names = (parameters: readonly string[]): string =>
	parameters.map((name) => `\`${name}\``).join(', ') || '–';
const required = (fields: readonly FieldSpec[]) =>
	fields.filter((field) => field.required).map((field) => parameterName(field.name));
const optional = (fields: readonly FieldSpec[]) =>
	fields.filter((field) => !field.required).map((field) => parameterName(field.name));

/** The v7 operations' models as the `modelId` dropdown lists them, with each model's parameters. */
export function modelsTable(): string {
	const rows = [
		'| Node | Operation (`operation`) | Model (`modelId`) | Parameters | Additional Fields | File inputs |',
		'|---|---|---|---|---|---|',
	];
	for (const category of Object.values(CATEGORIES)) {
		for (const endpoint of category.endpoints) {
			if (endpoint.type !== 'submit' || !hasModelChoice(endpoint)) continue;
			const start = `| ${NODE_NAMES[category.category]} | \`${endpoint.operation}\``;
			const models = [...endpoint.models].sort((a, b) =>
				modelOptionName(a).localeCompare(modelOptionName(b)),
			);
			for (const model of models) {
				rows.push(
					`${start} | ${modelOptionName(model)} (\`${model.id}\`) | ${names(required(model.fields))} | ${names(optional(model.fields))} | ${modelFileInputs(model.fields)} |`,
				);
			}
			// Other Model: the id and a JSON body, plus the fields the docs give for every model.
			const parameters = ['customModelId', ...required(endpoint.fields), 'customModelFields'];
			rows.push(
				`${start} | Other Model (by ID) (\`${OTHER_MODEL}\`) | ${names(parameters)} | ${names(optional(endpoint.fields))} | ${modelFileInputs(endpoint.fields)} |`,
			);
		}
	}
	return rows.join('\n');
}

if (require.main === module) process.stdout.write(`${operationsTable()}\n\n${modelsTable()}\n`);
