import type { IDataObject } from 'n8n-workflow';

import type { FieldRequirement, FieldSpec } from '../catalog/types';
import { displayNameOf, parameterName } from './fieldNames';

/** A requirement the body does not meet: the first field it misses, why, and what to set. */
export interface UnmetRequirement {
	field: string;
	/** The field's label in the UI. */
	label: string;
	/** Why the field is needed and which parameters to set, e.g. `is required when ... Set "X" (x)`. */
	detail: string;
}

/** A value counts as given when it is present and not empty text or an empty list. */
function isGiven(value: unknown): boolean {
	if (value === undefined || value === null) return false;
	if (typeof value === 'string') return value.trim() !== '';
	if (Array.isArray(value)) return value.length > 0;
	return true;
}

/** Booleans may arrive as their text ("true") through Extra Body Fields. */
function sameValue(value: unknown, expected: string | boolean): boolean {
	return value === expected || (typeof expected === 'boolean' && value === String(expected));
}

function labelOf(fields: readonly FieldSpec[], name: string): string {
	const field = fields.find((entry) => entry.name === name);
	return field ? displayNameOf(field) : name;
}

/** `"Init Audio" (initAudio)`: the label a user sees and the parameter's name. */
function named(fields: readonly FieldSpec[], name: string): string {
	return `"${labelOf(fields, name)}" (${parameterName(name)})`;
}

function shownValue(value: string | boolean): string {
	if (typeof value === 'boolean') return value ? 'on' : 'off';
	return `"${value}"`;
}

/**
 * The first requirement of `requirements` the body misses, checked in catalog order, or
 * undefined when the body meets them all.
 */
export function unmetRequirement(
	requirements: readonly FieldRequirement[],
	fields: readonly FieldSpec[],
	body: IDataObject,
): UnmetRequirement | undefined {
	for (const requirement of requirements) {
		if ('anyOf' in requirement) {
			if (requirement.anyOf.some((name) => isGiven(body[name]))) continue;
			const [first, ...others] = requirement.anyOf;
			const labels = others.map((name) => `"${labelOf(fields, name)}"`).join(' or ');
			return {
				field: first,
				label: labelOf(fields, first),
				detail: `is required unless ${labels} is set. Set ${requirement.anyOf.map((name) => named(fields, name)).join(' or ')}`,
			};
		}
		const { field, equals, unsetMeans } = requirement.when;
		const value = isGiven(body[field]) ? body[field] : unsetMeans;
		if (value === undefined || !sameValue(value, equals)) continue;
		const missing = requirement.require.find((name) => !isGiven(body[name]));
		if (missing === undefined) continue;
		return {
			field: missing,
			label: labelOf(fields, missing),
			detail: `is required when "${labelOf(fields, field)}" is ${shownValue(equals)}. Set ${named(fields, missing)}`,
		};
	}
	return undefined;
}
