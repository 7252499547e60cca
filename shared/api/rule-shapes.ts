// /api/v1/rules' shapes. Apart from shapes.ts because the rule itself is the engine's declaration
// (shared/engine/ignore/rule.ts: the config, the catalog and the Git annotation read the same one),
// and the engine's files read shared/types.ts, which reads shapes.ts.
import { z } from 'zod';
import { ignoreRuleSchema } from '../engine/ignore/rule.ts';
import { named } from './shapes.ts';

export const RULE_ORIGINS = ['config', 'default', 'catalog', 'annotation'] as const;

export const IgnoreRule = named('IgnoreRule', ignoreRuleSchema);

export const RuleStatus = named(
  'RuleStatus',
  z.strictObject({
    id: z
      .string()
      .describe(
        'Where the rule is written: `ignore[0]` and `ignore_managers[0]` (drift.rules), `catalog:cert-manager[1]`, `annotation:spec.replicas` (every object whose driftguard.io/ignore-fields names that path).',
      ),
    origin: z
      .enum(RULE_ORIGINS)
      .describe(
        '`config`: drift.rules; `default`: the built-in ignore_managers; `catalog`: an ignore_catalog entry; `annotation`: Git annotations, summarised by path.',
      ),
    catalog: z.string().optional().describe('The catalog entry (origin catalog).'),
    rule: IgnoreRule,
    matched_fields: z
      .int()
      .min(0)
      .describe(
        'Drifted fields the rule made not drift, over every object as of its last analysis. 0: the rule matches nothing now.',
      ),
    objects: z
      .int()
      .min(0)
      .optional()
      .describe('Origin annotation: how many objects in Git carry this path in their annotation.'),
  }),
);

export const RuleList = named(
  'RuleList',
  z.strictObject({ rules: z.array(RuleStatus), count: z.int().min(0) }),
);

export type RuleStatus = z.output<typeof RuleStatus>;
export type RuleList = z.output<typeof RuleList>;
