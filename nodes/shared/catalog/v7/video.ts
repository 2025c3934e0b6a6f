import type { FieldSpec, SubmitEndpointSpec } from '../types';
import { aspectRatio, audio, image, prompt, seconds, video } from './fields';
import { v7Operation } from './operation';

/**
 * v7 video operations, under `/api/v7/video-fusion/`: one entry per operation, each provider model
 * with its own fields, as ModelsLab's Python SDK lists them (docs/modelslab-api.md, "Video" and
 * "Sources"). Always asynchronous; results are read at the family's v7 fetch path.
 */
const V7_VIDEO_FETCH = '/v7/video-fusion/fetch/{id}';

const KLING_SECONDS = ['5', '10'] as const;
const KLING_RATIOS = ['16:9', '9:16', '1:1'] as const;
const SEEDANCE_RATIOS = ['16:9', '4:3', '1:1', '9:21'] as const;
const SORA_RATIOS = ['16:9', '9:16'] as const;
// The SDK writes 4s, 8s, 12s (Sora) and 6s, 10s (Hailuo); whether the wire value carries the "s"
// is unconfirmed. We send the bare number as text, like the Kling durations the SDK's README sends.
const SORA_SECONDS = ['4', '8', '12'] as const;
const HAILUO_SECONDS = ['6', '10'] as const;
const ALEPH_RATIOS = [
	'1280:720',
	'720:1280',
	'1104:832',
	'960:960',
	'832:1104',
	'1584:672',
	'848:480',
] as const;

const scene = prompt('What the video should show');
const motion = prompt('What should happen in the video: action, camera, mood');
const startImage = image('Image the video starts from');
const toggle = (name: string, description: string): FieldSpec => ({
	name,
	kind: 'boolean',
	default: false,
	description,
});

const EXAMPLE_IMAGE = 'https://example.com/portrait.png';
const EXAMPLE_AUDIO = 'https://example.com/speech.mp3';
const EXAMPLE_VIDEO = 'https://example.com/clip.mp4';

export const v7TextToVideo: SubmitEndpointSpec = v7Operation({
	category: 'video',
	operation: 'v7_text_to_video',
	displayName: 'Text to Video (Provider Models)',
	action: 'Generate a video from text with a provider model',
	description:
		'Generate a video from a prompt with a provider model: Kling, Seedance, Hailuo, Wan 2.5, Sora 2',
	path: '/v7/video-fusion/text-to-video',
	fetchPath: V7_VIDEO_FETCH,
	models: [
		{
			id: 'kling-v2-5-turbo-t2v',
			provider: 'Kling AI',
			displayName: 'Kling 2.5 Turbo',
			fields: [scene, seconds(KLING_SECONDS, true), aspectRatio(KLING_RATIOS, true)],
			example: { prompt: 'a paper boat on a stream', duration: '5', aspect_ratio: '16:9' },
		},
		{
			id: 'kling-v2-master-t2v',
			provider: 'Kling AI',
			displayName: 'Kling 2.0 Master',
			fields: [scene, seconds(KLING_SECONDS, true)],
			example: { prompt: 'a paper boat on a stream', duration: '5' },
		},
		{
			id: 'kling-v2-1-master-t2v',
			provider: 'Kling AI',
			displayName: 'Kling 2.1 Master',
			fields: [scene, seconds(KLING_SECONDS, true)],
			example: { prompt: 'a paper boat on a stream', duration: '10' },
		},
		{
			id: 'seedance-t2v',
			provider: 'ByteDance',
			displayName: 'Seedance',
			fields: [
				scene,
				aspectRatio(SEEDANCE_RATIOS, false),
				{
					name: 'resolution',
					kind: 'options',
					options: ['720p', '480p'],
					default: '720p',
					description: 'Height of the video',
				},
				toggle('camera_fixed', 'Whether the camera stays still'),
			],
			example: { prompt: 'a paper boat on a stream' },
		},
		{
			id: 'seedance-1.0-pro-fast-t2v',
			provider: 'ByteDance',
			displayName: 'Seedance 1.0 Pro Fast',
			fields: [scene],
			example: { prompt: 'a paper boat on a stream' },
		},
		{
			id: 'Hailuo-2.3-t2v',
			provider: 'MiniMax',
			displayName: 'Hailuo 2.3',
			fields: [scene],
			example: { prompt: 'a paper boat on a stream' },
		},
		{
			id: 'Hailuo-02-t2v',
			provider: 'MiniMax',
			displayName: 'Hailuo 02',
			fields: [scene],
			example: { prompt: 'a paper boat on a stream' },
		},
		{
			id: 'wan2.5-t2v',
			provider: 'Alibaba',
			displayName: 'Wan 2.5',
			// Both SDKs require an audio track here, even without an image; unconfirmed by the API.
			fields: [
				scene,
				audio('Audio the video is made to (speech or music)'),
				toggle('enhance_prompt', 'Whether ModelsLab may rewrite the prompt for a better result'),
				toggle('generate_audio', 'Whether to generate a soundtrack for the video'),
			],
			example: { prompt: 'a singer on a stage', init_audio: EXAMPLE_AUDIO },
			notice:
				'Wan 2.5 takes an audio track even for text to video (both ModelsLab SDKs require it)',
		},
		{
			id: 'sora-2',
			provider: 'OpenAI',
			displayName: 'Sora 2',
			fields: [scene, aspectRatio(SORA_RATIOS, false), seconds(SORA_SECONDS, false)],
			example: { prompt: 'a paper boat on a stream' },
		},
	],
});

const klingImage = (id: string, displayName: string) => ({
	id,
	provider: 'Kling AI',
	displayName,
	fields: [startImage, motion, seconds(KLING_SECONDS, true)],
	example: { init_image: EXAMPLE_IMAGE, prompt: 'she turns and smiles', duration: '5' },
});

const hailuoImage = (id: string, displayName: string, duration: boolean) => ({
	id,
	provider: 'MiniMax',
	displayName,
	fields: duration
		? // The SDK's text gives 6 as the default length.
			[startImage, motion, { ...seconds(HAILUO_SECONDS, false), default: '6' }]
		: [startImage, motion],
	example: { init_image: EXAMPLE_IMAGE, prompt: 'she turns and smiles' },
});

const seedanceImage = (id: string, displayName: string, list: boolean) => ({
	id,
	provider: 'ByteDance',
	displayName,
	// The SDK takes a list for Seedance 1.0 Pro only.
	fields: [list ? image('Images the video is made from', { list: true }) : startImage, motion],
	example: { init_image: list ? [EXAMPLE_IMAGE] : EXAMPLE_IMAGE, prompt: 'she turns and smiles' },
});

export const v7ImageToVideo: SubmitEndpointSpec = v7Operation({
	category: 'video',
	operation: 'v7_image_to_video',
	displayName: 'Image to Video (Provider Models)',
	action: 'Animate an image with a provider model',
	description:
		'Animate an image with a provider model: Kling, Seedance, Hailuo, Wan 2.5, OmniHuman talking avatars',
	path: '/v7/video-fusion/image-to-video',
	fetchPath: V7_VIDEO_FETCH,
	models: [
		klingImage('Kling-V2-5-Turbo-i2v', 'Kling 2.5 Turbo'),
		klingImage('kling-v2-1-i2v', 'Kling 2.1'),
		klingImage('kling-v2-master-i2v', 'Kling 2.0 Master'),
		klingImage('kling-v2-1-master-i2v', 'Kling 2.1 Master'),
		seedanceImage('seedance-i2v', 'Seedance', false),
		seedanceImage('seedance-1.0-pro-i2v', 'Seedance 1.0 Pro', true),
		seedanceImage('seedance-1.0-pro-fast-i2v', 'Seedance 1.0 Pro Fast', false),
		{
			id: 'omni-human',
			provider: 'ByteDance',
			displayName: 'OmniHuman',
			// No prompt in the Python SDK for this model.
			fields: [
				image('Portrait of the person who speaks'),
				audio('Speech the person says, under 30 seconds'),
			],
			example: { init_image: EXAMPLE_IMAGE, init_audio: EXAMPLE_AUDIO },
		},
		{
			id: 'omni-human-1.5',
			provider: 'ByteDance',
			displayName: 'OmniHuman 1.5',
			fields: [
				image('Portrait of the person who speaks'),
				audio('Speech the person says'),
				prompt('How the person should move and perform'),
			],
			example: {
				init_image: EXAMPLE_IMAGE,
				init_audio: EXAMPLE_AUDIO,
				prompt: 'calm, looking at the camera',
			},
		},
		hailuoImage('Hailuo-2.3-i2v', 'Hailuo 2.3', true),
		hailuoImage('Hailuo-2.3-Fast-i2v', 'Hailuo 2.3 Fast', true),
		hailuoImage('Hailuo-02-i2v', 'Hailuo 02', false),
		{
			id: 'Hailuo-02-start-end-frame',
			provider: 'MiniMax',
			displayName: 'Hailuo 02 Start and End Frame',
			// The SDK takes a list; that the first is the start frame is our reading of its purpose.
			fields: [
				image('Two images: the first frame, then the last frame', { list: true, max: 2 }),
				motion,
			],
			example: {
				init_image: [EXAMPLE_IMAGE, 'https://example.com/last-frame.png'],
				prompt: 'the flower opens',
			},
		},
		{
			id: 'wan2.5-i2v',
			provider: 'Alibaba',
			displayName: 'Wan 2.5',
			fields: [
				startImage,
				audio('WAV or MP3 audio the video is made to; ModelsLab trims it to 5 to 10 seconds'),
				motion,
			],
			example: { init_image: EXAMPLE_IMAGE, init_audio: EXAMPLE_AUDIO, prompt: 'she sings' },
		},
	],
});

export const v7VideoToVideo: SubmitEndpointSpec = v7Operation({
	category: 'video',
	operation: 'v7_video_to_video',
	displayName: 'Video to Video (Provider Models)',
	action: 'Transform a video with a provider model',
	description: 'Restyle or change a video guided by a prompt with Runway Gen-4 Aleph',
	path: '/v7/video-fusion/video-to-video',
	fetchPath: V7_VIDEO_FETCH,
	models: [
		{
			id: 'gen4_aleph',
			provider: 'Runway',
			displayName: 'Gen-4 Aleph',
			fields: [
				video('Video to transform: MP4, WebM, MOV or Ogg, at most 16 MB'),
				prompt('How to change the video', { maxLength: 1000 }),
				{
					...aspectRatio(ALEPH_RATIOS, true),
					description: 'Frame size of the output, width:height in pixels',
				},
				// The SDK lists low and auto; docs-v2's tools reference also lists medium and high.
				{
					name: 'public_figure_threshold',
					kind: 'options',
					options: ['auto', 'low'],
					default: 'auto',
					description: 'How strictly recognisable public figures are moderated',
				},
			],
			example: { init_video: EXAMPLE_VIDEO, prompt: 'make it snow', aspect_ratio: '1280:720' },
		},
	],
});

export const v7LipSync: SubmitEndpointSpec = v7Operation({
	category: 'video',
	operation: 'v7_lip_sync',
	displayName: 'Lip Sync (Provider Models)',
	action: 'Sync the lips in a video to speech',
	description: 'Make the face in a video speak a new audio track with Sync Labs Lipsync 2',
	path: '/v7/video-fusion/lip-sync',
	fetchPath: V7_VIDEO_FETCH,
	models: [
		{
			id: 'lipsync-2',
			provider: 'Sync Labs',
			displayName: 'Lipsync 2',
			fields: [video('Video of the face to re-sync'), audio('Speech the lips should follow')],
			example: { init_video: EXAMPLE_VIDEO, init_audio: EXAMPLE_AUDIO },
		},
	],
});

// No SDK model posts here. The fields are those of docs-v2's tools reference; ModelsLab's skills
// name `kling-motion-control`, unconfirmed, so the model is chosen by ID ("Other Model").
export const v7MotionControl: SubmitEndpointSpec = v7Operation({
	category: 'video',
	operation: 'v7_motion_control',
	displayName: 'Motion Control (Provider Models)',
	action: 'Move a character like a reference video',
	description:
		'Animate the character of an image with the motion of a reference video, with a v7 model chosen by its ID',
	path: '/v7/video-fusion/motion-control',
	fetchPath: V7_VIDEO_FETCH,
	models: [],
	fields: [
		image('Image of the character to animate'),
		video('Video whose motion the character copies'),
		{
			name: 'character_orientation',
			kind: 'options',
			required: true,
			options: ['image', 'video'],
			default: 'image',
			description: 'Whether the character faces as in the image or as in the video',
		},
		prompt('Extra guidance for the video, at most 2500 characters', {
			required: false,
			maxLength: 2500,
		}),
		{
			name: 'mode',
			kind: 'options',
			options: ['std', 'pro'],
			default: 'std',
			description: 'Quality mode: std (standard) or pro',
		},
		{
			name: 'keep_original_sound',
			kind: 'yesNo',
			default: false,
			description: "Whether the output keeps the reference video's sound",
		},
	],
	example: {
		model_id: 'kling-motion-control',
		init_image: EXAMPLE_IMAGE,
		init_video: EXAMPLE_VIDEO,
		character_orientation: 'image',
	},
});

export const V7_VIDEO_ENDPOINTS = [
	v7TextToVideo,
	v7ImageToVideo,
	v7VideoToVideo,
	v7LipSync,
	v7MotionControl,
] as const;
