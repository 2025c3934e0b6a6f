/**
 * The endpoint catalog's vocabulary. One `EndpointSpec` describes one operation of one node;
 * the UI properties, the request schema and the request body are all derived from it.
 */

export type Category =
	'image' | 'video' | 'audio' | 'threeD' | 'imageEditing' | 'training' | 'workflow';

/**
 * How a field travels in the JSON body. The API is inconsistent between endpoints, so the
 * catalog states each field's wire type exactly as its endpoint declares it.
 */
export type FieldKind =
	/** JSON string. */
	| 'string'
	/** JSON number (float allowed). */
	| 'number'
	/** JSON integer. */
	| 'integer'
	/** JSON number in the UI, sent as a string ("512"), as some endpoints declare. */
	| 'numericString'
	/** JSON boolean. */
	| 'boolean'
	/** Boolean in the UI, sent as "yes" / "no" (controlnet, 3d `temp`, ...). */
	| 'yesNo'
	/** Boolean in the UI, sent as "true" / "false" strings (image_editing/inpaint `base64`). */
	| 'trueFalseString'
	/** One value of `options`, sent as a string. */
	| 'options'
	/** One value of `options` (numbers written as text), sent as a JSON integer. */
	| 'integerOptions'
	/** A list of URLs/strings; the UI takes one per line or comma-separated, sent as a JSON array. */
	| 'stringList'
	/** A string or, when several are given, an array of strings (qwen_edit `init_image`). */
	| 'stringOrList'
	/** A JSON object, entered as JSON in the UI. */
	| 'json'
	/** A JSON array, entered as JSON in the UI (song-inpaint `sections`). */
	| 'jsonArray';

export interface FieldSpec {
	/** The API's own field name, snake_case (`negative_prompt`). The UI name is its camelCase. */
	name: string;
	kind: FieldKind;
	/** Required fields are top-level parameters; optional ones go into "Additional Fields". */
	required?: boolean;
	/** Shown in the UI and used as the parameter default; never sent unless the user sets it. */
	default?: string | number | boolean | null;
	/** Inclusive bounds for numeric kinds; for lists, `max` is the most entries allowed. */
	min?: number;
	max?: number;
	maxLength?: number;
	/** Allowed values for `options`, and for strings restricted to an enum. */
	options?: readonly string[];
	/** Overrides the label derived from `name` (e.g. `model_id` → "Model ID"). */
	displayName?: string;
	/** One sentence: what it does, with units and limits. */
	description: string;
	placeholder?: string;
	/** Multi-line text box (prompts, lyrics). */
	multiline?: boolean;
	/** `null` is a meaningful value for this field (e.g. `seed: null` = random). */
	nullable?: boolean;
	/**
	 * The field takes a file (a URL or data URI, or n8n binary data through its
	 * `${name}InputType` / `${name}BinaryPropertyName` companions, docs/public-names.md §4).
	 */
	file?: FileInput;
	/**
	 * The field names something of the user's ModelsLab account or its catalog: from node version
	 * 1.1 the UI offers it as a resource locator (a searchable list, or the ID typed in), whose
	 * list comes from the named list method (docs/public-names.md §4, "Resource locators").
	 */
	picker?: FieldPicker;
}

/** The list methods behind resource locators, by the kind of thing they list. */
export type FieldPicker = 'models' | 'voices' | 'loraModels' | 'workflows';

/** What a file field takes, and how ModelsLab wants a file that arrives as n8n binary data. */
export interface FileInput {
	kind: 'image' | 'audio' | 'video' | 'model3d';
	/** A list of files (kind `stringList` / `stringOrList`): one binary property per file. */
	list?: boolean;
	/**
	 * Where binary data goes: uploaded through the named `base64_to_url` endpoint family
	 * (docs/modelslab-api.md §2, "Inputs") and sent as the URL it returns, or sent inline as a data
	 * URI. Unset: the upload family of `kind`.
	 */
	upload?: 'general' | 'imageEditing' | 'voice' | 'video' | 'threeD' | 'inline';
	/**
	 * MIME types the field takes when the endpoint is narrower than the kind and the upload family
	 * (caption: PNG or JPEG only). Unset: whatever the kind and family take.
	 */
	mimeTypes?: readonly string[];
}

/**
 * One provider model of a v7 operation (docs/modelslab-api.md §3.1, §3.2; fields from ModelsLab's
 * Python SDK): the operation's `model_id` choice offers it, and shows only its own fields.
 */
export interface ModelVariant {
	/** The exact `model_id` sent. */
	id: string;
	/** Who makes it, for grouping in the list ("Google", "Kling AI"). */
	provider: string;
	/** Readable name ("Imagen 4"). */
	displayName: string;
	fields: readonly FieldSpec[];
	/** A minimal valid body for this model, without `key` and `model_id` (contract tests validate it). */
	example: Readonly<Record<string, unknown>>;
	notice?: string;
}

/** How the API key is sent. */
export type AuthStyle =
	/** JSON body field `key` (every v3-v7 endpoint). */
	| 'bodyKey'
	/** Request header `key` (Workflows API). */
	| 'headerKey';

/** How the endpoint types `track_id`, if it takes one. */
export type TrackIdStyle = 'string' | 'integer' | 'none';

/** What kind of job an operation starts; decides how completion is detected. */
export type JobKind = 'generation' | 'training' | 'workflowRun';

export interface SubmitEndpointSpec {
	type: 'submit';
	category: Category;
	/** The option value of the `operation` parameter (fixed by docs/public-names.md). */
	operation: string;
	/** Label in the operation list, e.g. "Text to Image". */
	displayName: string;
	/** Action text shown in the node picker, e.g. "Generate an image from text". */
	action: string;
	/** One sentence for the operation's description. */
	description: string;
	/**
	 * Path after the base URL, starting with `/` and without the `/api` prefix
	 * (`/v6/images/text2img`). `{workflow_id}` is substituted from the field of that name.
	 */
	path: string;
	method: 'POST';
	auth: AuthStyle;
	/** Where a job of this operation is read back; `{id}` is substituted. */
	fetchPath: string;
	/**
	 * Submit paths tried in turn when `path` answers HTTP 404 (a renamed path family: face swap
	 * under /v6/deepfake, docs/modelslab-api.md §8 item 2).
	 */
	alternatePaths?: readonly string[];
	/** The same for reads: fetch paths tried in turn when `fetchPath` answers not found. */
	alternateFetchPaths?: readonly string[];
	trackId: TrackIdStyle;
	/** The endpoint accepts a `webhook` URL for its result. */
	webhook: boolean;
	jobKind: JobKind;
	fields: readonly FieldSpec[];
	/**
	 * Field names that go into the URL path, not into the body (`workflow_id`).
	 */
	pathFields?: readonly string[];
	/** The reference's minimal example body, without `key` (contract tests validate it). */
	example: Readonly<Record<string, unknown>>;
	/** Extra notes shown as a notice in the UI (pricing, plan requirements). */
	notice?: string;
	/**
	 * Provider models (v7 operations): `model_id` is chosen from these, each with its own fields,
	 * plus a choice "Other Model (by ID)" with a JSON body for models newer than the catalog. The
	 * first is the default choice. On such an operation `fields` are those of "Other Model": the
	 * ones the docs list for every model of the operation (often none).
	 */
	models?: readonly ModelVariant[];
}

/** A read-only operation (getResult, getStatus, getRun): reads a job by id. */
export interface ReadEndpointSpec {
	type: 'read';
	category: Category;
	operation: string;
	displayName: string;
	action: string;
	description: string;
	method: 'POST' | 'GET';
	auth: AuthStyle;
	/** `{id}` (and for getRun `{workflow_id}`) substituted from the fields. */
	path: string;
	jobKind: JobKind;
	fields: readonly FieldSpec[];
	pathFields: readonly string[];
	/** Paths tried in turn when `path` fails (face-swap jobs are read under /faceswap/). */
	alternatePaths?: readonly string[];
	example: Readonly<Record<string, unknown>>;
}

export type EndpointSpec = SubmitEndpointSpec | ReadEndpointSpec;

export interface CategorySpec {
	category: Category;
	/** Default wait limit in minutes for the callback mode (user-settable per node). */
	defaultWaitMinutes: number;
	/** Fetch path used by getResult when the operation is unknown, `{id}` substituted. */
	defaultFetchPath: string;
	endpoints: readonly EndpointSpec[];
}

/** What a submit entry may leave to `generationSubmit`. */
type SubmitDefaults = 'type' | 'method' | 'auth' | 'webhook' | 'jobKind';

/**
 * A v3-v7 submit endpoint: POST, key in the body, result by webhook, a generation job, unless the
 * entry says otherwise. Each entry states its names, paths, track id type and fields.
 */
export function generationSubmit(
	entry: Omit<SubmitEndpointSpec, SubmitDefaults> &
		Partial<Pick<SubmitEndpointSpec, Exclude<SubmitDefaults, 'type'>>>,
): SubmitEndpointSpec {
	return {
		type: 'submit',
		method: 'POST',
		auth: 'bodyKey',
		webhook: true,
		jobKind: 'generation',
		...entry,
	};
}
