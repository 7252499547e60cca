// Machine-readable printers. Both take data that is already safe to show (the engine and the agent
// redact Secret values); nothing here ever receives a raw Kubernetes object.
import { stringify } from 'yaml';

export function toJson(data: unknown): string {
  return JSON.stringify(data, null, 2) + '\n';
}

export function toYaml(data: unknown): string {
  // JSON round trip first: drops `undefined` the same way the JSON printer does, so both agree.
  return stringify(JSON.parse(JSON.stringify(data)) as unknown, { lineWidth: 0 });
}
