// `*` globs, as ignore rules (kind, namespace, name) and notification sinks (source files) write them.

/** Whether `value` matches `pattern`, where `*` stands for any run of characters (none included). */
export function glob(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(value);
}
