import type { IExecuteFunctions } from 'n8n-workflow';

/** An execution's custom data: `this.customData` on n8n 2.x, `$execution.customData` everywhere. */
export interface CustomDataStore {
	set(key: string, value: string): void;
	get(key: string): string | undefined;
}

/** The parts of `$execution` the nodes read. */
export interface ExecutionKeys {
	resumeUrl?: unknown;
	customData?: CustomDataStore;
}

/**
 * `$execution` as expressions see it, taken from n8n's workflow data proxy: plain values, with no
 * expression evaluated (on n8n 2.x every evaluation needs an isolate of the expression engine).
 */
export function executionKeys(context: IExecuteFunctions): ExecutionKeys | undefined {
	const proxy = context.getWorkflowDataProxy?.(0) as { $execution?: ExecutionKeys } | undefined;
	return proxy?.$execution;
}
