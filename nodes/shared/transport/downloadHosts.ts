/**
 * Which hosts a download may reach, hop by hop. An output URL that nobody vouched for (a trigger
 * callback that was not verified) is held against an allowlist at every redirect; any other one
 * (ModelsLab's own answer, a MAC-checked callback) may not be redirected from a public host to a
 * loopback, private or link-local address. Neither looks up DNS: a host name that resolves to a
 * private address is n8n's own SSRF protection's to refuse (n8n 2.x checks every request we send,
 * each redirect hop included, when it is on).
 */

/**
 * Where ModelsLab serves output files: the hosts of the outputs in ModelsLab's documented examples
 * (docs/modelslab-api.md §6). Exact names: a namespace like `*.r2.dev` holds anyone's bucket.
 */
export const MODELSLAB_OUTPUT_HOSTS: readonly string[] = [
	'pub-3626123a908346a7a8be8d9295f44e26.r2.dev',
	'pub-8b49af329fae499aa563997f5d4068a4.r2.dev',
	'assets.modelslab.ai',
	'assets.modelslab.com',
	'cdn.modelslab.com',
	'modelslab-bom.s3.amazonaws.com',
	'd1okzptojspljx.cloudfront.net',
	'd9jy2smsrdjcq.cloudfront.net',
	'cdn2.stablediffusionapi.com',
];

/**
 * The allowed hosts: the list given (comma-separated), else ModelsLab's plus the Base URL's origin
 * (host and port: another port of the same host is another server).
 */
export function outputHostsOf(
	configured: string | undefined,
	baseUrl: string | undefined,
): string[] {
	const listed = String(configured ?? '')
		.split(',')
		.map((host) => host.trim().toLowerCase())
		.filter(Boolean);
	if (listed.length) return listed;
	const apiHost = parseUrl(baseUrl ?? '')?.host.toLowerCase();
	return [...MODELSLAB_OUTPUT_HOSTS, ...(apiHost ? [apiHost] : [])];
}

/** `*.example.com`: its subdomains; `host:port`: that origin's host and port; `host`: any port. */
export function hostAllowed(url: string, allowedHosts: readonly string[]): boolean {
	const parsed = parseUrl(url);
	if (!parsed || !isHttp(parsed)) return false;
	const hostname = parsed.hostname.toLowerCase();
	const host = parsed.host.toLowerCase();
	return allowedHosts.some((pattern) => {
		if (pattern.startsWith('*.')) return hostname.endsWith(pattern.slice(1));
		return hostname === pattern || host === pattern;
	});
}

/**
 * Why the redirect from `from` to `to` may not be followed; undefined when it may. With an
 * allowlist every hop must be on it; without one a hop may not leave public hosts for a private
 * address (a local proxy or simulator redirecting within its own network still works).
 */
export function refusedRedirect(
	from: string,
	to: string,
	allowedHosts: readonly string[] | undefined,
): string | undefined {
	const target = parseUrl(to);
	if (!target || !isHttp(target)) return 'it redirects to a URL that is not http(s)';
	if (allowedHosts) {
		return hostAllowed(to, allowedHosts)
			? undefined
			: `it redirects to ${target.host}, which is not one of ModelsLab's output hosts`;
	}
	const source = parseUrl(from);
	if (isPrivateHost(target.hostname) && !(source && isPrivateHost(source.hostname)))
		return `it redirects from a public host to the private address ${target.host}`;
	return undefined;
}

/**
 * Loopback, private, link-local, carrier-grade NAT and reserved addresses, and `localhost`, as
 * the URL writes them (the WHATWG parser has already turned `0x7f.1` or `2130706433` into
 * `127.0.0.1`).
 */
export function isPrivateHost(hostname: string): boolean {
	const host = hostname
		.toLowerCase()
		.replace(/^\[|\]$/g, '')
		.replace(/\.$/, '');
	if (host === 'localhost' || host.endsWith('.localhost')) return true;
	const v4 = ipv4Octets(host);
	if (v4) return isPrivateIpv4(v4);
	return host.includes(':') && isPrivateIpv6(host);
}

function isPrivateIpv4([a, b]: number[]): boolean {
	return (
		a === 0 ||
		a === 10 ||
		a === 127 ||
		a >= 224 ||
		(a === 100 && b >= 64 && b <= 127) ||
		(a === 169 && b === 254) ||
		(a === 172 && b >= 16 && b <= 31) ||
		(a === 192 && b === 168) ||
		(a === 192 && b === 0) ||
		(a === 198 && (b === 18 || b === 19))
	);
}

function isPrivateIpv6(host: string): boolean {
	const hextets = expandIpv6(host);
	if (!hextets) return true; // Not an address we can read: treat as not public.
	if (hextets.slice(0, 7).every((h) => h === 0) && hextets[7] <= 1) return true; // :: and ::1
	const first = hextets[0];
	if ((first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00)
		return true; // unique local, link-local, multicast
	// IPv4-mapped (::ffff:a.b.c.d): the IPv4 address decides.
	if (hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff)
		return isPrivateIpv4([hextets[6] >> 8, hextets[6] & 0xff]);
	return false;
}

/** Eight 16-bit groups of an IPv6 address in the form the URL parser writes it. */
function expandIpv6(host: string): number[] | undefined {
	const halves = host.split('::');
	if (halves.length > 2) return undefined;
	const groups = (part: string): string[] => (part ? part.split(':') : []);
	const head = groups(halves[0]);
	const tail = halves.length === 2 ? groups(halves[1]) : [];
	const missing = 8 - head.length - tail.length;
	if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
	const all = [...head, ...Array<string>(missing).fill('0'), ...tail];
	const values = all.map((group) => (/^[0-9a-f]{1,4}$/.test(group) ? parseInt(group, 16) : NaN));
	return values.some(Number.isNaN) ? undefined : values;
}

function ipv4Octets(host: string): number[] | undefined {
	const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
	if (!match) return undefined;
	const octets = match.slice(1).map(Number);
	return octets.every((octet) => octet <= 255) ? octets : undefined;
}

function parseUrl(url: string): URL | undefined {
	try {
		return new URL(url);
	} catch {
		return undefined;
	}
}

function isHttp(url: URL): boolean {
	return url.protocol === 'http:' || url.protocol === 'https:';
}
