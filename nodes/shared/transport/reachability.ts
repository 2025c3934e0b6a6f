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
