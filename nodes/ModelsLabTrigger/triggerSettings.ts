import type { IDataObject, INode, IWebhookFunctions } from 'n8n-workflow';

import { downloadSettings } from '../shared/parameters/downloadSettings';
import { outputHostsOf, type DownloadSettings } from '../shared/transport/download';
import { CREDENTIAL_TYPE, type ModelsLabCredentials } from '../shared/transport/context';
import { compileTrackIdFilter } from './trackIdFilter';
import {
	CALLBACK_STATUSES,
	DEFAULT_MAX_CALLBACK_MB,
	GUESSABLE_PATH,
	TRIGGER_OPTION,
	TRIGGER_PARAM,
	type CallbackStatus,
} from './triggerProperties';

export interface TriggerSettings {
	trackIdFilter: string;
	/** Empty: every status. */
	statuses: CallbackStatus[];
	secret: string;
	verify: boolean;
	endpointFamily: string;
	maxBodyBytes: number;
	download: DownloadSettings;
	/** Hosts output files of unverified callbacks may be downloaded from. */
	outputHosts: readonly string[];
}

/** Reads the node's settings; the activation hook (IHookFunctions) can call it too. */
export function readTriggerSettings(
	context: Pick<IWebhookFunctions, 'getNodeParameter'>,
): TriggerSettings {
	const options = (context.getNodeParameter(TRIGGER_PARAM.options, {}) ?? {}) as IDataObject;
	const statuses = context.getNodeParameter(TRIGGER_PARAM.statuses, []) as unknown;
	const maxCallbackMb = Number(options[TRIGGER_OPTION.maxCallbackSizeMb]);
	return {
		trackIdFilter: String(context.getNodeParameter(TRIGGER_PARAM.trackId, '') ?? ''),
		statuses: Array.isArray(statuses) ? statuses.filter(isCallbackStatus) : [],
		secret: String(options[TRIGGER_OPTION.secret] ?? ''),
		verify: options[TRIGGER_OPTION.verifyWithModelsLab] === true,
		endpointFamily: String(options[TRIGGER_OPTION.endpointFamily] ?? ''),
		maxBodyBytes: (maxCallbackMb > 0 ? maxCallbackMb : DEFAULT_MAX_CALLBACK_MB) * 1_048_576,
		download: downloadSettings(options),
		outputHosts: outputHostsOf(undefined, undefined),
	};
}

export function statusWanted(settings: TriggerSettings, status: CallbackStatus): boolean {
	return settings.statuses.length === 0 || settings.statuses.includes(status);
}

/** What makes every callback fail whatever it holds: a broken Track ID filter, or verification without a credential. */
export function configurationProblem(settings: TriggerSettings, node: INode): string | undefined {
	const filter = compileTrackIdFilter(settings.trackIdFilter);
	if (!filter.ok) return filter.error;
	if (settings.verify && !node.credentials?.[CREDENTIAL_TYPE]) {
		return 'Verify With ModelsLab needs a ModelsLab credential on this node: select one, or turn the option off';
	}
	return undefined;
}

/**
 * What the activation logs when anyone who guesses the path can send callbacks: the panel shows the
 * same as a notice, but cannot see the credential's Trigger Secret.
 */
export function guessablePathWarning(path: string, secret: string): string | undefined {
	if (secret || !new RegExp(GUESSABLE_PATH).test(path)) return undefined;
	return `its path "${path}" is easy to guess and no Trigger Secret is set, so anyone who guesses the URL can send it callbacks: set a Trigger Secret in its ModelsLab credential and add ?token=<secret> to the URL you give ModelsLab, or use a path nobody can guess`;
}

function isCallbackStatus(value: unknown): value is CallbackStatus {
	return (CALLBACK_STATUSES as readonly unknown[]).includes(value);
}

/**
 * The settings that come from the node's ModelsLab credential, when it has one: the secret
 * callbacks must carry (the credential's Trigger Secret, else the deprecated Secret option, which
 * is stored in clear in the workflow), and the hosts unverified output files may come from.
 */
export async function withCredentialSettings(
	context: Pick<IWebhookFunctions, 'getNode' | 'getCredentials'>,
	settings: TriggerSettings,
): Promise<TriggerSettings> {
	const credentials = context.getNode().credentials?.[CREDENTIAL_TYPE]
		? await context.getCredentials<ModelsLabCredentials>(CREDENTIAL_TYPE)
		: undefined;
	return {
		...settings,
		secret: String(credentials?.webhookSecret ?? '') || settings.secret,
		outputHosts: outputHostsOf(credentials?.outputHosts, credentials?.baseUrl),
	};
}
