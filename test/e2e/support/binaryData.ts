// The bytes n8n stored for a binary property: inline base64 (1.x default mode) or fetched from
// /rest/binary-data with the owner's cookie (2.x stores binaries on the filesystem; the queue
// deployment in the database, which the main serves the same way).
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { assertLoopback, httpJson } from '../../../scripts/n8n/http';
import type { BinaryRef } from './executions';
import type { E2eStack } from './stack';

const cookies = new Map<string, { cookie: string; browserId: string }>();

async function ownerCookie(stack: E2eStack): Promise<{ cookie: string; browserId: string }> {
	const known = cookies.get(stack.n8n.baseUrl);
	if (known) return known;
	const browserId = randomBytes(16).toString('hex');
	const { res } = await httpJson({
		method: 'POST',
		url: `${stack.n8n.baseUrl}/rest/login`,
		headers: { 'browser-id': browserId },
		body: { emailOrLdapLoginId: stack.n8n.owner.email, password: stack.n8n.owner.password },
	});
	const raw = res.headers['set-cookie'];
	const cookie = (Array.isArray(raw) ? raw : [raw ?? ''])
		.map((c) => c.split(';')[0])
		.find((c) => c.startsWith('n8n-auth='));
	if (!cookie) throw new Error('login gave no n8n-auth cookie');
	const session = { cookie, browserId };
	cookies.set(stack.n8n.baseUrl, session);
	return session;
}

/** GET returning raw bytes (scripts/n8n's http() decodes text); fresh socket per call. */
export function getBytes(
	url: string,
	headers: Record<string, string> = {},
): Promise<{ status: number; contentType: string; body: Buffer }> {
	const u = assertLoopback(url);
	return new Promise((resolve, reject) => {
		const r = request(
			{
				hostname: u.hostname,
				port: u.port,
				path: `${u.pathname}${u.search}`,
				headers,
				agent: false,
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('error', reject);
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						contentType: String(res.headers['content-type'] ?? ''),
						body: Buffer.concat(chunks),
					}),
				);
			},
		);
		r.setTimeout(30_000, () => r.destroy(new Error(`GET ${url} timed out`)));
		r.on('error', reject);
		r.end();
	});
}

export async function storedBinary(stack: E2eStack, ref: BinaryRef): Promise<Buffer> {
	if (!ref.id) return Buffer.from(ref.data, 'base64');
	const { cookie, browserId } = await ownerCookie(stack);
	const url = `${stack.n8n.baseUrl}/rest/binary-data?id=${encodeURIComponent(ref.id)}&action=download`;
	const res = await getBytes(url, { cookie, 'browser-id': browserId });
	if (res.status !== 200)
		throw new Error(`GET ${url} -> ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
	return res.body;
}
