import {
	NodeHelpers,
	type INode,
	type INodeParameters,
	type INodeProperties,
	type INodeTypeDescription,
} from 'n8n-workflow';

export interface ExpectedPanel {
	/** Labels of the top-level parameters n8n shows for these values (plus "Credential"). */
	labels: string[];
	/** Texts of the notices shown for these values (completion modes, wait limit, trigger usage). */
	notices: string[];
	/** Parameters that may carry a "required" issue while empty. */
	required: string[];
}

/** What the node panel should show for `parameters`, worked out by n8n-workflow from the description. */
export function expectedPanel(
	description: INodeTypeDescription,
	parameters: INodeParameters,
	typeVersion = 1,
): ExpectedPanel {
	const node = {
		name: description.defaults.name,
		type: description.name,
		typeVersion,
		position: [0, 0],
		parameters,
	} as INode;
	const values =
		NodeHelpers.getNodeParameters(
			description.properties,
			parameters,
			true,
			false,
			node,
			description,
		) ?? {};
	const shown = description.properties.filter((property) =>
		NodeHelpers.displayParameter(values, property, node, description),
	);
	const isNotice = (property: INodeProperties) => property.type === 'notice';
	return {
		labels: [
			...(description.credentials?.length ? ['Credential'] : []),
			...shown.filter((property) => !isNotice(property)).map((property) => property.displayName),
		],
		notices: shown.filter(isNotice).map((property) => renderedText(property.displayName)),
		required: shown.filter((property) => property.required).map((property) => property.name),
	};
}

/** A notice's displayName is HTML; the panel shows its text. */
function renderedText(html: string): string {
	const entities: Record<string, string> = {
		'&lt;': '<',
		'&gt;': '>',
		'&quot;': '"',
		'&#39;': "'",
		'&amp;': '&',
	};
	return html
		.replace(/<[^>]+>/g, '')
		.replace(/&(lt|gt|quot|#39|amp);/g, (entity) => entities[entity]);
}

/** The display name of the node's current operation, e.g. "Text to Image" for text2img. */
export function operationName(
	description: INodeTypeDescription,
	value: unknown,
): string | undefined {
	return operationNames(description).find((option) => option.value === value)?.name;
}

export function operationNames(
	description: INodeTypeDescription,
): Array<{ name: string; value: unknown }> {
	const operation = description.properties.find((property) => property.name === 'operation');
	return (operation?.options ?? []).map((option) => ({
		name: option.name,
		value: 'value' in option ? option.value : undefined,
	}));
}
