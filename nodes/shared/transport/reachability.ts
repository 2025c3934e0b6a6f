import { withoutUrlSecrets } from './redact';

/**
 * Whether ModelsLab could call back a URL at all. A resume URL on a loopback or private address
 * (n8n without WEBHOOK_URL builds `http://localhost:5678/...`) is unreachable from ModelsLab's
 * servers, so a callback-mode job submitted with it would only ever end at the wait limit.
 */

/** Loopback, private, link-local and carrier-grade NAT ranges (RFC 1918, 6598, 3927, 4193, 4291). */
const PRIVATE_IPV4 = [
	[10, 0, 8],
	[127, 0, 8],
	[169, 254, 16],
	[172, 16, 12],
	[192, 168, 16],
	[100, 64, 10],
	[0, 0, 8],
] as const;

function ipv4Private(host: string): boolean | undefined {
	const parts = host.split('.');
	if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return undefined;
	const value = parts.reduce((sum, part) => sum * 256 + Number(part), 0);
	return PRIVATE_IPV4.some(([a, b, bits]) => {
		const base = (a * 256 + b) * 65_536;
		const size = 2 ** (32 - bits);
		return value >= base && value < base + size;
	});
}

function ipv6Private(host: string): boolean | undefined {
	if (!host.includes(':')) return undefined;
	const lower = host.toLowerCase();
	if (lower === '::1' || lower === '::') return true;
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
	if (mapped) return ipv4Private(mapped[1]);
	return /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
}

/**
 * True for hosts the public internet cannot reach: loopback and private addresses, `localhost`,
 * `*.localhost`, `*.local`, `*.internal` and single-label names (a Docker service name like `n8n`).
 */
export function isPrivateHost(hostname: string): boolean {
	const host = hostname
		.replace(/^\[|\]$/g, '')
		.replace(/\.$/, '')
		.toLowerCase();
	const ip = ipv4Private(host) ?? ipv6Private(host);
	if (ip !== undefined) return ip;
	if (host === 'localhost' || /\.(localhost|local|internal|lan|home\.arpa)$/.test(host))
		return true;
	return !host.includes('.');
}

/**
 * Why ModelsLab at `baseUrl` cannot reach `callbackUrl`, or undefined when it may. A private base
 * URL (a local simulator, a proxy on the same network) may well reach a private callback URL.
 */
export function unreachableCallbackReason(
	callbackUrl: string,
	baseUrl: string,
): string | undefined {
	let callbackHost: string;
	let apiHost: string;
	try {
		callbackHost = new URL(callbackUrl).hostname;
		apiHost = new URL(baseUrl).hostname;
	} catch {
		return undefined;
	}
	if (isPrivateHost(apiHost) || !isPrivateHost(callbackHost)) return undefined;
	return `n8n's resume URL points at ${callbackHost}, which ModelsLab (${apiHost}) cannot reach from the internet`;
}

/** The parts of n8n's request helper the reachability checks use. */
interface SelfRequestContext {
	helpers: {
		httpRequest(options: {
			method: 'POST';
			url: string;
			body: object;
			json: true;
			returnFullResponse: true;
			ignoreHttpStatusErrors: true;
			disableFollowRedirect: true;
			timeout: number;
		}): Promise<unknown>;
	};
}

interface SelfAnswer {
	statusCode: number;
	body: unknown;
}

/** n8n's own answer about a waiting execution, by its message (webhooks/waiting-webhooks). */
function n8nSays(answer: SelfAnswer): 'running' | 'gone' | undefined {
	const message = String((answer.body as { message?: unknown } | null)?.message ?? '');
	if (!/execution/i.test(message)) return undefined;
	if (answer.statusCode === 409 && /running already/i.test(message)) return 'running';
	if (answer.statusCode === 409 || answer.statusCode === 404) return 'gone';
	return undefined;
}

async function postSelf(context: SelfRequestContext, url: string): Promise<SelfAnswer | string> {
	try {
		return (await context.helpers.httpRequest({
			method: 'POST',
			url,
			body: {},
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: 15_000,
		})) as SelfAnswer;
	} catch (error) {
		return withoutUrlSecrets(error instanceof Error ? error.message : String(error));
	}
}

/**
 * Whether n8n reaches its own resume URL (`url`, the waiting node's callback URL), asked while the
 * node runs: n8n then answers that the execution is running (or not saved yet). Returns what went
 * wrong, or undefined when n8n answered. Without that route the run's wake-ups take n8n's timed
 * resume instead (completion/runStep.ts).
 */
export async function probeOwnUrl(
	context: SelfRequestContext,
	url: string,
): Promise<string | undefined> {
	const answer = await postSelf(context, url);
	if (typeof answer === 'string') return answer;
	if (n8nSays(answer)) return undefined;
	return `HTTP ${answer.statusCode} came back instead of n8n's own answer (a proxy, a login page or another server answers that URL)`;
}

/**
 * Asks n8n to run a waiting node's resume webhook: `delivered` when it did, `running` when the
 * execution runs (a step is under way), `gone` when it finished; else what went wrong.
 */
export async function postToOwnUrl(context: SelfRequestContext, url: string): Promise<string> {
	const answer = await postSelf(context, url);
	if (typeof answer === 'string') return answer;
	if (answer.statusCode >= 200 && answer.statusCode < 300) return 'delivered';
	return n8nSays(answer) ?? `HTTP ${answer.statusCode}`;
}
