import type { IDataObject } from 'n8n-workflow';

import type { DownloadSettings } from '../transport/download';
import { DEFAULT_BINARY_PROPERTY, DEFAULT_MAX_DOWNLOAD_MB, OPTION } from './commonParameters';

/** Options → Download Outputs, Binary Property and Max Download Size, as the transport needs them. */
export function downloadSettings(options: IDataObject): DownloadSettings {
	return {
		enabled: options[OPTION.downloadOutputs] === true,
		binaryPropertyName: String(options[OPTION.binaryPropertyName] || DEFAULT_BINARY_PROPERTY),
		maxBytes: Number(options[OPTION.maxDownloadSizeMb] || DEFAULT_MAX_DOWNLOAD_MB) * 1_048_576,
	};
}
