/**
 * The trigger's Track ID filter (docs/public-names.md): a comma-separated list of patterns; `*` matches any
 * run of characters including none; `/…/` is a regular expression. Empty means every callback.
 */

import { catastrophicBacktracking } from './regexSafety';

/**
 * A regular expression is tried only on track ids up to this length. The pattern is the user's
 * (and refused when it could backtrack catastrophically, see regexSafety.ts), but the track id
 * comes from whoever calls the URL, and a long input is what makes a slow pattern take seconds.
 */
export const MAX_REGEX_TRACK_ID_LENGTH = 128;

/** Flags that keep `RegExp.test` stateless (`g` and `y` move `lastIndex` between calls). */
const ALLOWED_FLAGS = /^[imsu]*$/;
const REGEX_TOKEN = /^\/(.+)\/([a-z]*)$/s;

type TrackIdPattern =
	| { kind: 'exact'; text: string }
	| { kind: 'wildcard'; text: string }
	| { kind: 'regex'; regex: RegExp };

export interface TrackIdFilter {
	/** No patterns: every track id matches, including none. */
	patterns: TrackIdPattern[];
}

/** Either the filter, or why the text cannot be used (naming the pattern). */
export type TrackIdFilterResult =
	{ ok: true; filter: TrackIdFilter } | { ok: false; error: string };

export function compileTrackIdFilter(text: string): TrackIdFilterResult {
	const patterns: TrackIdPattern[] = [];
	for (const token of splitPatterns(text)) {
		const pattern = compilePattern(token);
		if (typeof pattern === 'string') return { ok: false, error: `Track ID filter: ${pattern}` };
		patterns.push(pattern);
	}
	return { ok: true, filter: { patterns } };
}

export function trackIdMatches(filter: TrackIdFilter, trackId: string): boolean {
	if (filter.patterns.length === 0) return true;
	return filter.patterns.some((pattern) => patternMatches(pattern, trackId));
}

/**
 * Whether the filter lets every track id through (empty, or a `*` pattern), so it does not
 * depend on whose job a callback names.
 */
export function matchesEveryTrackId(filter: TrackIdFilter): boolean {
	return (
		filter.patterns.length === 0 ||
		filter.patterns.some((pattern) => pattern.kind === 'wildcard' && /^\*+$/.test(pattern.text))
	);
}

/** Splits on commas, except inside a `/…/` pattern (`/^a{1,3}$/` stays whole). */
function splitPatterns(text: string): string[] {
	const pieces = text.split(',');
	const tokens: string[] = [];
	for (let index = 0; index < pieces.length; index++) {
		let token = pieces[index].trim();
		if (token.startsWith('/')) {
			while (!REGEX_TOKEN.test(token) && index + 1 < pieces.length)
				token = `${token},${pieces[++index]}`.trim();
		}
		if (token) tokens.push(token);
	}
	return tokens;
}

/** The pattern, or what is wrong with it. */
function compilePattern(token: string): TrackIdPattern | string {
	if (!token.startsWith('/'))
		return token.includes('*') ? { kind: 'wildcard', text: token } : { kind: 'exact', text: token };
	const parts = REGEX_TOKEN.exec(token);
	if (!parts)
		return `"${token}" starts with / but has no closing /; write a regular expression as /pattern/`;
	const [, source, flags] = parts;
	if (!ALLOWED_FLAGS.test(flags))
		return `"${token}" has flags "${flags}"; only i, m, s and u are allowed`;
	const slow = catastrophicBacktracking(source);
	if (slow) {
		return `"${token}" could take very long on a crafted track id: ${slow}. Write it without nesting repetitions, or use * patterns`;
	}
	try {
		return { kind: 'regex', regex: new RegExp(source, flags) };
	} catch (error) {
		return `"${token}" is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`;
	}
}

function patternMatches(pattern: TrackIdPattern, trackId: string): boolean {
	switch (pattern.kind) {
		case 'exact':
			return trackId === pattern.text;
		case 'wildcard':
			return wildcardMatches(pattern.text, trackId);
		case 'regex':
			return trackId.length <= MAX_REGEX_TRACK_ID_LENGTH && pattern.regex.test(trackId);
	}
}

/**
 * `*`-only glob matching without building a regular expression: it backtracks to the last `*`
 * only, so it takes at most pattern × text steps whatever the input.
 */
function wildcardMatches(pattern: string, text: string): boolean {
	let p = 0;
	let t = 0;
	let starAt = -1;
	let textAtStar = 0;
	while (t < text.length) {
		if (p < pattern.length && pattern[p] === '*') {
			starAt = p++;
			textAtStar = t;
		} else if (p < pattern.length && pattern[p] === text[t]) {
			p++;
			t++;
		} else if (starAt >= 0) {
			p = starAt + 1;
			t = ++textAtStar;
		} else {
			return false;
		}
	}
	while (p < pattern.length && pattern[p] === '*') p++;
	return p === pattern.length;
}
