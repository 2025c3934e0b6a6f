import type { INode } from 'n8n-workflow';
import type { z } from 'zod';

import { modelsLabApiError } from './errors';

/** A zod issue path as users read it: `execution.status`, `output[0]`. */
export function issuePath(path: ReadonlyArray<string | number>): string {
	return path.reduce<string>(
		(text, part) =>
			typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part,
		'',
	);
}

/** Validates a ModelsLab answer; a violation becomes a NodeApiError naming the field. */
export function parseOrThrow<Schema extends z.ZodTypeAny>(
	node: INode,
	schema: Schema,
	value: unknown,
	at: { itemIndex?: number; context?: string },
): z.output<Schema> {
	const parsed = schema.safeParse(value);
	if (parsed.success) return parsed.data as z.output<Schema>;
	const issue = parsed.error.issues[0];
	const field = issuePath(issue.path) || '(body)';
	throw modelsLabApiError(node, {
		apiMessage: `unexpected answer: field "${field}" ${issue.message.toLowerCase()}`,
		body: value,
		itemIndex: at.itemIndex,
		context: at.context,
	});
}
