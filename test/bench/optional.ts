// Loads a module that may not exist yet (benchmarks of parts written in parallel): the path is a
// runtime value, so a missing file is a printed note rather than a compile error.
export async function optionalExport<T>(relativePath: string, name: string): Promise<T | undefined> {
  const url = new URL(relativePath, import.meta.url).href;
  try {
    const mod = (await import(url)) as Record<string, unknown>;
    return typeof mod[name] === 'function' ? (mod[name] as T) : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}
