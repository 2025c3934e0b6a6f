import { generationSubmit, type SubmitEndpointSpec } from '../types';

type V7Entry = Omit<
	Parameters<typeof generationSubmit>[0],
	'trackId' | 'fields' | 'example' | 'models'
> & {
	models: NonNullable<SubmitEndpointSpec['models']>;
	/** Fields of "Other Model (by ID)": the ones the docs list for every model of the operation. */
	fields?: SubmitEndpointSpec['fields'];
	/** Needed when there are no models; otherwise the first model's example. */
	example?: SubmitEndpointSpec['example'];
};

/**
 * A v7 provider-model operation: every v7 schema inherits a string `track_id` and a `webhook`
 * (docs/modelslab-api.md, "Discovery, uploads and account"); the first model is the default choice.
 */
export function v7Operation(entry: V7Entry): SubmitEndpointSpec {
	const [first] = entry.models;
	const example = entry.example ?? (first ? { model_id: first.id, ...first.example } : undefined);
	if (!example) throw new Error(`${entry.operation}: an operation without models needs an example`);
	return generationSubmit({ ...entry, trackId: 'string', fields: entry.fields ?? [], example });
}
