// Public API of the pure drift engine (data in, data out).
export { analyzeAll, analyzeResource, hasSuspectedDrift, type AnalyzeContext } from './analyze.ts';
export { confirmFields, normalizeAnswer, type ConfirmAnswer, type ConfirmedFields } from './confirm.ts';
export { summarizeDetail, summarizeResult } from './summary.ts';
export {
  parseManifests,
  MAX_FILE_BYTES,
  MAX_DEPTH,
  MAX_ALIAS_COUNT,
  type DesiredObject,
  type ManifestFile,
  type ParseError,
  type ParseResult,
  type ParseWarning,
} from './parse.ts';
export {
  defaultEngineOptions,
  validateRules,
  DEFAULT_IGNORE_MANAGERS,
  type EngineOptions,
  type EngineRules,
  type IgnoreRule,
  type IgnoreManagersRule,
} from './options.ts';
export {
  objectId,
  isClusterScoped,
  namespaceOf,
  nameOf,
  kindKey,
  kindKeyOf,
  groupOf,
  BUILTIN_GROUPS,
  CLUSTER_SCOPED_KINDS,
  type KindScopes,
} from './identity.ts';
export { normalizePair, NORMALIZERS, type Normalizer, type NormalizeContext } from './normalize/index.ts';
export { readsAutoscaled } from './normalize/ownership.ts';
export { glob } from './glob.ts';
export { stableHash } from './hash.ts';
export { canonicalQuantity, quantitiesEqual } from './quantity.ts';
export { canonicalJson } from './json.ts';
export { classify, DEFAULT_SEVERITY, TYPE_PRIORITY } from './classify.ts';
export { parseManagedFields, type ManagedFieldsEntry } from './managed-fields.ts';
export { attribute, type Attribution } from './attribution.ts';
export { formatPath, pathHasPrefix, prefixMatch, type Segment } from './path.ts';
export { isSecretValuePath, REDACTED, SECRET_VALUE_FIELDS } from './secrets.ts';
export { cleanedUpByTtl, hasFinishedTtl, jobFinished } from './job-ttl.ts';
export { crdSchemas, applyStructuralSchema, schemaFor, type CrdSchemas } from './crd-schema.ts';
export { deriveListTable, listTableKey, schemaKinds, type ListTables } from './list-table.ts';
export type { ListTable, ListType } from './list-types.ts';
export { compareResource, type Comparison, type DriftField } from './analyze.ts';
export {
  revertPlan,
  jsonPointer,
  REDACTED_AFTER,
  REDACTED_BEFORE,
  type RevertPlanOptions,
} from './revert.ts';
export { conflictInside, keptFields, mergeApply } from './revert-apply.ts';
export { serverQuantity } from './canonical.ts';
export {
  clusterMade,
  declaredIndex,
  unmanagedFacts,
  unmanagedResult,
  type DeclaredIndex,
  type DeclaredObject,
} from './unmanaged.ts';
export { emptyHits, targetedByRules, type RuleHits } from './ignore/apply.ts';
export { annotatedFields, annotationText, IGNORE_FIELDS_ANNOTATION } from './ignore/annotation.ts';
export { catalogRules, CATALOG_NAMES, IGNORE_CATALOG, type CatalogName } from './ignore/catalog.ts';
export { ignoreRuleSchema, fieldPathPattern } from './ignore/rule.ts';
export {
  parsePathPattern,
  pathPatternProblem,
  patternMatches,
  PathSyntaxError,
} from './ignore/path-pattern.ts';
export { kindMatches, ruleCoversField, ruleCoversObject } from './ignore/match.ts';
