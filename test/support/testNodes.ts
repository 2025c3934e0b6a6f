import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

/** Passes its input on: the run's first node, standing in for a trigger. */
export class StartNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Start',
		name: 'test.start',
		group: ['input'],
		version: 1,
		description: 'Test start',
		defaults: { name: 'Start' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/** Records every batch it receives, so tests see what reached the node after the ModelsLab one. */
export class SinkNode implements INodeType {
	static received: INodeExecutionData[][] = [];

	description: INodeTypeDescription = {
		displayName: 'Sink',
		name: 'test.sink',
		group: ['output'],
		version: 1,
		description: 'Test sink',
		defaults: { name: 'Sink' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		SinkNode.received.push(items);
		return [items];
	}
}

/** Runs a test's function inside a real n8n ExecuteContext (for transport tests). */
export class ProbeNode implements INodeType {
	static run: ((this: IExecuteFunctions) => Promise<unknown>) | undefined;
	static result: unknown;
	static error: unknown;

	description: INodeTypeDescription = {
		displayName: 'Probe',
		name: 'test.probe',
		group: ['transform'],
		version: 1,
		description: 'Test probe',
		defaults: { name: 'Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'modelsLabApi', required: true }],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		ProbeNode.result = undefined;
		ProbeNode.error = undefined;
		try {
			ProbeNode.result = await ProbeNode.run?.call(this);
		} catch (error) {
			ProbeNode.error = error;
		}
		return [this.getInputData()];
	}
}
