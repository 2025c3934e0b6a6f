import { catastrophicBacktracking } from '../../nodes/ModelsLabTrigger/regexSafety';
import {
	compileTrackIdFilter,
	MAX_REGEX_TRACK_ID_LENGTH,
	trackIdMatches,
} from '../../nodes/ModelsLabTrigger/trackIdFilter';

describe('regular expressions that could block n8n are refused', () => {
	it.each([
		['^(a+)+$', 'a repeated group holds a repetition of its own'],
		['(a*b?)*', 'a repeated group holds a repetition of its own'],
		['(x{2,})+', 'a repeated group holds a repetition of its own'],
		['(\\w+\\s?)+$', 'a repeated group holds a repetition of its own'],
		['((ab)+)+', 'a repeated group holds a repetition of its own'],
		['(a|a)+', 'a repeated group holds alternatives'],
		['(?:a|ab)*c', 'a repeated group holds alternatives'],
		['(a)\\1', 'it uses a back-reference'],
		['^(?<x>a)\\k<x>$', 'it uses a back-reference'],
	])('/%s/: %s', (source, reason) => {
		expect(catastrophicBacktracking(source)).toContain(reason);
		const compiled = compileTrackIdFilter(`/${source}/`);
		expect(compiled).toEqual({
			ok: false,
			error: expect.stringContaining('could take very long on a crafted track id'),
		});
	});

	it.each([
		'^order-\\d+$',
		'^(user|admin)_\\d+$',
		'[a+]+',
		'(?:ab)+',
		'^a+b+$',
		'^job-[0-9a-f]{8}$',
		'\\(x+\\)+',
	])('/%s/ is fine', (source) => {
		expect(catastrophicBacktracking(source)).toBeUndefined();
		expect(compileTrackIdFilter(`/${source}/`).ok).toBe(true);
	});

	it('tries a pattern only on track ids up to the length cap', () => {
		const compiled = compileTrackIdFilter('/^a+$/');
		if (!compiled.ok) throw new Error(compiled.error);
		expect(trackIdMatches(compiled.filter, 'a'.repeat(MAX_REGEX_TRACK_ID_LENGTH))).toBe(true);
		expect(trackIdMatches(compiled.filter, 'a'.repeat(MAX_REGEX_TRACK_ID_LENGTH + 1))).toBe(false);
	});
});
