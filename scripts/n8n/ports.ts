// Free loopback TCP ports (asked from the kernel, released right away for n8n to bind).
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			srv.close(() =>
				addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port')),
			);
		});
	});
}

/** Distinct ports: the same one could come back twice once the first is released. */
export async function freePorts(n: number): Promise<number[]> {
	const out: number[] = [];
	while (out.length < n) {
		const p = await freePort();
		if (!out.includes(p)) out.push(p);
	}
	return out;
}
