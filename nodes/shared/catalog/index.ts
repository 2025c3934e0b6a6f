import type { Category, CategorySpec, EndpointSpec } from './types';
import { imageCategory } from './image';
import { videoCategory } from './video';
import { audioCategory } from './audio';
import { threeDCategory } from './threeD';
import { imageEditingCategory } from './imageEditing';
import { interiorCategory } from './interior';
import { trainingCategory } from './training';
import { workflowCategory } from './workflow';

export type {
	AuthStyle,
	Category,
	CategorySpec,
	EndpointSpec,
	FieldKind,
	FieldPicker,
	FieldRequirement,
	FieldSpec,
	FileInput,
	JobKind,
	ModelVariant,
	ReadEndpointSpec,
	SubmitEndpointSpec,
	TrackIdStyle,
} from './types';

export {
	imageCategory,
	videoCategory,
	audioCategory,
	threeDCategory,
	imageEditingCategory,
	interiorCategory,
	trainingCategory,
	workflowCategory,
};

/** Every category's catalog, by category value. */
export const CATEGORIES: Record<Category, CategorySpec> = {
	image: imageCategory,
	video: videoCategory,
	audio: audioCategory,
	threeD: threeDCategory,
	imageEditing: imageEditingCategory,
	interior: interiorCategory,
	training: trainingCategory,
	workflow: workflowCategory,
};

export function getCategory(category: Category): CategorySpec {
	const spec = CATEGORIES[category];
	if (!spec) throw new Error(`Unknown ModelsLab category "${String(category)}"`);
	return spec;
}

/** The endpoint of one operation; throws if the category has no such operation. */
export function getEndpoint(category: Category, operation: string): EndpointSpec {
	const endpoint = getCategory(category).endpoints.find((e) => e.operation === operation);
	if (!endpoint) throw new Error(`Unknown operation "${operation}" for ModelsLab ${category}`);
	return endpoint;
}

/** All endpoints of all categories, in category order. */
export function allEndpoints(): EndpointSpec[] {
	return Object.values(CATEGORIES).flatMap((c) => [...c.endpoints]);
}
