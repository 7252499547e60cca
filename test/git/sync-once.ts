// Child process for the descriptor-limit test: one GitSource sync of the repository at argv[2]
// (path `manifests`), printing the number of desired objects, or the sync's error line.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../agent/config/load.ts';
import { GitSource } from '../../agent/git/git-source.ts';
import { legacySource } from '../../agent/git/source-spec.ts';
import { createLogger } from '../../agent/log.ts';

const config = parseConfig(`git: { url: "${process.argv[2] ?? ''}", path: manifests }\n`, {});
const errors: string[] = [];
const log = createLogger({ level: 'error', format: 'json' }, { write: (t) => errors.push(t) });
const src = new GitSource(legacySource(config.git, 'default'), mkdtempSync(join(tmpdir(), 'dg-clone-')), log);
await src.sync();
console.log(JSON.stringify({ objects: src.desired.size, errors }));
