import type { INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_BINARY_PROPERTY,
	DEFAULT_MAX_DOWNLOAD_MB,
	OPTION,
} from '../shared/parameters/commonParameters';
import { ENDPOINT_FAMILIES } from './verifyCallback';

/** Parameter names; `path`, `trackId` and `statuses` are fixed by docs/public-names.md. */
export const TRIGGER_PARAM = {
	path: 'path',
	trackId: 'trackId',
	statuses: 'statuses',
	options: 'options',
} as const;

/**
 * Names inside Options. The download names are the action nodes' own, so their settings reader
 * is reused. No option may be called `binaryData`: n8n reads `options.binaryData` of a version 1
 * webhook node and then skips parsing the body.
 */
export const TRIGGER_OPTION = {
	secret: 'secret',
	verifyWithModelsLab: 'verifyWithModelsLab',
	endpointFamily: 'endpointFamily',
	maxCallbackSizeMb: 'maxCallbackSizeMb',
	downloadOutputs: OPTION.downloadOutputs,
	binaryPropertyName: OPTION.binaryPropertyName,
	maxDownloadSizeMb: OPTION.maxDownloadSizeMb,
} as const;

export const CALLBACK_STATUSES = ['success', 'failed', 'processing'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

export const DEFAULT_PATH = 'modelslab';

/**
 * A path a stranger could guess: short (the `modelslab` default of versions 1 and 1.1), or made of
 * words only. n8n's own unique ids (the 1.2 default) are neither.
 */
export const GUESSABLE_PATH = '^(?:.{1,15}|[A-Za-z_./-]+)$';
export const DEFAULT_MAX_CALLBACK_MB = 1;

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			"Submit jobs with <code>webhook</code> set to this node's Production URL (see Webhook URLs above) and a <code>track_id</code> of your own. ModelsLab must reach n8n from the internet: set n8n's <code>WEBHOOK_URL</code> to its public HTTPS address. With a Trigger Secret in the ModelsLab credential, add <code>?token=&lt;secret&gt;</code> to the URL you give ModelsLab.",
		name: 'usageNotice',
		type: 'notice',
		default: '',
	},
	{
		// The panel sees neither the credential's Trigger Secret nor (without breaking n8n 1.x's
		// parameter resolution) an option inside Options, so the notice names the way out.
		displayName:
			'This path is easy to guess. Unless the ModelsLab credential of this node has a Trigger Secret (and the URL you give ModelsLab ends in <code>?token=&lt;secret&gt;</code>), anyone who guesses it can send this trigger callbacks. Set one, or use a path nobody can guess.',
		name: 'guessablePathNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { [TRIGGER_PARAM.path]: [{ _cnd: { regex: GUESSABLE_PATH } }] } },
	},
	{
		displayName: 'Path',
		name: TRIGGER_PARAM.path,
		type: 'string',
		default: DEFAULT_PATH,
		required: true,
		placeholder: 'modelslab',
		description:
			'Path of the webhook URL after /webhook/. A hard-to-guess path keeps strangers away; each active workflow needs its own.',
		displayOptions: { show: { '@version': [1, 1.1] } },
	},
	{
		displayName: 'Path',
		name: TRIGGER_PARAM.path,
		type: 'string',
		// Empty: n8n's own id of this node, as for n8n's Webhook node: unique and hard to guess.
		default: '',
		placeholder: 'leave empty for a unique path',
		description:
			"Path of the webhook URL after /webhook/. Empty uses this node's unique ID (shown in the Webhook URLs above); each active workflow needs its own path.",
		displayOptions: { show: { '@version': [1.2] } },
	},
	{
		displayName: 'Track ID',
		name: TRIGGER_PARAM.trackId,
		type: 'string',
		default: '',
		placeholder: 'user42_*, /^order-\\d+$/',
		description:
			'Only start for callbacks whose track_id matches; empty starts for all. Comma-separated patterns: * matches any characters, /…/ is a regular expression. Training and Workflows callbacks carry no track_id: use * or leave empty to receive them.',
	},
	{
		displayName: 'Statuses',
		name: TRIGGER_PARAM.statuses,
		type: 'multiOptions',
		default: ['success', 'failed'],
		description: 'Job states that start the workflow; none selected starts for every state',
		options: [
			{
				name: 'Failed',
				value: 'failed',
				description: "The job failed; the item carries ModelsLab's message",
			},
			{
				name: 'Processing',
				value: 'processing',
				description: 'Interim callbacks, such as training progress',
			},
			{ name: 'Success', value: 'success', description: 'The job finished with its outputs' },
		],
	},
	{
		displayName: 'Options',
		name: TRIGGER_PARAM.options,
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Binary Property',
				name: TRIGGER_OPTION.binaryPropertyName,
				type: 'string',
				default: DEFAULT_BINARY_PROPERTY,
				description:
					'Name of the binary property of the first output; later outputs get a suffix such as _1 or _2',
			},
			{
				displayName: 'Download Outputs',
				name: TRIGGER_OPTION.downloadOutputs,
				type: 'boolean',
				default: false,
				description:
					'Whether to download each output file into a binary property. A download that fails leaves the item without files and with download_error. The callback is then answered before the download (ModelsLab waits 30 s at most), so its 2xx no longer waits for the execution to exist.',
			},
			{
				displayName: 'Endpoint Family',
				name: TRIGGER_OPTION.endpointFamily,
				type: 'options',
				default: 'images',
				description:
					'Used by Verify With ModelsLab: where generation jobs are read back, since a callback does not say which endpoint made it. Training jobs are always read from fine_tune_status.',
				options: ENDPOINT_FAMILIES.map((family) => ({
					name: family.label,
					value: family.value,
					description: family.fetchPath,
				})),
			},
			{
				displayName: 'Max Callback Size (MB)',
				name: TRIGGER_OPTION.maxCallbackSizeMb,
				type: 'number',
				default: DEFAULT_MAX_CALLBACK_MB,
				typeOptions: { minValue: 0.1, numberPrecision: 1 },
				description: 'A larger request body is refused with HTTP 413 and starts nothing',
			},
			{
				displayName: 'Max Download Size (MB)',
				name: TRIGGER_OPTION.maxDownloadSizeMb,
				type: 'number',
				default: DEFAULT_MAX_DOWNLOAD_MB,
				typeOptions: { minValue: 1 },
				description: 'A larger output file is not downloaded; the item gets download_error instead',
			},
			{
				displayName: 'Secret (Deprecated)',
				name: TRIGGER_OPTION.secret,
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'Use the Trigger Secret of a ModelsLab credential instead: this option is saved in clear in the workflow and its exports. Used only when the credential has no Trigger Secret. Only requests whose URL ends in ?token=&lt;secret&gt; are accepted; others get HTTP 401.',
			},
			{
				displayName: 'Verify With ModelsLab',
				name: TRIGGER_OPTION.verifyWithModelsLab,
				type: 'boolean',
				default: false,
				description:
					'Whether to read the job back from ModelsLab by its ID before starting, and use the status and outputs ModelsLab reports. Needs a ModelsLab credential on this node. A Workflows callback is read back under the workflow ID it names; one that names none starts nothing.',
			},
		],
	},
];
