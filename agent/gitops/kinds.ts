// The GitOps controllers' kinds the agent reads (sources_from), with their collection paths.
import type { SOURCES_FROM } from '../config/schema.ts';

export type Controller = (typeof SOURCES_FROM)[number];

export interface ControllerKind {
  controller: Controller;
  kind: string;
  /** Cluster-wide collection path. */
  path: string;
}

export const CONTROLLER_KINDS: readonly ControllerKind[] = [
  { controller: 'argocd', kind: 'Application', path: '/apis/argoproj.io/v1alpha1/applications' },
  { controller: 'flux', kind: 'GitRepository', path: '/apis/source.toolkit.fluxcd.io/v1/gitrepositories' },
  { controller: 'flux', kind: 'HelmRepository', path: '/apis/source.toolkit.fluxcd.io/v1/helmrepositories' },
  { controller: 'flux', kind: 'OCIRepository', path: '/apis/source.toolkit.fluxcd.io/v1/ocirepositories' },
  { controller: 'flux', kind: 'Kustomization', path: '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations' },
  { controller: 'flux', kind: 'HelmRelease', path: '/apis/helm.toolkit.fluxcd.io/v2/helmreleases' },
];
