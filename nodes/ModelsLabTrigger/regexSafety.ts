/**
 * Why a regular expression could take exponential time on a crafted track id, or undefined when
 * it cannot. JavaScript's engine backtracks, and whoever calls the trigger's URL chooses the
 * track id (`/^(a+)+$/` against 29 characters took 8.8 s), so the trigger refuses the shapes that
 * backtrack catastrophically when the workflow is activated:
 * - a quantified group that holds a quantifier (`(a+)+`, `(a*b?)*`, `(x{2,})+`),
 * - a quantified group that holds an alternation (`(a|a)+`, `(a|ab)*`),
 * - back-references (`\1`, `\k<name>`), which no engine matches in linear time.
 * The check reads the pattern's structure only; character classes and escapes are skipped whole.
 */
export function catastrophicBacktracking(source: string): string | undefined {
	interface Group {
		quantified: boolean;
		alternation: boolean;
	}
	const stack: Group[] = [{ quantified: false, alternation: false }];
	let index = 0;
	const quantifierAt = (at: number): number => {
		const char = source[at];
		if (char === '*' || char === '+' || char === '?') return 1;
		if (char === '{') {
			const match = /^\{\d+(,\d*)?\}/.exec(source.slice(at));
			if (match) return match[0].length;
		}
		return 0;
	};
	while (index < source.length) {
		const char = source[index];
		if (char === '\\') {
			const next = source[index + 1] ?? '';
			if (/[1-9]/.test(next) || next === 'k') return 'it uses a back-reference';
			index += 2;
		} else if (char === '[') {
			// A character class ends at the first unescaped ].
			index++;
			if (source[index] === ']') index++;
			while (index < source.length && source[index] !== ']')
				index += source[index] === '\\' ? 2 : 1;
			index++;
		} else if (char === '(') {
			stack.push({ quantified: false, alternation: false });
			index++;
			// Skip the group's own syntax: (?:, (?=, (?!, (?<=, (?<!, (?<name>.
			const head = /^\?(?::|=|!|<=|<!|<[A-Za-z_][A-Za-z0-9_]*>)/.exec(source.slice(index));
			if (head) index += head[0].length;
			continue;
		} else if (char === ')') {
			const group = stack.pop() ?? { quantified: false, alternation: false };
			index++;
			const length = quantifierAt(index);
			if (length && (group.quantified || group.alternation)) {
				return group.quantified
					? 'a repeated group holds a repetition of its own (like (a+)+)'
					: 'a repeated group holds alternatives (like (a|ab)+)';
			}
			const parent = stack[stack.length - 1];
			if (group.quantified || group.alternation || length)
				parent.quantified ||= group.quantified || length > 0;
			index += length;
			if (length && source[index] === '?') index++;
			continue;
		} else if (char === '|') {
			stack[stack.length - 1].alternation = true;
			index++;
			continue;
		} else {
			index++;
		}
		const length = quantifierAt(index);
		if (length) {
			stack[stack.length - 1].quantified = true;
			index += length;
			if (source[index] === '?') index++;
		}
	}
	return undefined;
}
