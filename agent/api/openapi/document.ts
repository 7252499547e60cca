// The OpenAPI document of the agent's API, built from the declarations: the schemas from the zod
// shapes (shared/api/shapes.ts), the query parameters from the zod query schemas (../query.ts).
// Only what no schema says is written here: routes, statuses and their prose. `npm run openapi`
// writes it to agent/api/openapi.yaml; test/api/openapi.test.ts fails when that file is stale.
import { stringify } from 'yaml';
import { z } from 'zod';
// Registers the rule shapes (RuleList, RuleStatus, IgnoreRule) in apiSchemas.
import '../../../shared/api/rule-shapes.ts';
import { apiSchemas, Timestamp } from '../../../shared/api/shapes.ts';
import { ANALYSIS_ID } from '../analyses.ts';
import { historyParams, recordAddressParams, recordParams } from '../query.ts';
import { metricsDescription } from '../../metrics/docs.ts';

type Node = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';
const ref = (name: string): Node => ({ $ref: `${COMPONENTS}${name}` });
const responseRef = (name: string): Node => ({ $ref: `#/components/responses/${name}` });

/** JSON Schema without the noise zod adds for standalone use. */
function tidy(schema: Node): Node {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

/** `override` for z.toJSONSchema: the document's spelling of what zod says at length. */
function override(ctx: { zodSchema: unknown; jsonSchema: Node }): void {
  const s = ctx.jsonSchema;
  // Integers are bounded by Number.MAX_SAFE_INTEGER in zod; saying so on every count is noise.
  if (s['maximum'] === Number.MAX_SAFE_INTEGER) delete s['maximum'];
  // `format: date-time` says it; zod's long pattern for it adds nothing a reader needs.
  if (ctx.zodSchema === Timestamp) delete s['pattern'];
}

function componentSchemas(): Node {
  const { schemas } = z.toJSONSchema(apiSchemas, {
    uri: (id) => `${COMPONENTS}${id}`,
    io: 'output',
    override,
  });
  return Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, tidy(s as Node)]));
}

/**
 * One query parameter per key of a query schema, with its description at parameter level, keyed by
 * `prefix` + name among the components (the lists' `cluster` and one record's differ).
 */
function queryParameters(schema: z.ZodObject, prefix = ''): Record<string, Node> {
  return Object.fromEntries(
    Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => {
      const { description, ...json } = tidy(z.toJSONSchema(field, { io: 'output', override }) as Node);
      return [prefix + name, { name, in: 'query', ...(description ? { description } : {}), schema: json }];
    }),
  );
}

const json = (description: string, schema: string): Node => ({
  description,
  content: { 'application/json': { schema: ref(schema) } },
});

const parameterRef = (name: string): Node => ({ $ref: `#/components/parameters/${name}` });
const listParameters = Object.keys(recordParams.shape).map(parameterRef);
/** The components of the endpoints of one record's own parameters (its `cluster` takes no `*`). */
const RECORD_PREFIX = 'record_';
const addressParameters = Object.keys(recordAddressParams.shape).map((k) => parameterRef(RECORD_PREFIX + k));
const historyParameters = Object.keys(historyParams.shape).map((k) =>
  k in recordAddressParams.shape ? parameterRef(RECORD_PREFIX + k) : parameterRef(k),
);

/**
 * The errors an operation answers with. 431 comes with every one: Node refuses a request line and
 * headers over 16 KiB (a huge resource id, say) before any route is matched (agent/api/server.ts).
 */
const fails = (...statuses: (400 | 404 | 413 | 500 | 503)[]): Node => {
  const names = {
    400: 'BadRequest',
    404: 'NotFound',
    413: 'TooLarge',
    431: 'HeadersTooLarge',
    500: 'Internal',
    503: 'Unavailable',
  };
  return Object.fromEntries([...statuses, 431 as const].map((s) => [String(s), responseRef(names[s])]));
};

const recordList = (operationId: string, summary: string): Node => ({
  get: {
    tags: ['records'],
    operationId,
    summary,
    parameters: listParameters,
    responses: { '200': responseRef('RecordList'), ...fails(400, 404, 500, 503) },
  },
});

const DESCRIPTION = `The DriftGuard agent's REST API (served on its own listener, 127.0.0.1 in the shipped
manifests and reached through \`kubectl port-forward\`) and its health/metrics endpoints
(a separate listener on 0.0.0.0 for probes and Prometheus).

Every body is JSON with snake_case fields. Every error is \`{"error": "..."}\` with the status
that fits: 400 (bad input: unknown or repeated query parameter, wrong type, malformed id),
404 (unknown resource, analysis, cluster or route), 405 (wrong method), 413 (body over the limit),
431 (request line and headers over 16 KiB, e.g. an overlong resource id), 500 (internal error), 503 (store unavailable or request timed out).

Resource ids are \`Kind:namespace:name\`, URL-encoded in paths; cluster-scoped objects have an
empty namespace (\`Kind::name\`). A kind served by a CRD or an aggregated API carries its group
(\`Gateway.gateway.networking.k8s.io:web:edge\`); names may contain \`:\` (ids split from the left).
`;

/** The whole document as a plain object. */
export function openApiDocument(): Node {
  return {
    openapi: '3.1.0',
    info: {
      title: 'DriftGuard agent API',
      version: '0.1.0',
      description: DESCRIPTION,
      license: { name: 'Apache-2.0' },
    },
    servers: [
      { url: 'http://127.0.0.1:8080', description: 'API listener (through kubectl port-forward)' },
      { url: 'http://127.0.0.1:8081', description: 'health and metrics listener' },
    ],
    tags: [
      { name: 'records' },
      { name: 'analysis' },
      { name: 'audit' },
      { name: 'waivers' },
      { name: 'rules' },
      { name: 'health' },
    ],
    paths: {
      '/health': {
        get: {
          tags: ['health'],
          operationId: 'health',
          summary: 'Liveness; answers while the process serves requests (on both listeners).',
          responses: { '200': json('The process is running.', 'Health') },
        },
      },
      '/ready': {
        get: {
          tags: ['health'],
          operationId: 'ready',
          summary:
            'Readiness (on both listeners); 200 only when the store is reachable, watches are synced and the desired state is loaded.',
          responses: {
            '200': json('Every component is ready.', 'Readiness'),
            '503': json(
              'At least one component is not ready; `message` names each one and why.',
              'Readiness',
            ),
          },
        },
      },
      '/metrics': {
        get: {
          tags: ['health'],
          operationId: 'metrics',
          summary: 'Prometheus metrics of this agent.',
          description: metricsDescription(),
          responses: {
            '200': {
              description: 'Metrics in the Prometheus text format.',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
          },
        },
      },
      '/api/v1/version': {
        get: {
          tags: ['analysis'],
          operationId: 'version',
          summary: "The agent's version and the commit it was built from.",
          responses: { '200': json('Version.', 'Version'), ...fails(400, 503) },
        },
      },
      '/api/v1/drift-records': recordList('listDriftRecords', 'Drift records matching the filters.'),
      '/api/v1/drift-records/active': recordList(
        'listActiveDriftRecords',
        'Records whose drift is active (same filters).',
      ),
      '/api/v1/drift-records/resolved': recordList(
        'listResolvedDriftRecords',
        'Records whose drift was resolved (same filters).',
      ),
      '/api/v1/drift-records/{resourceId}': {
        get: {
          tags: ['records'],
          operationId: 'getDriftRecord',
          summary: 'One record.',
          parameters: [parameterRef('resourceId'), ...addressParameters],
          responses: { '200': json('The record.', 'DriftRecord'), ...fails(400, 404, 500, 503) },
        },
      },
      '/api/v1/drift-records/{resourceId}/history': {
        get: {
          tags: ['records'],
          operationId: 'getDriftHistory',
          summary: 'Transitions of one record, newest first.',
          parameters: [parameterRef('resourceId'), ...historyParameters],
          responses: {
            '200': json(
              "The record's transitions, newest first; `count` is the number returned.",
              'DriftHistory',
            ),
            ...fails(400, 404, 500, 503),
          },
        },
      },
      '/api/v1/drift-records/{resourceId}/desired': {
        get: {
          tags: ['records'],
          operationId: 'getDesiredObject',
          summary:
            'The object Git declares for a tracked resource, at the commit the agent holds it from, and its ' +
            'revert plan against the live object the agent watches: what `kubectl driftguard diff` shows and ' +
            "`revert` applies. Secret values are never served: a Secret's `apply` has no data and " +
            '`secret_values_withheld` is true.',
          parameters: [parameterRef('resourceId'), ...addressParameters],
          responses: {
            '200': json('The desired object and its revert plan.', 'DesiredObject'),
            ...fails(400, 404, 500, 503),
          },
        },
      },
      '/api/v1/statistics': {
        get: {
          tags: ['records'],
          operationId: 'getStatistics',
          summary: 'Aggregates over every record, the last 24 hours of transitions and the last analysis.',
          responses: { '200': json('Statistics.', 'StatisticsResponse'), ...fails(400, 500, 503) },
        },
      },
      '/api/v1/analyze': {
        post: {
          tags: ['analysis'],
          operationId: 'triggerAnalysis',
          summary: 'Starts a full analysis, or joins the one already running (same analysis_id).',
          requestBody: {
            required: false,
            description: 'Empty, or an empty JSON object.',
            content: { 'application/json': { schema: ref('EmptyBody') } },
          },
          responses: {
            '202': {
              ...json(
                'Analysis started or joined; poll /api/v1/analyses/{id} (also in the Location header).',
                'AnalyzeResponse',
              ),
              headers: { Location: { schema: { type: 'string' } } },
            },
            ...fails(400, 413, 503),
          },
        },
      },
      '/api/v1/waivers': {
        get: {
          tags: ['waivers'],
          operationId: 'listWaivers',
          summary: 'Every waiver of this cluster, with its state now (active, expired, revoked, void).',
          responses: { '200': json('The waivers, oldest first.', 'WaiverList'), ...fails(400, 500, 503) },
        },
        post: {
          tags: ['waivers'],
          operationId: 'createWaiver',
          summary:
            'Accepts known drift until an expiry: the drift it covers shows as `waived` (not active) until the expiry, a revoke, or (one resource) the live value changing again.',
          requestBody: {
            required: true,
            description:
              'Owner, reason, expiry (`for` or `expires_at`) and scope (`resource_id` [+ `field`], or a rule).',
            content: { 'application/json': { schema: ref('WaiverRequest') } },
          },
          responses: { '201': json('The waiver made.', 'Waiver'), ...fails(400, 413, 500, 503) },
        },
      },
      '/api/v1/waivers/{id}': {
        delete: {
          tags: ['waivers'],
          operationId: 'revokeWaiver',
          summary: 'Revokes a waiver: the drift it covered is active again at once.',
          parameters: [
            {
              name: 'id',
              in: 'path',
              required: true,
              schema: { type: 'string', pattern: '^[A-Za-z0-9-]{1,64}$' },
            },
          ],
          responses: { '200': json('The waiver, revoked.', 'Waiver'), ...fails(400, 404, 500, 503) },
        },
      },
      '/api/v1/rules': {
        get: {
          tags: ['rules'],
          operationId: 'listRules',
          summary:
            'Every ignore rule the agent applies (drift.rules, the default field-manager rules, the named catalog entries, Git annotations summarised by path), with how many drifted fields it matched in the last analysis: a rule that matches nothing shows 0.',
          responses: { '200': json('The rules, config first.', 'RuleList'), ...fails(400, 503) },
        },
      },
      '/api/v1/audit': {
        post: {
          tags: ['audit'],
          operationId: 'receiveAuditEvents',
          summary:
            "The API server's audit webhook backend (config audit.webhook): writes to watched kinds are joined to the drift they cause (records' changed_by).",
          requestBody: {
            required: true,
            description: 'An audit.k8s.io/v1 EventList, as --audit-webhook-config-file sends it.',
            content: { 'application/json': { schema: ref('AuditEventList') } },
          },
          responses: {
            '200': json('Taken: how many events came and how many writes were kept.', 'AuditAccepted'),
            ...fails(400, 404, 413),
          },
        },
      },
      '/api/v1/analyses/{id}': {
        get: {
          tags: ['analysis'],
          operationId: 'getAnalysis',
          summary: 'Status of a recent analysis (the agent keeps at least the last 100).',
          parameters: [
            {
              name: 'id',
              in: 'path',
              required: true,
              schema: { type: 'string', pattern: ANALYSIS_ID.source },
            },
          ],
          responses: { '200': json('The analysis.', 'AnalysisStatus'), ...fails(400, 404, 503) },
        },
      },
    },
    components: {
      parameters: {
        resourceId: {
          name: 'resourceId',
          in: 'path',
          required: true,
          description:
            '`Kind:namespace:name` (cluster-scoped: `Kind::name`; CRD kinds `Kind.group`), URL-encoded.',
          schema: { type: 'string' },
          example: 'Deployment%3Ashop%3Aweb',
        },
        // The history's `limit` is the lists' (pageParams.limit).
        ...queryParameters(recordParams),
        ...queryParameters(recordAddressParams, RECORD_PREFIX),
      },
      responses: {
        RecordList: json(
          'A page of records; `count` is the total matching the filters (ignoring limit/offset).',
          'DriftRecordList',
        ),
        BadRequest: json(
          'Invalid input (unknown or repeated query parameter, wrong type, malformed id or body).',
          'Error',
        ),
        NotFound: json('Unknown resource, analysis or route.', 'Error'),
        TooLarge: json('Request body over the configured limit.', 'Error'),
        HeadersTooLarge: json(
          'Request line and headers over 16 KiB (refused before routing, e.g. an overlong resource id).',
          'Error',
        ),
        Internal: json("Unexpected failure (details are in the agent's log).", 'Error'),
        Unavailable: json('The store is unreachable, or the request timed out.', 'Error'),
      },
      schemas: componentSchemas(),
    },
  };
}

/** The document as agent/api/openapi.yaml holds it. */
export function openApiYaml(): string {
  const header =
    '# Generated from shared/api/shapes.ts, agent/api/query.ts and agent/api/openapi/document.ts by\n' +
    '# `npm run openapi`; do not edit (test/api/openapi.test.ts fails when this file is stale).\n';
  return header + stringify(openApiDocument(), { lineWidth: 0, aliasDuplicateObjects: false });
}
