// The API's JSON shapes, declared once with zod: shared/types.ts infers the TypeScript types from
// them (the engine's output, the stored records, the API bodies and the plugin's `-o json` are the
// same snake_case shapes), and agent/api/openapi/ generates the OpenAPI document's schemas from
// them. Every shape that the document names is in `apiSchemas` under its component name.
import { z } from 'zod';

export const DRIFT_TYPES = [
  'Scaling',
  'VersionChange',
  'ResourceChange',
  'ConfigurationChange',
  'LabelChange',
  'AnnotationChange',
  'PortChange',
  'VolumeChange',
  'SecretChange',
  'ConfigMapChange',
  'Missing',
  'Unmanaged',
  'Superseded',
] as const;
export const SEVERITIES = ['low', 'medium', 'high'] as const;
/** `waived`: an active drift a waiver covers until it expires or the live value changes again. */
export const DRIFT_STATUSES = ['none', 'active', 'resolved', 'waived'] as const;
export const TRANSITIONS = ['detected', 'updated', 'resolved'] as const;
/** A DNS label (RFC 1123): lower-case letters, digits and -, at most 63, alphanumeric at both ends. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A source's name (`sources[].name`): what records, events, `?source=` and `--source` carry. */
export const SOURCE_NAME = DNS_LABEL;
/**
 * Any source a record may name: a configured one, one discovered from a GitOps object
 * (sources_from: `argocd/<app>`, `flux/<namespace>/<name>`; object names are DNS subdomains), or
 * a release of a helm-release source (`helm/<namespace>/<release>`).
 */
export const RECORD_SOURCE_NAME =
  /^(?:[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?|argocd\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?|(?:flux|helm)\/[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/;
const SOURCE_TYPES_RENDERED = ['directory', 'kustomize', 'helm'] as const;

/** The shapes the OpenAPI document names, by component name. */
export const apiSchemas = z.registry<{ id: string }>();
export const named = <T extends z.ZodType>(id: string, schema: T): T => {
  apiSchemas.add(schema, { id });
  return schema;
};

const count = () => z.int().min(0);

export const DriftType = named('DriftType', z.enum(DRIFT_TYPES));
export const Severity = named('Severity', z.enum(SEVERITIES));
export const DriftStatus = named('DriftStatus', z.enum(DRIFT_STATUSES));
/** ISO 8601 / RFC 3339, as `Date.toISOString()` writes it. */
export const Timestamp = named('Timestamp', z.iso.datetime({ offset: true }));
export const JsonValue = named('JsonValue', z.json());

export const DriftDetail = named(
  'DriftDetail',
  z
    .strictObject({
      path: z.string().describe('JSON path, e.g. `spec.template.spec.containers[name=web].image`.'),
      type: DriftType,
      severity: Severity,
      desired: JsonValue.optional().describe('Any JSON value.'),
      live: JsonValue.optional().describe('Any JSON value.'),
      manager: z.string().nullable().describe('Field manager that last wrote the live field.'),
      /** When that manager last wrote it, if known. */
      changed_at: Timestamp.nullable(),
      confirmed: z
        .boolean()
        .optional()
        .describe(
          "true: the API server's dry-run of Git's object differs from live here too; false: the normalised comparison's verdict alone (why in confirm_reason). Absent only on records stored before confirmation existed.",
        ),
      confirm_reason: z
        .string()
        .optional()
        .describe('Why the drift is not confirmed, e.g. `confirm is off` or the dry-run refusal.'),
    })
    .describe(
      'One changed field. Secret values never appear in desired/live. desired/live are absent when the field is absent on that side.',
    ),
);

export const ExplainedField = named(
  'ExplainedField',
  z
    .strictObject({
      path: z.string(),
      desired: JsonValue.optional().describe("Git's value; null when Git does not set the field."),
      live: JsonValue.optional().describe('The value admission or the server set; null when it removed it.'),
    })
    .describe(
      "A field where live differs from Git that the API server's dry-run of Git's object explains (set on admission or by the server): information, not drift.",
    ),
);

/** The engine's verdict for one resource: what `analyze --local -o json` prints per record. */
export const DriftResult = z.strictObject({
  resource_id: z.string().describe('`Kind:namespace:name`'),
  kind: z.string(),
  namespace: z.string().describe('Empty for cluster-scoped objects.'),
  name: z.string(),
  api_version: z.string(),
  drift_detected: z.boolean(),
  drift_status: z.enum(['none', 'active']),
  drift_type: DriftType.nullable(),
  severity: Severity.nullable(),
  drift_details: z.array(DriftDetail),
  explained: z
    .array(ExplainedField)
    .optional()
    .describe(
      'Differences from Git that the dry-run explains (absent when there are none or confirm did not run).',
    ),
  desired_hash: z.string().nullable(),
  live_hash: z.string().nullable(),
  git_commit: z.string().nullable(),
  source_file: z.string().nullable(),
});

/** Who made the write that caused a drift episode, from the API server's audit events. */
export const ChangeAuthor = named(
  'ChangeAuthor',
  z
    .strictObject({
      user: z.string().describe('The authenticated user (`user.username` of the audit event).'),
      groups: z.array(z.string()),
      impersonated_by: z
        .string()
        .nullable()
        .describe('The real user when `user` was impersonated (`--as`); null otherwise.'),
      user_agent: z.string().nullable(),
      source_ips: z.array(z.string()),
      manager: z
        .string()
        .nullable()
        .describe('The field manager of the write (its `fieldManager`, else from the user agent).'),
      verb: z.string().describe('create, update, patch or delete.'),
      time: Timestamp,
      resource_version: z
        .string()
        .nullable()
        .describe("The object's resourceVersion after the write, when the audit event carries it."),
      audit_id: z.string(),
    })
    .describe(
      'The person (or program) behind a drift, joined from an audit event to the write that caused it.',
    ),
);

/** What a waiver covers: one resource (and one field of it), or a rule over kinds, namespaces and names. */
export const WaiverScope = named(
  'WaiverScope',
  z
    .strictObject({
      resource_id: z
        .string()
        .min(1)
        .nullable()
        .describe('One resource (`Kind:namespace:name`); null: a rule.'),
      kind: z.string().min(1).nullable().describe('A rule: the kind (a glob), e.g. `Deployment`.'),
      namespace: z.string().min(1).nullable().describe('A rule: the namespace (a glob).'),
      name: z.string().min(1).nullable().describe('A rule: the name (a glob).'),
      field: z
        .string()
        .min(1)
        .nullable()
        .describe(
          'A field path prefix (`spec.replicas`); null: every field. Every drifted field must be covered.',
        ),
    })
    .refine((s) => s.resource_id !== null || s.kind !== null || s.namespace !== null || s.name !== null, {
      error: 'a waiver names a resource_id, or a rule with at least one of kind, namespace, name',
    }),
);

/** A waiver's state now: in force, or why not. */
export const WAIVER_STATES = ['active', 'expired', 'revoked', 'void'] as const;

/** Known drift accepted for a while: the drift shows as `waived`, not active, while this is in force. */
export const Waiver = named(
  'Waiver',
  z.strictObject({
    id: z.string(),
    cluster: z.string(),
    owner: z.string().min(1),
    reason: z.string().min(1),
    scope: WaiverScope,
    created_at: Timestamp,
    expires_at: Timestamp,
    revoked_at: Timestamp.nullable(),
    voided_at: Timestamp.nullable().describe(
      'When the live value changed again (a waiver of one resource ends then).',
    ),
    signature: z
      .string()
      .nullable()
      .describe(
        'The waived drift (fields and values) of a one-resource waiver when it was made; another one voids it.',
      ),
    state: z.enum(WAIVER_STATES),
  }),
);

export const WaiverList = named('WaiverList', z.strictObject({ waivers: z.array(Waiver), count: count() }));

/** POST /api/v1/waivers: the expiry is required, as `for` (`7d`, `12h`) or `expires_at`. */
export const WaiverRequest = named(
  'WaiverRequest',
  z
    .strictObject({
      owner: z.string().min(1),
      reason: z.string().min(1),
      for: z.string().min(1).optional().describe('How long, e.g. `7d`, `12h`, `30m`.'),
      expires_at: Timestamp.optional(),
      resource_id: z.string().min(1).optional(),
      kind: z.string().min(1).optional(),
      namespace: z.string().min(1).optional(),
      name: z.string().min(1).optional(),
      field: z.string().min(1).optional(),
    })
    .refine((r) => (r.for === undefined) !== (r.expires_at === undefined), {
      error: 'an expiry is required: give `for` (e.g. 7d) or `expires_at`, not both',
    })
    .refine(
      (r) =>
        r.resource_id !== undefined ||
        r.kind !== undefined ||
        r.namespace !== undefined ||
        r.name !== undefined,
      {
        error: 'say what is waived: resource_id, or a rule with kind, namespace and/or name',
      },
    ),
);

/** The waiver a waived record is under. */
export const WaiverRef = named(
  'WaiverRef',
  z.strictObject({ id: z.string(), owner: z.string(), reason: z.string(), expires_at: Timestamp }),
);

/** A field two (or more) field managers keep taking from each other (config drift.fight). */
export const DriftFight = named(
  'DriftFight',
  z
    .strictObject({
      path: z.string().describe('The field fought over, e.g. `spec.replicas`.'),
      managers: z
        .array(z.string())
        .min(2)
        .describe(
          "The field managers taking it in turn (`git` is a return to Git's value, whoever wrote it).",
        ),
      flips: z.int().min(1).describe('Changes of manager within the window.'),
      since: Timestamp,
      last_flip: Timestamp,
      flagged_at: Timestamp,
    })
    .describe(
      'A fight: the field flipped between managers at least drift.fight.flips times within drift.fight.window (`since`: the first of those flips). The record is notified once, at `flagged_at`; its later flips are kept in the history only.',
    ),
);

/** A drift record as the agent stores it and the API serves it. */
export const DriftRecord = named(
  'DriftRecord',
  DriftResult.extend({
    cluster: z
      .string()
      .describe(
        'The cluster of the agent that wrote it (config kubernetes.cluster); several may share one database.',
      ),
    drift_status: DriftStatus,
    source: z
      .string()
      .nullable()
      .optional()
      .describe(
        'The configured source the object comes from (`sources[].name`; `default` for the `git:` section). Absent on records stored before sources existed, until their next analysis.',
      ),
    first_detected: Timestamp.nullable(),
    last_checked: Timestamp,
    resolved_at: Timestamp.nullable(),
    last_known_good_hash: z.string().nullable().describe('The live hash when live last matched Git.'),
    resolution_message: z.string().nullable().describe('e.g. "replicas back to 3 (kubectl-scale)".'),
    verdict_key: z
      .string()
      .nullable()
      .optional()
      .describe(
        'What the verdict was computed from (engine code, rules, cluster facts, desired object and commit, live uid@resourceVersion), as fingerprints: while it is unchanged a full analysis keeps the verdict without running the engine. Absent on records written before it existed (they miss once).',
      ),
    waiver: WaiverRef.nullable()
      .optional()
      .describe('The waiver a `waived` record is under; absent otherwise.'),
    fight: DriftFight.nullable()
      .optional()
      .describe('Set while the drifted field is fought over by field managers; absent or null otherwise.'),
    changed_by: ChangeAuthor.nullable()
      .optional()
      .describe(
        'Who made the write that caused this drift episode, when the agent receives audit events (config audit); absent or null otherwise: the field managers in drift_details still say which program.',
      ),
  }),
);

/** One transition of a record's life, appended to its history. */
export const DriftEvent = named(
  'DriftEvent',
  z.strictObject({
    /** Deterministic (cluster, resource id, transition, time), so a retried write stores it once. */
    event_id: z.string(),
    cluster: z.string(),
    resource_id: z.string(),
    event: z.enum(TRANSITIONS),
    from_status: DriftStatus,
    to_status: DriftStatus,
    time: Timestamp,
    drift_type: DriftType.nullable(),
    severity: Severity.nullable(),
    kind: z.string(),
    namespace: z.string(),
    source: z
      .string()
      .nullable()
      .optional()
      .describe("The record's source at the transition (absent on events stored before sources existed)."),
    message: z.string().nullable(),
  }),
);

export const DriftRecordList = named(
  'DriftRecordList',
  z
    .strictObject({ drift_records: z.array(DriftRecord), count: count() })
    .describe('A page of records; `count` is the total matching the filters (ignoring limit/offset).'),
);

export const DriftHistory = named(
  'DriftHistory',
  z
    .strictObject({ resource_id: z.string(), events: z.array(DriftEvent), count: count() })
    .describe("The record's transitions, newest first; `count` is the number returned."),
);

export const LastAnalysis = named(
  'LastAnalysis',
  z.strictObject({
    started_at: Timestamp,
    finished_at: Timestamp,
    duration_seconds: z.number().min(0),
    resources: count(),
    git_commit: z.string().nullable(),
    agent_version: z
      .string()
      .optional()
      .describe('The version of the agent that ran it (absent on analyses stored before it was kept).'),
  }),
);

export const SourceStatistics = named(
  'SourceStatistics',
  z.strictObject({
    name: z.string(),
    type: z
      .enum(SOURCE_TYPES_RENDERED)
      .nullable()
      .describe('How the source is read (`auto` resolved); null before its first sync.'),
    tool: z.string().nullable().describe('e.g. `helm v4.3.2`; null for a plain directory.'),
    git_commit: z.string().nullable(),
    objects: count(),
    drifted: count().describe('Records of this source in active drift.'),
    skipped: count().describe('Helm hooks and test pods rendered but not compared.'),
    unstable: count().describe('Fields that differ between two renders; never drift.'),
    render_failed: z
      .string()
      .nullable()
      .describe('Why the newest commit did not render; the last good desired state is still analysed.'),
  }),
);

export const ClusterStatistics = named(
  'ClusterStatistics',
  z
    .strictObject({
      cluster: z.string(),
      total_resources: count(),
      active_drifts: count(),
      by_severity: z.partialRecord(Severity, count()).describe('Active drifts by severity.'),
      last_analysis: LastAnalysis.nullable(),
      agent_version: z
        .string()
        .nullable()
        .describe("The version of the agent that ran the cluster's last analysis; null if unknown."),
    })
    .describe("One cluster's figures, as its agent last wrote them to the shared database."),
);

export const Statistics = named(
  'Statistics',
  z.strictObject({
    total_resources: count(),
    drifted_resources: count(),
    active_drifts: count(),
    resolved_drifts: count(),
    by_type: z
      .partialRecord(DriftType, count())
      .describe('Counts by drift type (types with no drift may be absent).'),
    by_severity: z.partialRecord(Severity, count()),
    by_namespace: z.record(z.string(), count()),
    mean_time_to_resolve_seconds: z.number().min(0).nullable(),
    drift_score: z
      .number()
      .min(0)
      .max(1)
      .describe(
        'Severity-weighted share of tracked resources in active drift: each actively drifted resource ' +
          'weighs low=1, medium=2, high=3, and the sum is divided by 3 × total tracked resources. 0 = ' +
          'everything in sync; 1 = every resource in high-severity drift.',
      ),
    last_analysis: LastAnalysis.nullable(),
    trend: z
      .array(z.strictObject({ time: Timestamp, active: count() }))
      .describe('Active drifts over the last 24 hours.'),
    sources: z.array(SourceStatistics).describe('Each configured source, in config order.'),
    clusters: z
      .array(ClusterStatistics)
      .describe(
        "Every cluster whose agent publishes to this agent's database (several agents may share one), by name: as each agent last published it (within about a second of a change); this agent's own line is exact.",
      ),
  }),
);

export const StatisticsResponse = named('StatisticsResponse', z.strictObject({ statistics: Statistics }));

export const AnalysisStatus = named(
  'AnalysisStatus',
  z.strictObject({
    analysis_id: z.string(),
    status: z.enum(['running', 'completed', 'failed']),
    trigger: z.enum(['periodic', 'watch', 'manual', 'git']),
    started_at: Timestamp,
    finished_at: Timestamp.nullable(),
    resources: count(),
    drifted: count(),
    detected: count(),
    resolved: count(),
    error: z.string().nullable(),
  }),
);

export const AnalyzeResponse = named(
  'AnalyzeResponse',
  z.strictObject({
    message: z.literal('Analysis triggered'),
    status: z.literal('started'),
    analysis_id: z.string().min(1),
  }),
);

/** The body POST /api/v1/analyze accepts: nothing, or `{}`. */
export const EmptyBody = named('EmptyBody', z.strictObject({}));

export const ComponentState = named(
  'ComponentState',
  z.strictObject({
    name: z
      .union([
        z.enum(['store', 'watches', 'git', 'permissions', 'leader', 'memory', 'confirm', 'sources_from']),
        z.templateLiteral(['source:', z.string()]),
      ])
      .describe(
        '`source:<name>` for each configured or discovered source (`argocd/<app>`, `flux/<ns>/<name>`), beside the aggregate `git`; `sources_from` when the agent reads GitOps objects.',
      ),
    ready: z.boolean(),
    message: z.string(),
    type: z
      .enum(SOURCE_TYPES_RENDERED)
      .nullable()
      .optional()
      .describe('Sources only: how the source is read (`auto` resolved); null before its first sync.'),
    render_failed: z
      .string()
      .nullable()
      .optional()
      .describe(
        'Sources only: why its newest commit did not render (tool, exit code, stderr without temp paths or secrets). Its last good desired state is still analysed.',
      ),
    warning: z
      .string()
      .nullable()
      .optional()
      .describe(
        'Set while the component is ready but needs attention: `memory` near the container limit read from the cgroup.',
      ),
  }),
);

export const Readiness = named(
  'Readiness',
  z.strictObject({
    status: z.enum(['ready', 'not_ready']),
    message: z.string().describe('"All components ready", or each failing component and why.'),
    components: z.array(ComponentState),
  }),
);

export const Health = named(
  'Health',
  z.strictObject({ status: z.literal('healthy'), message: z.literal('Service is running') }),
);

export const Version = named(
  'Version',
  z.strictObject({ version: z.string(), git_commit: z.string().nullable() }),
);

export const FieldSegment = named(
  'FieldSegment',
  z
    .union([
      z.strictObject({ field: z.string() }),
      z.strictObject({ key: z.record(z.string(), z.union([z.string(), z.number()])), label: z.string() }),
    ])
    .describe('One step of a field path: a map key, or a list item named by its merge key (`name=web`).'),
);

export const PruneField = named(
  'PruneField',
  z
    .strictObject({ path: z.string(), segments: z.array(FieldSegment) })
    .describe('A field set in the cluster that Git does not set (removed by `revert --prune-fields`).'),
);

const JsonObject = z.record(z.string(), JsonValue);

/** What putting one object back to its desired state means. */
export const RevertPlan = z.strictObject({
  resource_id: z.string(),
  kind: z.string(),
  namespace: z.string(),
  name: z.string(),
  api_version: z.string(),
  source_file: z.string(),
  source_document: z
    .int()
    .min(1)
    .nullable()
    .describe(
      'Which document of source_file declares the object (1 = the first non-empty one); null when the file is not where it is written as is (a Kustomize render).',
    ),
  drift_detected: z.boolean(),
  desired_view: JsonObject.describe('The normalised desired object; Secret values shown as `(redacted)`.'),
  live_view: JsonObject.nullable().describe(
    'The desired view with every drift field at its live value (the two differ only where there is ' +
      'drift); null when the object is missing.',
  ),
  apply: JsonObject.describe(
    "What a server-side apply sends, in the server's spelling: for an object that exists, its identity and the drifted fields at their desired values (nothing else, so the revert owns exactly those); for a missing one, the object as declared. Fields the agent's rules ignore are never in it.",
  ),
  secret_values_withheld: z
    .boolean()
    .describe('True when Secret values were left out of `apply`: the agent never serves them.'),
  drift_paths: z.array(z.string()).describe('Paths of the drift fields, as in drift details.'),
  prune: z.array(PruneField),
});

export const DesiredObject = named(
  'DesiredObject',
  RevertPlan.extend({
    git_commit: z.string().describe('The commit the desired object came from.'),
    head_commit: z.string().nullable().describe("The agent's current Git HEAD."),
  }).describe(
    'The object Git declares for a tracked resource, at the commit the agent holds it from, with its ' +
      'revert plan against the live object the agent watches.',
  ),
);

/**
 * What POST /api/v1/audit accepts: an audit.k8s.io/v1 EventList, as the API server's audit webhook
 * backend sends it. Only the fields the join reads are declared; the rest pass through unread.
 */
export const AuditEvent = named(
  'AuditEvent',
  z.looseObject({
    auditID: z.string(),
    stage: z.string(),
    verb: z.string(),
    requestURI: z.string().optional(),
    user: z.looseObject({ username: z.string().optional(), groups: z.array(z.string()).optional() }),
    impersonatedUser: z
      .looseObject({ username: z.string().optional(), groups: z.array(z.string()).optional() })
      .nullable()
      .optional(),
    sourceIPs: z.array(z.string()).optional(),
    userAgent: z.string().optional(),
    objectRef: z
      .looseObject({
        resource: z.string().optional(),
        namespace: z.string().optional(),
        name: z.string().optional(),
        apiGroup: z.string().optional(),
        apiVersion: z.string().optional(),
        resourceVersion: z.string().optional(),
        subresource: z.string().optional(),
      })
      .optional(),
    responseStatus: z.looseObject({ code: z.int().optional() }).optional(),
    responseObject: z
      .looseObject({ metadata: z.looseObject({ resourceVersion: z.string().optional() }).optional() })
      .optional(),
    requestReceivedTimestamp: Timestamp.optional(),
    stageTimestamp: Timestamp.optional(),
  }),
);

export const AuditEventList = named(
  'AuditEventList',
  z
    .looseObject({
      apiVersion: z.literal('audit.k8s.io/v1'),
      kind: z.literal('EventList'),
      items: z.array(AuditEvent),
    })
    .describe("An audit.k8s.io/v1 EventList, as the API server's audit webhook backend sends it."),
);

export const AuditAccepted = named(
  'AuditAccepted',
  z.strictObject({
    received: count().describe('Events in the list.'),
    kept: count().describe('Writes to watched kinds kept for the join (the rest are not drift causes).'),
  }),
);

/** Every error the API answers with. */
export const ApiErrorBody = named('Error', z.strictObject({ error: z.string().min(1) }));
