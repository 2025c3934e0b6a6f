import {
	NodeHelpers,
	type INode,
	type INodeParameters,
	type INodeProperties,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { allEndpoints, CATEGORIES } from '../../nodes/shared/catalog';
import {
	endpointForModel,
	hasModelChoice,
	OTHER_MODEL,
} from '../../nodes/shared/catalog/modelChoice';
import type { Category, EndpointSpec, FieldSpec } from '../../nodes/shared/catalog/types';
import { parameterName } from '../../nodes/shared/parameters/fieldNames';
import { ACTION_NODES } from '../support/actionNodes';
import { contractDocuments } from '../support/contractOperations';

/**
 * The companions every file field gets (docs/public-names.md §4), worked out by n8n-workflow's
 * own display logic from the node descriptions, as the editor and the runtime see them. On a
 * provider-model (v7) operation the fields are each model's (and Other Model's) own.
 */
function fieldSets(
	endpoint: EndpointSpec,
): Array<{ choice?: string; fields: readonly FieldSpec[] }> {
	if (endpoint.type !== 'submit' || !hasModelChoice(endpoint)) return [{ fields: endpoint.fields }];
	return [...endpoint.models.map((model) => model.id), OTHER_MODEL].map((choice) => ({
		choice,
		fields: endpointForModel(endpoint, choice).fields.filter((field) => field.name !== 'model_id'),
	}));
}

const placeOf = (endpoint: EndpointSpec, choice?: string) =>
	`${endpoint.category} ${endpoint.operation}${choice === undefined ? '' : ` ${choice}`}`;

const fileFields = allEndpoints().flatMap((endpoint) =>
	fieldSets(endpoint).flatMap(({ choice, fields }) =>
		fields
			.filter((field) => field.file)
			.map(
				(field) => [`${placeOf(endpoint, choice)} ${field.name}`, endpoint, field, choice] as const,
			),
	),
);

/** The parameters that select the operation (and the model) the field belongs to. */
const selecting = (operation: string, choice?: string): INodeParameters => ({
	operation,
	...(choice === undefined ? {} : { modelId: choice }),
});

/** Whether a property belongs to this operation (and model). */
const belongsTo = (property: INodeProperties, operation: string, choice?: string): boolean =>
	!!property.displayOptions?.show?.operation?.includes(operation) &&
	(choice === undefined || !!property.displayOptions?.show?.modelId?.includes(choice));

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
	choice?: string,
): string[] {
	const parameters = { ...selecting(operation, choice), additionalFields: values };
	const collection = description.properties.find(
		(property) => property.name === 'additionalFields' && belongsTo(property, operation, choice),
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
	// The families added 2026-12-07.
	'image realtime_img2img': ['init_image'],
	'image realtime_inpaint': ['init_image', 'mask_image'],
	'video watermark_remover': ['init_video'],
	'audio text_to_audio': ['init_audio'],
	'audio voice_cover': ['init_audio'],
	'audio speech_to_text': ['init_audio'],
	'imageEditing flux_kontext': ['init_image', 'init_image_2'],
	'interior make': ['init_image'],
	'interior room_decorator': ['init_image'],
	'interior floor_planning': ['init_image'],
	'interior scenario_changer': ['init_image'],
	'interior sketch_rendering': ['init_image'],
	'interior exterior_restorer': ['init_image'],
	'interior object_removal': ['init_image'],
	'interior interior_mixer': ['init_image', 'object_image'],
	// The v7 provider models, per model; "__custom" is Other Model (by ID) with the documented fields.
	'image v7_image_to_image nano-banana-pro': ['init_image'],
	'image v7_image_to_image nano-banana': ['init_image', 'init_image_2'],
	'image v7_image_to_image flux-kontext-pro': ['init_image'],
	'image v7_image_to_image flux-2-pro': ['init_image'],
	'image v7_image_to_image seededit-i2i': ['init_image'],
	'image v7_image_to_image seedream-4.0-i2i': ['init_image'],
	'image v7_image_to_image seedream-4.5-i2i': ['init_image'],
	'image v7_image_to_image gen4_image_turbo': ['init_image', 'init_image_2'],
	'image v7_inpaint __custom': ['init_image', 'mask_image'],
	'video v7_text_to_video wan2.5-t2v': ['init_audio'],
	'video v7_image_to_video Kling-V2-5-Turbo-i2v': ['init_image'],
	'video v7_image_to_video kling-v2-1-i2v': ['init_image'],
	'video v7_image_to_video kling-v2-master-i2v': ['init_image'],
	'video v7_image_to_video kling-v2-1-master-i2v': ['init_image'],
	'video v7_image_to_video seedance-i2v': ['init_image'],
	'video v7_image_to_video seedance-1.0-pro-i2v': ['init_image'],
	'video v7_image_to_video seedance-1.0-pro-fast-i2v': ['init_image'],
	'video v7_image_to_video omni-human': ['init_image', 'init_audio'],
	'video v7_image_to_video omni-human-1.5': ['init_image', 'init_audio'],
	'video v7_image_to_video Hailuo-2.3-i2v': ['init_image'],
	'video v7_image_to_video Hailuo-2.3-Fast-i2v': ['init_image'],
	'video v7_image_to_video Hailuo-02-i2v': ['init_image'],
	'video v7_image_to_video Hailuo-02-start-end-frame': ['init_image'],
	'video v7_image_to_video wan2.5-i2v': ['init_image', 'init_audio'],
	'video v7_video_to_video gen4_aleph': ['init_video'],
	'video v7_lip_sync lipsync-2': ['init_video', 'init_audio'],
	'video v7_motion_control __custom': ['init_image', 'init_video'],
	'audio v7_speech_to_text scribe_v1': ['init_audio'],
	'audio v7_speech_to_speech eleven_english_sts_v2': ['init_audio'],
	'audio v7_create_dubbing __custom': ['init_audio'],
	'audio v7_song_extender song-extender': ['init_audio'],
	'audio v7_song_inpaint song-inpaint': ['init_audio'],
};

it('marks every file-taking field of the catalog, and nothing else', () => {
	const marked: Record<string, string[]> = {};
	for (const [, endpoint, field, choice] of fileFields)
		(marked[placeOf(endpoint, choice)] ??= []).push(field.name);
	expect(marked).toEqual(EXPECTED);
	// No text field named like a file input is left out.
	for (const endpoint of allEndpoints())
		for (const field of fieldSets(endpoint)
			.flatMap(({ fields }) => fields)
			.filter(
				(entry) =>
					entry.kind !== 'boolean' && /(image|audio|video|images|obj|image_2)$/.test(entry.name),
			))
			expect([endpoint.operation, field.name, Boolean(field.file)]).toEqual([
				endpoint.operation,
				field.name,
				true,
			]);
});

describe.each(fileFields)('%s', (_name, endpoint: EndpointSpec, field: FieldSpec, choice) => {
	const description = ACTION_NODES[endpoint.category as Category].description;
	const base = selecting(endpoint.operation, choice);
	const name = parameterName(field.name);
	const inputType = `${name}InputType`;
	const propertyName = `${name}BinaryPropertyName`;

	if (field.required) {
		it('is top level with its companions: the field for URL, the binary property for Binary File', () => {
			const asUrl = resolved(description, base);
			expect(asUrl[inputType]).toBe('url');
			expect(asUrl).toHaveProperty(name);
			expect(asUrl).not.toHaveProperty(propertyName);

			const asBinary = resolved(description, { ...base, [inputType]: 'binary' });
			expect(asBinary[propertyName]).toBe('data');
			expect(asBinary).not.toHaveProperty(name);

			const companion = description.properties.find(
				(property) =>
					property.name === propertyName && belongsTo(property, endpoint.operation, choice),
			);
			expect(companion).toMatchObject({ type: 'string', default: 'data', required: true });
			const inputChoice = description.properties.find(
				(property) =>
					property.name === inputType && belongsTo(property, endpoint.operation, choice),
			);
			expect(
				inputChoice?.options?.map((option) => 'value' in option && option.value).sort(),
			).toEqual(['binary', 'url']);
		});
	} else {
		it('sits in Additional Fields with its companions; Binary File swaps the field for the property', () => {
			const asUrl = collectionOptions(description, endpoint.operation, {}, choice);
			expect(asUrl).toContain(name);
			expect(asUrl).toContain(inputType);
			expect(asUrl).not.toContain(propertyName);
			// Saved before the companions existed: the URL field still shows.
			expect(
				collectionOptions(
					description,
					endpoint.operation,
					{ [name]: 'https://x.test/a.png' },
					choice,
				),
			).toContain(name);

			const asBinary = collectionOptions(
				description,
				endpoint.operation,
				{ [inputType]: 'binary' },
				choice,
			);
			expect(asBinary).toContain(propertyName);
			expect(asBinary).not.toContain(name);
			// Nothing of the field is at top level.
			const top = resolved(description, base);
			expect(top).not.toHaveProperty(inputType);
			expect(top).not.toHaveProperty(name);
		});
	}

	it(`describes the binary property as ${field.file?.list ? 'a comma-separated list' : 'one property'}`, () => {
		const ofOperation = description.properties.filter((property) =>
			belongsTo(property, endpoint.operation, choice),
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
