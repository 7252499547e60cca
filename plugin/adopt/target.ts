// What to adopt: the object's drift details and the file that declares it, either computed here from
// the checkout and the cluster (--local, as `analyze --local` does) or taken from the agent's record.
import type { KubeConfig } from '@kubernetes/client-node';
import type { DriftGuardClient } from '../../shared/api/client.ts';
import {
  analyzeResource,
  isClusterScoped,
  revertPlan,
  type DesiredObject,
} from '../../shared/engine/index.ts';
import type { RenderedType, SourceType, HelmOptions } from '../../shared/node/render/index.ts';
import { resourceId, type DriftDetail, type JsonObject } from '../../shared/types.ts';
import { CliError } from '../errors.ts';
import { parseTarget, resolveRecord } from '../act/resolve-target.ts';
import { loadLocal } from '../local/analyze-local.ts';

export interface AdoptTarget {
  id: string;
  kind: string;
  name: string;
  namespace: string;
  /** Repo-relative file the object comes from (for Kustomize with origins, the resource file). */
  sourceFile: string;
  details: DriftDetail[];
  /** How the source was read (--local); null when the agent said (a plain file is assumed). */
  type: RenderedType | null;
  /** The rendered desired object (--local). */
  desired: DesiredObject | null;
  /** The live object as the engine compares it, normalised (--local). */
  liveView: JsonObject | null;
  defaultNamespace: string;
}

export interface LocalSource {
  repo: string;
  path?: string | undefined;
  type?: SourceType | undefined;
  helm?: Partial<HelmOptions> | undefined;
  namespace: string | undefined;
  defaultNamespace: string;
}

function refuseMissing(id: string, type: string | null): void {
  if (type === 'Missing') throw new CliError(`${id} is not in the cluster: there is nothing live to adopt`);
}

/** The drift of one object, computed from the checkout and the cluster. */
export async function localTarget(kc: KubeConfig, src: LocalSource, input: string): Promise<AdoptTarget> {
  const target = parseTarget(input);
  const wanted =
    'id' in target
      ? target.id
      : resourceId(target.kind, isClusterScoped(target.kind) ? '' : src.defaultNamespace, target.name);
  const s = await loadLocal(
    kc,
    {
      repo: src.repo,
      path: src.path,
      type: src.type,
      helm: src.helm,
      defaultNamespace: src.defaultNamespace,
    },
    (d) => d.id === wanted,
  );
  if (s.errors.length > 0)
    throw new CliError(
      `the repository does not parse, refusing to adopt: ${s.errors[0]?.file ?? ''}: ${s.errors[0]?.message ?? ''}`,
    );
  const d = s.desired[0];
  if (!d)
    throw new CliError(
      `${src.repo}${src.path ? `/${src.path}` : ''} declares no ${input} (looked for ${wanted})`,
    );
  const r = analyzeResource(d, s.live.get(d.id), s.engine, { gitCommit: s.commit });
  refuseMissing(r.resource_id, r.drift_type);
  return {
    id: r.resource_id,
    kind: d.object.kind,
    name: r.name,
    namespace: r.namespace,
    sourceFile: d.sourceFile,
    details: r.drift_details,
    type: s.render.type,
    desired: d,
    liveView: revertPlan(d, s.live.get(d.id), s.engine).live_view,
    defaultNamespace: src.defaultNamespace,
  };
}

/** The drift of one object as the agent recorded it, and the file its source declares it in. */
export async function agentTarget(
  client: DriftGuardClient,
  input: string,
  namespace: string | undefined,
  defaultNamespace: string,
): Promise<AdoptTarget> {
  const rec = await resolveRecord(client, input, namespace);
  if (rec.source_file === null)
    throw new CliError(
      `${rec.resource_id} is not declared in Git (${rec.drift_type ?? 'Unmanaged'}): adopt writes into the file that declares an object`,
    );
  refuseMissing(rec.resource_id, rec.drift_type);
  return {
    id: rec.resource_id,
    kind: rec.kind,
    name: rec.name,
    namespace: rec.namespace,
    sourceFile: rec.source_file,
    details: rec.drift_status === 'active' ? rec.drift_details : [],
    type: null,
    desired: null,
    liveView: null,
    defaultNamespace: rec.namespace || defaultNamespace,
  };
}
