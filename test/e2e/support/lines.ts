// Which n8n lines this run covers: N8N_LINES=1,2 (default both), in that order.
import { isLine, type N8nLine } from '../../../scripts/n8n';

export function e2eLines(): N8nLine[] {
	return (process.env.N8N_LINES ?? '1,2')
		.split(',')
		.map((s) => s.trim())
		.filter(isLine);
}
