import {
	ICredentialsHelper,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type IDataObject,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INodeProperties,
	type IRequestOptionsSimplified,
} from 'n8n-workflow';

import { ModelsLabApi } from '../../credentials/ModelsLabApi.credentials';

/**
 * Resolves `={{$credentials.name}}` the way n8n's credentials helper does for generic auth.
 * Only property access on $credentials appears in this package's credential.
 */
function resolveCredentialExpression(
	value: string,
	credentials: ICredentialDataDecryptedObject,
): string {
	if (!value.startsWith('=')) return value;
	return value
		.slice(1)
		.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_m, name: string) =>
			String(credentials[name] ?? ''),
		);
}

/**
 * The part of n8n's CredentialsHelper that in-process runs need: decrypted data per type, and the
 * credential's generic `authenticate` applied to each request (body key + header key).
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	readonly authenticatedRequests: IHttpRequestOptions[] = [];

	constructor(private readonly store: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		const options = requestOptions as IHttpRequestOptions;
		if (typeName !== 'modelsLabApi') throw new Error(`No test authentication for ${typeName}`);
		const { properties } = new ModelsLabApi().authenticate;
		for (const target of ['body', 'headers', 'qs'] as const) {
			const extra = properties[target] as Record<string, string> | undefined;
			if (!extra) continue;
			const current = (options[target] ?? {}) as IDataObject;
			for (const [key, value] of Object.entries(extra))
				current[key] = resolveCredentialExpression(value, credentials);
			(options as unknown as Record<string, IDataObject>)[target] = current;
		}
		this.authenticatedRequests.push(options);
		return options;
	}

	async preAuthentication(
		_h: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return credentials;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('getCredentials is not used by these nodes');
	}

	async getDecrypted(
		_additionalData: unknown,
		_nodeCredentials: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.store[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		return { ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return new ModelsLabApi().properties;
	}
}
