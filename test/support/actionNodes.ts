import type { INodeType } from 'n8n-workflow';

import { ModelsLab3d } from '../../nodes/ModelsLab3d/ModelsLab3d.node';
import { ModelsLabAudio } from '../../nodes/ModelsLabAudio/ModelsLabAudio.node';
import { ModelsLabImage } from '../../nodes/ModelsLabImage/ModelsLabImage.node';
import { ModelsLabImageEditing } from '../../nodes/ModelsLabImageEditing/ModelsLabImageEditing.node';
import { ModelsLabInterior } from '../../nodes/ModelsLabInterior/ModelsLabInterior.node';
import { ModelsLabTraining } from '../../nodes/ModelsLabTraining/ModelsLabTraining.node';
import { ModelsLabVideo } from '../../nodes/ModelsLabVideo/ModelsLabVideo.node';
import { ModelsLabWorkflow } from '../../nodes/ModelsLabWorkflow/ModelsLabWorkflow.node';
import type { Category } from '../../nodes/shared/catalog/types';

/** One instance of each action node, by the catalog category it serves. */
export const ACTION_NODES: Record<Category, INodeType> = {
	image: new ModelsLabImage(),
	video: new ModelsLabVideo(),
	audio: new ModelsLabAudio(),
	threeD: new ModelsLab3d(),
	imageEditing: new ModelsLabImageEditing(),
	interior: new ModelsLabInterior(),
	training: new ModelsLabTraining(),
	workflow: new ModelsLabWorkflow(),
};
