// `npm run docs` (also `npm run openapi`): regenerates what is generated from declarations:
// agent/api/openapi.yaml (from the zod shapes and the metrics) and the README's metrics table
// (from agent/metrics/declared.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { withMetricsTable } from '../../metrics/docs.ts';
import { openApiYaml } from './document.ts';

const file = new URL('../openapi.yaml', import.meta.url);
writeFileSync(file, openApiYaml());
console.log(`wrote ${file.pathname}`);

const readme = new URL('../../../README.md', import.meta.url);
writeFileSync(readme, withMetricsTable(readFileSync(readme, 'utf8')));
console.log(`wrote the metrics table in ${readme.pathname}`);
