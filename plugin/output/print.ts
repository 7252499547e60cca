// Picks the printer for -o: json and yaml print the given document unchanged, table and wide
// call the command's own table renderer.
import type { OutputFormat } from '../flags.ts';
import { toJson, toYaml } from './serialize.ts';

export function printDocument(format: OutputFormat, doc: unknown, table: (wide: boolean) => string): string {
  if (format === 'json') return toJson(doc);
  if (format === 'yaml') return toYaml(doc);
  return table(format === 'wide');
}
