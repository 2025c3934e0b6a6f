import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Category } from '../../nodes/shared/catalog/types';

/**
 * The node types and operations (v6, v7 and the families added 2026-12-07) contract.md fixes;
 * saved workflows depend on them.
 */
export const CONTRACT_OPERATIONS: Record<Category, { nodeType: string; operations: string[] }> = {
	image: {
		nodeType: 'modelsLabImage',
		operations: [
			'text2img',
			'img2img',
			'inpaint',
			'controlnet',
			'realtime_text2img',
			'realtime_img2img',
			'realtime_inpaint',
			'getResult',
			'v7_text_to_image',
			'v7_image_to_image',
			'v7_inpaint',
		],
	},
	video: {
		nodeType: 'modelsLabVideo',
		operations: [
			'text2video',
			'img2video',
			'text2video_ultra',
			'img2video_ultra',
			'watermark_remover',
			'getResult',
			'v7_text_to_video',
			'v7_image_to_video',
			'v7_video_to_video',
			'v7_lip_sync',
			'v7_motion_control',
		],
	},
	audio: {
		nodeType: 'modelsLabAudio',
		operations: [
			'text_to_speech',
			'voice_to_voice',
			'music_gen',
			'song_generator',
			'text_to_audio',
			'voice_cover',
			'sfx',
			'speech_to_text',
			'lyrics_generator',
			'getResult',
			'v7_text_to_speech',
			'v7_speech_to_text',
			'v7_speech_to_speech',
			'v7_music_gen',
			'v7_sound_generation',
			'v7_create_dubbing',
			'v7_song_extender',
			'v7_song_inpaint',
		],
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
			'flux_kontext',
			'getResult',
		],
	},
	interior: {
		nodeType: 'modelsLabInterior',
		operations: [
			'make',
			'room_decorator',
			'floor_planning',
			'scenario_changer',
			'sketch_rendering',
			'exterior_restorer',
			'object_removal',
			'interior_mixer',
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
