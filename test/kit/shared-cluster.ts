// A control plane for a test file that neither stops, restarts nor reconfigures its servers: the
// run's shared plane (test/cluster/shared-plane.ts, started once by the servers lane) with a fresh
// namespace for this file, or, when the file runs alone (`node --test one.test.ts`), a plane of its
// own. Either way the handle is a ControlPlane whose kubeconfig defaults to the file's namespace and
// whose `dir` is the file's own temp dir.
//
// Sharing rules for a file that uses it: put namespaced objects in `namespace` (or namespaces named
// with `id`); name every cluster-scoped object (CRD group, ClusterRole, webhook, APIService) with
// `id` and delete it when done; scope an agent's or a watch's namespaces to the file's own; grant
// nothing to the shared `viewer` user (it is every file's "forbidden" user). stop() removes the
// namespace and what is in it (there is no namespace controller on a bare plane to do it).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ADMIN_TOKEN,
  VIEWER_TOKEN,
  kubeconfigYaml,
  kubectlFor,
  startControlPlane,
  type ControlPlane,
} from '../cluster/control-plane.ts';
import { sharedPlaneInfo } from '../cluster/shared-plane.ts';

export interface SharedCluster extends ControlPlane {
  /** This file's namespace (created; the kubeconfigs' default). */
  namespace: string;
  /** A short DNS-label-safe token unique to this file's run: name cluster-scoped objects with it. */
  id: string;
  /** Creates one more namespace of this file's, `<namespace>-<suffix>`; stop() removes it too. */
  newNamespace(suffix: string): Promise<string>;
  /** True on the run's shared plane, false on a plane of the file's own. */
  shared: boolean;
}

/** `file` is the test file (import.meta.url or a path): its name goes into the namespace. */
export async function sharedCluster(file: string): Promise<SharedCluster> {
  const stem = basename(file.startsWith('file:') ? fileURLToPath(file) : file).replace(/\.test\.tsx?$/, '');
  const id = `${stem
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)}-${randomBytes(3).toString('hex')}`;
  const namespace = `t-${id}`;
  const info = sharedPlaneInfo();
  const own = info ? undefined : await startControlPlane();
  const base = own ?? info;
  if (!base) throw new Error('unreachable: neither a shared nor an own plane');
  const dir = mkdtempSync(join(tmpdir(), `driftguard-${id}-`));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigYaml(base.server, 'admin', ADMIN_TOKEN, namespace));
  const viewerKubeconfig = join(dir, 'viewer.kubeconfig');
  writeFileSync(viewerKubeconfig, kubeconfigYaml(base.server, 'viewer', VIEWER_TOKEN, namespace));
  const { kubectl, kubectlOk } = kubectlFor(kubeconfig);
  await kubectlOk(['create', 'namespace', namespace]);
  const namespaces = [namespace];
  const newNamespace = async (suffix: string): Promise<string> => {
    const ns = `${namespace}-${suffix}`;
    await kubectlOk(['create', 'namespace', ns]);
    namespaces.push(ns);
    return ns;
  };
  let stopped: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    if (own) await own.stop();
    else for (const ns of namespaces) await removeNamespace(kubectlOk, ns);
    rmSync(dir, { recursive: true, force: true });
  };
  const notHere = (what: string) => (): never => {
    throw new Error(`${what}: not on a shared plane; this file needs startControlPlane() of its own`);
  };
  return {
    namespace,
    id,
    newNamespace,
    shared: own === undefined,
    server: base.server,
    etcdUrl: base.etcdUrl,
    port: base.port,
    dir,
    caFile: base.caFile,
    serviceAccountKey: base.serviceAccountKey,
    kubeconfig,
    viewerKubeconfig,
    userKubeconfig: own ? own.userKubeconfig : notHere('userKubeconfig'),
    auditLog: null,
    kubectl,
    kubectlOk,
    restartApiServer: own ? own.restartApiServer : notHere('restartApiServer'),
    apiServerPid: () => own?.apiServerPid(),
    // Once, however many after() hooks call it.
    stop: () => (stopped ??= stop()),
  };
}

type KubectlOk = (args: string[], opts?: { input?: string }) => Promise<string>;

/**
 * Deletes what is in `namespace`, then the namespace: a bare plane has no namespace controller, so
 * the contents are deleted here and the namespace's finalizer is cleared through /finalize.
 */
async function removeNamespace(kubectlOk: KubectlOk, namespace: string): Promise<void> {
  const kinds = (await kubectlOk(['api-resources', '--namespaced=true', '--verbs=list,delete', '-o', 'name']))
    .split('\n')
    .filter((k) => k !== '' && k !== 'events' && k !== 'events.events.k8s.io');
  await kubectlOk([
    'delete',
    kinds.join(','),
    '--all',
    '-n',
    namespace,
    '--ignore-not-found',
    '--wait=false',
  ]);
  await kubectlOk(['delete', 'namespace', namespace, '--wait=false', '--ignore-not-found']);
  const got = await kubectlOk(['get', 'namespace', namespace, '-o', 'json', '--ignore-not-found']);
  if (got.trim() === '') return;
  const ns = JSON.parse(got) as { spec?: { finalizers?: string[] } };
  ns.spec = { ...ns.spec, finalizers: [] };
  await kubectlOk(['replace', '--raw', `/api/v1/namespaces/${namespace}/finalize`, '-f', '-'], {
    input: JSON.stringify(ns),
  });
}
