import { createHash, timingSafeEqual } from 'crypto';

/** Query parameter carrying the secret: `<production URL>?token=<secret>`. */
export const SECRET_QUERY_PARAM = 'token';

/**
 * Constant-time comparison. Both sides are hashed first so neither the time taken nor an early
 * length check tells a caller how long the secret is.
 */
export function secretMatches(received: unknown, secret: string): boolean {
	if (typeof received !== 'string') return false;
	const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
	return timingSafeEqual(digest(received), digest(secret));
}
