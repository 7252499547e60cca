// Flux's post-build variable substitution (postBuild.substitute), on kustomize's output: `${var}`,
// `${var:=default}` and `${var:-default}` (an unset variable without a default becomes empty, as
// Flux does when not strict); `$${var}` stays a literal `${var}`. An object annotated
// `kustomize.toolkit.fluxcd.io/substitute: disabled` is left as it is. Pure text in, text out.
const VAR = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=])([^}]*))?\}/g;
const DISABLED = /kustomize\.toolkit\.fluxcd\.io\/substitute:\s*["']?disabled/;

function substituteDocument(doc: string, vars: Readonly<Record<string, string>>): string {
  if (DISABLED.test(doc)) return doc;
  return doc.replace(
    VAR,
    (all, name: string | undefined, op: string | undefined, dflt: string | undefined) => {
      if (name === undefined) return '${';
      const value = vars[name];
      if (value !== undefined && !(op?.startsWith(':') && value === '')) return value;
      return op ? (dflt ?? '') : '';
    },
  );
}

/** Substitutes each YAML document of a stream on its own. */
export function substituteVariables(stream: string, vars: Readonly<Record<string, string>>): string {
  return stream
    .split(/^(?=---\s*$)/m)
    .map((doc) => substituteDocument(doc, vars))
    .join('');
}
