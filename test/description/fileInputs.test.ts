import {
	NodeHelpers,
	type INode,
	type INodeParameters,
	type INodeProperties,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { allEndpoints, CATEGORIES } from '../../nodes/shared/catalog';
import type { Category, EndpointSpec, FieldSpec } from '../../nodes/shared/catalog/types';
import { parameterName } from '../../nodes/shared/parameters/fieldNames';
import { ACTION_NODES } from '../support/actionNodes';
import { contractDocuments } from '../support/contractOperations';

/**
 * The companions every file field gets (docs/public-names.md §4), worked out by n8n-workflow's
 * own display logic from the node descriptions, as the editor and the runtime see them.
 */
const fileFields = allEndpoints().flatMap((endpoint) =>
	endpoint.fields
		.filter((field) => field.file)
		.map(
			(field) =>
				[`${endpoint.category} ${endpoint.operation} ${field.name}`, endpoint, field] as const,
		),
);

function nodeOf(
	description: INodeTypeDescription,
	parameters: INodeParameters,
	version = 1.1,
): INode {
	return {
		id: 'n',
		name: description.defaults.name ?? 'n',
		type: description.name,
		typeVersion: version,
		position: [0, 0],
		parameters,
	};
}

/** The parameters n8n keeps (and shows) for these values, defaults filled in. */
function resolved(description: INodeTypeDescription, parameters: INodeParameters): INodeParameters {
	return (
		NodeHelpers.getNodeParameters(
			description.properties,
			parameters,
			true,
			false,
			nodeOf(description, parameters),
			description,
		) ?? {}
	);
}

/** The Add Field entries of Additional Fields shown for these collection values. */
function collectionOptions(
	description: INodeTypeDescription,
	operation: string,
	values: INodeParameters,
): string[] {
	const parameters = { operation, additionalFields: values };
	const collection = description.properties.find(
		(property) =>
			property.name === 'additionalFields' &&
			property.displayOptions?.show?.operation?.includes(operation),
	) as INodeProperties;
	return (collection.options as INodeProperties[])
		.filter((option) =>
			NodeHelpers.displayParameterPath(
				parameters,
				option,
				'additionalFields',
				nodeOf(description, parameters),
				description,
			),
		)
		.map((option) => option.name);
}

/** Every field that takes a file, by operation (docs/modelslab-api.md §3). */
const EXPECTED: Record<string, string[]> = {
	'image text2img': ['ip_adapter_image'],
	'image img2img': ['init_image', 'ip_adapter_image'],
	'image inpaint': ['init_image', 'mask_image', 'ip_adapter_image'],
	'image controlnet': ['init_image', 'control_image', 'mask_image'],
	'video img2video': ['init_image'],
	'video img2video_ultra': ['init_image'],
	'audio voice_to_voice': ['init_audio', 'target_audio'],
	'audio music_gen': ['init_audio'],
	'audio song_generator': ['init_audio'],
	'threeD image_to_3d': ['init_image'],
	'imageEditing removebg_mask': ['image'],
	'imageEditing super_resolution': ['init_image'],
	'imageEditing outpaint': ['image'],
	'imageEditing object_removal': ['init_image', 'mask_image'],
	'imageEditing mask_creator': ['init_image'],
	'imageEditing inpaint': ['init_image', 'mask_image'],
	'imageEditing fashion': ['init_image', 'cloth_image'],
	'imageEditing head_shot': ['face_image'],
	'imageEditing flux_headshot': ['face_image'],
	'imageEditing face_gen': ['face_image'],
	'imageEditing img_mixer': ['init_image'],
	'imageEditing qwen_edit': ['init_image'],
	'imageEditing caption': ['init_image'],
	'imageEditing single_face_swap': ['init_image', 'target_image', 'reference_image'],
	'imageEditing multiple_face_swap': ['init_image', 'target_image'],
	'imageEditing single_video_swap': ['init_image', 'init_video'],
	'imageEditing specific_video_swap': ['init_image', 'init_video', 'reference_image'],
	'training lora_fine_tune': ['images'],
	'training fine_tune': ['images'],
};

it('marks every file-taking field of the catalog, and nothing else', () => {
	const marked: Record<string, string[]> = {};
	for (const [, endpoint, field] of fileFields)
		(marked[`${endpoint.category} ${endpoint.operation}`] ??= []).push(field.name);
	expect(marked).toEqual(EXPECTED);
	// No text field named like a file input is left out.
	for (const endpoint of allEndpoints())
		for (const field of endpoint.fields.filter(
			(entry) => entry.kind !== 'boolean' && /(image|audio|video|images|obj)$/.test(entry.name),
		))
			expect([endpoint.operation, field.name, Boolean(field.file)]).toEqual([
				endpoint.operation,
				field.name,
				true,
			]);
});

describe.each(fileFields)('%s', (_name, endpoint: EndpointSpec, field: FieldSpec) => {
	const description = ACTION_NODES[endpoint.category as Category].description;
	const name = parameterName(field.name);
	const inputType = `${name}InputType`;
	const propertyName = `${name}BinaryPropertyName`;

	if (field.required) {
		it('is top level with its companions: the field for URL, the binary property for Binary File', () => {
			const asUrl = resolved(description, { operation: endpoint.operation });
			expect(asUrl[inputType]).toBe('url');
			expect(asUrl).toHaveProperty(name);
			expect(asUrl).not.toHaveProperty(propertyName);

			const asBinary = resolved(description, {
				operation: endpoint.operation,
				[inputType]: 'binary',
			});
			expect(asBinary[propertyName]).toBe('data');
			expect(asBinary).not.toHaveProperty(name);

			const companion = description.properties.find((property) => property.name === propertyName);
			expect(companion).toMatchObject({ type: 'string', default: 'data', required: true });
			const choice = description.properties.find((property) => property.name === inputType);
			expect(choice?.options?.map((option) => 'value' in option && option.value).sort()).toEqual([
				'binary',
				'url',
			]);
		});
	} else {
		it('sits in Additional Fields with its companions; Binary File swaps the field for the property', () => {
			const asUrl = collectionOptions(description, endpoint.operation, {});
			expect(asUrl).toContain(name);
			expect(asUrl).toContain(inputType);
			expect(asUrl).not.toContain(propertyName);
			// Saved before the companions existed: the URL field still shows.
			expect(
				collectionOptions(description, endpoint.operation, { [name]: 'https://x.test/a.png' }),
			).toContain(name);

			const asBinary = collectionOptions(description, endpoint.operation, {
				[inputType]: 'binary',
			});
			expect(asBinary).toContain(propertyName);
			expect(asBinary).not.toContain(name);
			// Nothing of the field is at top level.
			const top = resolved(description, { operation: endpoint.operation });
			expect(top).not.toHaveProperty(inputType);
			expect(top).not.toHaveProperty(name);
		});
	}

	it(`describes the binary property as ${field.file?.list ? 'a comma-separated list' : 'one property'}`, () => {
		const ofOperation = description.properties.filter((property) =>
			property.displayOptions?.show?.operation?.includes(endpoint.operation),
		);
		const companion = [
			...ofOperation,
			...ofOperation.flatMap((property) => (property.options ?? []) as INodeProperties[]),
		].find((property) => property.name === propertyName);
		expect(companion?.description).toMatch(
			field.file?.list ? /^Comma-separated names/ : /^Name of the binary property/,
		);
		expect(companion?.description).toContain('5 MB');
	});
});

it('uses the names docs/public-names.md gives as its example', () => {
	const documents = contractDocuments();
	expect(documents.length).toBeGreaterThan(0);
	for (const { text } of documents)
		expect(text).toContain('`initImage`, `initImageInputType`, `initImageBinaryPropertyName`');
	const img2img = resolved(ACTION_NODES.image.description, {
		operation: 'img2img',
		initImageInputType: 'binary',
	});
	expect(Object.keys(img2img)).toEqual(
		expect.arrayContaining(['initImageInputType', 'initImageBinaryPropertyName']),
	);
});

it('no catalog category without file fields gets companions', () => {
	const workflow = ACTION_NODES.workflow.description.properties.map((property) => property.name);
	expect(workflow.filter((name) => /InputType$|BinaryPropertyName$/.test(name))).toEqual([]);
	expect(Object.keys(CATEGORIES)).toContain('workflow');
});
