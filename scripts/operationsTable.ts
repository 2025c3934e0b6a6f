import { CATEGORIES } from '../nodes/shared/catalog';
import type { Category } from '../nodes/shared/catalog/types';

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

export function operationsTable(): string {
	const rows = [
		'| Node | Operation (`operation`) | Endpoint | Callback | Default wait limit |',
		'|---|---|---|---|---|',
	];
	for (const category of Object.values(CATEGORIES)) {
		for (const endpoint of category.endpoints) {
			const callback = endpoint.type === 'read' ? 'read only' : endpoint.webhook ? 'yes' : 'polls';
			rows.push(
				`| ${NODE_NAMES[category.category]} | ${endpoint.displayName} (\`${endpoint.operation}\`) | \`${endpoint.method} ${endpoint.path}\` | ${callback} | ${endpoint.type === 'submit' ? `${category.defaultWaitMinutes} min` : '–'} |`,
			);
		}
	}
	return rows.join('\n');
}

if (require.main === module) process.stdout.write(`${operationsTable()}\n`);
