// The internal /rest session (owner cookie): owner setup, login, API key, node types.
import { randomBytes } from 'node:crypto';
import { httpJson, type HttpResponse } from './http';

export interface OwnerCredentials {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export function newOwner(): OwnerCredentials {
	// n8n demands 8-64 chars with a digit and an uppercase letter.
	return {
		email: 'owner@n8n-nodes-modelslab.test',
		password: `Ml-${randomBytes(9).toString('hex')}A1`,
		firstName: 'Model',
		lastName: 'Slab',
	};
}

function authCookie(res: HttpResponse): string {
	const raw = res.headers['set-cookie'];
	const cookies = Array.isArray(raw) ? raw : raw ? [raw] : [];
	const hit = cookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
	if (!hit) throw new Error(`no n8n-auth cookie in response (${res.status})`);
	return hit;
}

export class RestSession {
	/** The auth cookie is bound to this header: every /rest call must repeat it. */
	readonly browserId = randomBytes(16).toString('hex');
	private cookie = '';

	constructor(readonly baseUrl: string) {}

	private headers(): Record<string, string> {
		return { 'browser-id': this.browserId, ...(this.cookie ? { cookie: this.cookie } : {}) };
	}

	async request<T>(method: string, path: string, body?: unknown): Promise<T> {
		const { body: out } = await httpJson<T>({
			method,
			url: `${this.baseUrl}${path}`,
			headers: this.headers(),
			body,
		});
		return out;
	}

	/** Creates the owner (only possible while none exists) and keeps its cookie. */
	async setupOwner(o: OwnerCredentials): Promise<void> {
		const { res } = await httpJson({
			method: 'POST',
			url: `${this.baseUrl}/rest/owner/setup`,
			headers: this.headers(),
			body: o,
		});
		this.cookie = authCookie(res);
	}

	async login(o: OwnerCredentials): Promise<void> {
		const { res } = await httpJson({
			method: 'POST',
			url: `${this.baseUrl}/rest/login`,
			headers: this.headers(),
			body: { emailOrLdapLoginId: o.email, password: o.password },
		});
		this.cookie = authCookie(res);
	}

	/** A non-expiring API key with every scope this n8n offers (38 on 1.123, 106 on 2.41). */
	async createApiKey(label: string): Promise<string> {
		const scopes = await this.request<{ data: string[] }>('GET', '/rest/api-keys/scopes');
		const made = await this.request<{ data: { rawApiKey: string } }>('POST', '/rest/api-keys', {
			label,
			expiresAt: null,
			scopes: scopes.data,
		});
		return made.data.rawApiKey;
	}

	/** Every node type the running n8n loaded (needs the cookie on 1.123+ / 2.x). */
	async nodeTypes(): Promise<
		Array<{ name: string; displayName: string; version: number | number[] }>
	> {
		return this.request('GET', '/types/nodes.json');
	}
}
