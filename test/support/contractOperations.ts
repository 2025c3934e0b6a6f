import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Category } from '../../nodes/shared/catalog/types';

/** The node types and operations contract.md fixes; saved workflows depend on them. */
export const CONTRACT_OPERATIONS: Record<Category, { nodeType: string; operations: string[] }> = {
	image: {
		nodeType: 'modelsLabImage',
		operations: ['text2img', 'img2img', 'inpaint', 'controlnet', 'getResult'],
	},
	video: {
		nodeType: 'modelsLabVideo',
		operations: ['text2video', 'img2video', 'text2video_ultra', 'img2video_ultra', 'getResult'],
	},
	audio: {
		nodeType: 'modelsLabAudio',
		operations: ['text_to_speech', 'voice_to_voice', 'music_gen', 'song_generator', 'getResult'],
	},
	threeD: { nodeType: 'modelsLab3d', operations: ['text_to_3d', 'image_to_3d', 'getResult'] },
	imageEditing: {
		nodeType: 'modelsLabImageEditing',
		operations: [
			'removebg_mask',
			'super_resolution',
			'outpaint',
			'object_removal',
			'mask_creator',
			'inpaint',
			'fashion',
			'head_shot',
			'flux_headshot',
			'face_gen',
			'img_mixer',
			'qwen_edit',
			'caption',
			'single_face_swap',
			'multiple_face_swap',
			'single_video_swap',
			'specific_video_swap',
			'getResult',
		],
	},
	training: {
		nodeType: 'modelsLabTraining',
		operations: ['lora_fine_tune', 'fine_tune', 'getStatus'],
	},
	workflow: { nodeType: 'modelsLabWorkflow', operations: ['run', 'getRun'] },
};

/**
 * The documents that fix the public names: docs/public-names.md in the repo, and the project's
 * own contract (contract.md in the shared folder beside the repo, where it exists: CI has it).
 */
export function contractDocuments(): Array<{ name: string; text: string }> {
	const paths = [
		join(__dirname, '..', '..', 'docs', 'public-names.md'),
		join(__dirname, '..', '..', '..', 'shared', 'contract.md'),
	];
	return paths
		.filter((path) => existsSync(path))
		.map((path) => ({ name: path, text: readFileSync(path, 'utf8') }));
}
