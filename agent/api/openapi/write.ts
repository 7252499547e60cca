// `npm run openapi`: regenerates agent/api/openapi.yaml from the declarations.
import { writeFileSync } from 'node:fs';
import { openApiYaml } from './document.ts';

const file = new URL('../openapi.yaml', import.meta.url);
writeFileSync(file, openApiYaml());
console.log(`wrote ${file.pathname}`);
