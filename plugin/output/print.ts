// Picks the printer for -o: json and yaml print the given document unchanged, name prints each
// resource as `Kind/namespace/name` (what every command accepts back, like kubectl's -o name), table
// and wide call the command's own table renderer.
import type { OutputFormat } from '../flags.ts';
import { CliError } from '../errors.ts';
import { resourceLabel } from './drift-rows.ts';
import { toJson, toYaml } from './serialize.ts';

type Named = { kind: string; namespace: string; name: string };

function isNamed(v: unknown): v is Named {
  const o = v as Partial<Named> | null;
  return typeof o?.kind === 'string' && typeof o.name === 'string' && typeof o.namespace === 'string';
}

/** `-o name`: the resources of a record list (or one record), one per line. */
function names(doc: unknown): string {
  const list = (doc as { drift_records?: unknown } | null)?.drift_records;
  const items = Array.isArray(list) ? list : [doc];
  if (!items.every(isNamed)) throw new CliError('-o name: this command prints no resources');
  return items.map((r) => `${resourceLabel(r)}\n`).join('');
}

export function printDocument(format: OutputFormat, doc: unknown, table: (wide: boolean) => string): string {
  if (format === 'name') return names(doc);
  if (format === 'json') return toJson(doc);
  if (format === 'yaml') return toYaml(doc);
  return table(format === 'wide');
}
