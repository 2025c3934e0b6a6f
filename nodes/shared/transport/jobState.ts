import type { IDataObject } from 'n8n-workflow';

import type { JobKind } from '../catalog/types';

/** Where a job stands, whatever the endpoint family calls it. */
export type JobPhase = 'pending' | 'success' | 'failed';

/** One job as this package sees it: generation, training or workflow run alike. */
export interface JobState {
	kind: JobKind;
	/** Request id (generation), training id (training) or execution id (workflow run). */
	id: string;
	phase: JobPhase;
	output: string[];
	/** ModelsLab's own words (error text, training state log, ...). */
	message?: string;
	/** Seconds ModelsLab expects the job to take. */
	eta?: number;
	fetchResult?: string;
	futureLinks?: string[];
	/** 3D: further files of the job (its render video), where an answer carried `extra_assets`. */
	extraAssets?: string[];
	/** The training state (`deploying_gpu` ... `model_ready`). */
	trainingStatus?: string;
	/** The body ModelsLab sent, without the key. */
	raw: IDataObject;
}

/** The contract's `status` of a job: `processing` while it runs, else its phase. */
export function statusOfPhase(phase: JobPhase): 'processing' | 'success' | 'failed' {
	return phase === 'pending' ? 'processing' : phase;
}

/** Training states after which nothing else happens (docs/modelslab-api.md §3.6). */
export const TRAINING_READY = 'model_ready';
const TRAINING_FAILED = new Set(['failed', 'error', 'training_failed', 'cancelled', 'canceled']);

export function trainingPhase(state: string | undefined): JobPhase {
	if (!state) return 'pending';
	if (state === TRAINING_READY) return 'success';
	return TRAINING_FAILED.has(state.toLowerCase()) ? 'failed' : 'pending';
}

export function generationPhase(status: string): JobPhase {
	if (status === 'success') return 'success';
	if (status === 'failed' || status === 'error') return 'failed';
	return 'pending';
}

export function workflowRunPhase(status: string | undefined): JobPhase {
	if (status === 'completed' || status === 'success') return 'success';
	if (status === 'failed' || status === 'cancelled' || status === 'error') return 'failed';
	return 'pending';
}
