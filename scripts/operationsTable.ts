import { CATEGORIES } from '../nodes/shared/catalog';
import type { Category, EndpointSpec } from '../nodes/shared/catalog/types';
import { parameterName } from '../nodes/shared/parameters/fieldNames';

/** The README's operation table, generated from the catalog so it cannot drift from the code. */
const NODE_NAMES: Record<Category, string> = {
	image: 'ModelsLab Image',
	video: 'ModelsLab Video',
	audio: 'ModelsLab Audio',
	threeD: 'ModelsLab 3D',
	imageEditing: 'ModelsLab Image Editing',
	training: 'ModelsLab Training',
	workflow: 'ModelsLab Workflow',
};

/** The parameters that take a file (a URL, a data URI or binary data); lists marked. */
function fileInputs(endpoint: EndpointSpec): string {
	const names = endpoint.fields
		.filter((field) => field.file)
		.map((field) => `\`${parameterName(field.name)}\`${field.file?.list ? ' (list)' : ''}`);
	return names.length ? names.join(', ') : '–';
}

export function operationsTable(): string {
	const rows = [
		'| Node | Operation (`operation`) | Endpoint | Callback | Default wait limit | File inputs |',
		'|---|---|---|---|---|---|',
	];
	for (const category of Object.values(CATEGORIES)) {
		for (const endpoint of category.endpoints) {
			const callback = endpoint.type === 'read' ? 'read only' : endpoint.webhook ? 'yes' : 'polls';
			rows.push(
				`| ${NODE_NAMES[category.category]} | ${endpoint.displayName} (\`${endpoint.operation}\`) | \`${endpoint.method} ${endpoint.path}\` | ${callback} | ${endpoint.type === 'submit' ? `${category.defaultWaitMinutes} min` : '–'} | ${fileInputs(endpoint)} |`,
			);
		}
	}
	return rows.join('\n');
}

if (require.main === module) process.stdout.write(`${operationsTable()}\n`);
