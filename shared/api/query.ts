// The API's query parameters, declared once with zod: the agent reads query strings with them
// (agent/api/query.ts), the OpenAPI document's parameters are generated from them, and the plugin's
// client takes its filters in their typed form (RecordFilter).
import { z } from 'zod';
import { DNS_LABEL, DRIFT_TYPES, RECORD_SOURCE_NAME, SEVERITIES } from './shapes.ts';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
/** Far beyond any real page; keeps offsets small integers for every backend. */
export const MAX_OFFSET = 1_000_000_000;

// Each error map says what was expected; `readQuery` adds the parameter and the text it was given.
const name = (pattern: RegExp, what: string) =>
  z.string().max(253, { error: what, abort: true }).regex(pattern, { error: what });

/** Digits only (no sign, exponent or blank), then a safe integer within the bounds. */
const integer = (min: number, max: number) => {
  const error = `an integer from ${min} to ${max}`;
  return z
    .string()
    .regex(/^[0-9]+$/, { error, abort: true })
    .transform(Number)
    .pipe(z.int({ error }).min(min, { error }).max(max, { error }));
};

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `one of ${values.join(', ')}` });

/** The parameters of the list endpoints; `status` is fixed by /active and /resolved. */
export const pageParams = {
  limit: integer(1, MAX_LIMIT).default(DEFAULT_LIMIT),
  offset: integer(0, MAX_OFFSET).default(0),
};

/** `?cluster=*`: the records of every cluster in the agent's database. */
export const ALL_CLUSTERS = '*';
/** A cluster name (a DNS label) or `*`. */
const CLUSTER_SELECTOR = new RegExp(`^\\*$|${DNS_LABEL.source}`);

export const recordParams = z.strictObject({
  cluster: name(CLUSTER_SELECTOR, 'a cluster name (a DNS label), or * for every cluster')
    .optional()
    .describe(
      "Another cluster's records, when several clusters share one database, or `*` for every cluster's (default: the agent's own, config kubernetes.cluster). A name with no records and no analysis in the database is a 404 that lists the known clusters.",
    ),
  namespace: name(DNS_LABEL, 'a Kubernetes namespace name')
    .optional()
    .describe('Only records in this namespace (a Kubernetes namespace name).'),
  drift_detected: z.stringbool({ truthy: ['true'], falsy: ['false'], error: 'true or false' }).optional(),
  kind: name(/^[A-Za-z][A-Za-z0-9]*$/, 'a Kubernetes kind (letters and digits)').optional(),
  severity: oneOf(SEVERITIES).optional(),
  type: oneOf(DRIFT_TYPES).optional(),
  source: name(
    RECORD_SOURCE_NAME,
    'a source name (lowercase letters, digits and -; or argocd/<app>, flux/<ns>/<name>, helm/<ns>/<release>)',
  )
    .optional()
    .describe(
      'Only records of this source (`sources[].name`; `default` for the `git:` section; `argocd/<app>` or `flux/<ns>/<name>` for one discovered with sources_from; `helm/<namespace>/<release>` for a release of a helm-release source).',
    ),
  ...pageParams,
});

/**
 * `?cluster=NAME` of the endpoints of one record (the record, its history, its desired object):
 * a resource id names one record per cluster, so `*` is for the lists only.
 */
export const recordAddressParams = z.strictObject({
  cluster: name(DNS_LABEL, 'a cluster name (a DNS label): one record is of one cluster (* is for the lists)')
    .optional()
    .describe(
      "The record of another cluster, when several clusters share one database (default: the agent's own, config kubernetes.cluster). A name with no records and no analysis in the database is a 404 that lists the known clusters. The desired object is served for the agent's own cluster only (another cluster's Git state is held by its own agent).",
    ),
});

export const historyParams = recordAddressParams.extend({ limit: pageParams.limit });

/** Which cluster's record an endpoint of one record reads (absent: the agent's own). */
export type RecordAddress = z.output<typeof recordAddressParams>;

/** The typed filters of the drift-record lists, as the plugin's client passes them. */
export type RecordFilter = Partial<z.output<typeof recordParams>>;
