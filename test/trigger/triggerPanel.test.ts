import { NodeHelpers, type INodeParameters, type INodeProperties } from 'n8n-workflow';

import { ModelsLabTrigger } from '../../nodes/ModelsLabTrigger/ModelsLabTrigger.node';
import { ENDPOINT_FAMILIES, familyOfFetchPath } from '../../nodes/ModelsLabTrigger/verifyCallback';
import { allEndpoints } from '../../nodes/shared/catalog';
import { hookContext } from './triggerContext';

const trigger = new ModelsLabTrigger();
const notice = trigger.description.properties.find(
	(property) => property.name === 'guessablePathNotice',
) as INodeProperties;

/** Whether n8n's editor shows the notice for these parameter values on this node version. */
function noticeShown(parameters: INodeParameters, typeVersion: number): boolean {
	return NodeHelpers.displayParameter(parameters, notice, { typeVersion }, trigger.description);
}

describe('the panel warns about a guessable path', () => {
	it('is a notice', () => {
		expect(notice).toMatchObject({ type: 'notice', default: '' });
		expect(notice.displayName).toContain('Trigger Secret');
	});

	it('shows for the modelslab default of versions 1 and 1.1, short paths and paths of words', () => {
		for (const path of ['modelslab', 'callbacks', 'ml-1', 'modelslab/results-callback']) {
			expect({ path, shown: noticeShown({ path, options: {} }, 1.1) }).toEqual({
				path,
				shown: true,
			});
		}
		expect(noticeShown({ path: 'modelslab' }, 1)).toBe(true);
	});

	it("hides for n8n's unique ids (the 1.2 default, an empty path) and long paths with digits", () => {
		for (const path of ['', 'a3f1c2d4-0b9e-4c1a-9d3e-7f00a1b2c3d4', 'results-7f3a9c2e81b4d5']) {
			expect({ path, shown: noticeShown({ path, options: {} }, 1.2) }).toEqual({
				path,
				shown: false,
			});
		}
	});

	it('sits at the top level: n8n 1.x cannot resolve a condition on an option inside Options', () => {
		const names = Object.keys({ ...notice.displayOptions?.show, ...notice.displayOptions?.hide });
		expect(names).toEqual(['path']);
	});

	it("activation logs the same warning when no Trigger Secret is set, and not once the credential's is", async () => {
		const bare = hookContext({ path: 'modelslab' });
		await trigger.webhookMethods.default.checkExists.call(bare);
		expect(bare.logger.warn).toHaveBeenCalledWith(
			expect.stringMatching(/path "modelslab" is easy to guess and no Trigger Secret is set/),
		);

		const secured = hookContext({ path: 'modelslab' }, true);
		secured.getCredentials.mockResolvedValue({ apiKey: 'k', baseUrl: 'b', webhookSecret: 's' });
		await trigger.webhookMethods.default.checkExists.call(secured);
		expect(secured.logger.warn).not.toHaveBeenCalled();

		const unique = hookContext({ path: 'a3f1c2d4-0b9e-4c1a-9d3e-7f00a1b2c3d4' });
		await trigger.webhookMethods.default.checkExists.call(unique);
		expect(unique.logger.warn).not.toHaveBeenCalled();
	});
});

describe('Endpoint Family knows every family', () => {
	const values = ENDPOINT_FAMILIES.map((family) => family.value);

	it('keeps the saved option values, in their order, and adds realtime and interior', () => {
		expect(values.slice(0, 9)).toEqual([
			'images',
			'video',
			'voice',
			'3d',
			'image_editing',
			'faceswap',
			'v7_images',
			'v7_video',
			'v7_voice',
		]);
		expect(values).toEqual(expect.arrayContaining(['realtime', 'interior']));
		expect(new Set(values).size).toBe(values.length);
	});

	it("covers every generation endpoint's fetch path in the catalog", () => {
		const paths = new Set(ENDPOINT_FAMILIES.map((family) => family.fetchPath));
		const missing = allEndpoints().flatMap((endpoint) =>
			endpoint.type === 'submit' &&
			endpoint.jobKind === 'generation' &&
			!paths.has(endpoint.fetchPath)
				? [`${endpoint.category}/${endpoint.operation}: ${endpoint.fetchPath}`]
				: [],
		);
		expect(missing).toEqual([]);
	});

	it('names a family after its fetch path', () => {
		expect(familyOfFetchPath('/v6/images/fetch/{id}')).toBe('images');
		expect(familyOfFetchPath('/v6/realtime/fetch/{id}')).toBe('realtime');
		expect(familyOfFetchPath('/v7/video-fusion/fetch/{id}')).toBe('v7_video');
		expect(familyOfFetchPath('/v7/voice/fetch/{id}')).toBe('v7_voice');
		expect(familyOfFetchPath('/v3/fine_tune_status/{id}')).toBeUndefined();
	});

	it('the option lists each family with its fetch path', () => {
		const options = trigger.description.properties.find((property) => property.name === 'options')
			?.options as INodeProperties[];
		const family = options.find((option) => option.name === 'endpointFamily');
		expect(family?.options).toEqual(
			ENDPOINT_FAMILIES.map(({ value, label, fetchPath }) => ({
				name: label,
				value,
				description: fetchPath,
			})),
		);
	});
});
