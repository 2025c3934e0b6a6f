import type { INodeParameterResourceLocator } from 'n8n-workflow';

/**
 * A resource locator's value (`{ __rl, mode, value }`, node version 1.1), or the plain string a
 * workflow saved with version 1 holds (docs/public-names.md §4). n8n's own `extractValue` reads
 * both the same way for modes without an `extractValue` rule, which ours have none of; this one
 * also serves values inside Additional Fields, which n8n hands over as they are stored.
 */
export function locatorValue(raw: unknown): unknown {
	return isLocator(raw) ? raw.value : raw;
}

function isLocator(value: unknown): value is INodeParameterResourceLocator {
	return typeof value === 'object' && value !== null && 'mode' in value && 'value' in value;
}
