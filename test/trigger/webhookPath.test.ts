import {
	resolveWebhookDescriptionField,
	webhookDescriptionIsNativelyResolvable,
	type IWebhookDescription,
} from 'n8n-workflow';

import { ModelsLabTrigger } from '../../nodes/ModelsLabTrigger/ModelsLabTrigger.node';

const TEMPLATE = '={{$parameter["path"]}}';

describe('trigger webhook path', () => {
	const [webhook] = new ModelsLabTrigger().description.webhooks as IWebhookDescription[];

	it('keeps the template the editor shows', () => {
		expect(webhook.path).toBe(TEMPLATE);
	});

	it('resolves without the expression engine on n8n 2.x when the parameters are static', () => {
		expect(webhookDescriptionIsNativelyResolvable(webhook)).toBe(true);
		expect(
			resolveWebhookDescriptionField(
				{ parameters: { path: 'modelslab-results' } },
				webhook,
				'path',
			),
		).toEqual({ resolved: true, value: 'modelslab-results' });
		// An expression anywhere in the parameters sends n8n back to its engine.
		expect(
			resolveWebhookDescriptionField(
				{ parameters: { path: 'x', trackId: '={{ 1 }}' } },
				webhook,
				'path',
			),
		).toEqual({ resolved: false });
	});

	it('falls back to the plain template where n8n-workflow lacks the helpers (1.x)', () => {
		jest.isolateModules(() => {
			jest.doMock('n8n-workflow', () => ({
				...jest.requireActual<object>('n8n-workflow'),
				webhookDescriptionFields: undefined,
				fromParameter: undefined,
			}));
			const { webhookPathField } = jest.requireActual<
				typeof import('../../nodes/ModelsLabTrigger/webhookPath')
			>('../../nodes/ModelsLabTrigger/webhookPath');
			const field = webhookPathField();
			expect(field).toEqual({ path: TEMPLATE });
			expect(Object.getOwnPropertySymbols(field)).toHaveLength(0);
		});
		jest.dontMock('n8n-workflow');
	});
});
