// drift.confirm: dry-run needs `create` on each tracked kind (the dry-run create of Git's object;
// the shipped ValidatingAdmissionPolicy lets the agent nothing but dry-runs). Asked once the kinds
// are resolved (SelfSubjectAccessReview, as for the reads), and named in /ready (component
// `confirm`): a kind it may not dry-run keeps its suspected drift, marked unconfirmed with the
// refusal; the agent stays ready and every other kind is confirmed.
import type { KubeConfig } from '@kubernetes/client-node';
import type { ComponentState } from '../api/control.ts';
import type { Logger } from '../log.ts';
import type { KindInfo } from './kinds.ts';
import { allowed } from './permissions.ts';

export class ConfirmCheck {
  /** Kind keys it may not dry-run; null until checked. */
  private denied: string[] | null = null;

  constructor(
    private readonly kc: KubeConfig,
    private readonly log: Logger,
    /** false: drift.confirm is off (nothing to check). */
    private readonly enabled: boolean,
  ) {}

  async check(kinds: readonly KindInfo[]): Promise<void> {
    if (!this.enabled) return;
    const denied: string[] = [];
    for (const info of kinds) {
      try {
        const a = await allowed(this.kc, { info }, 'create');
        if (!a.allowed) denied.push(info.key);
      } catch (err) {
        this.log.warn(
          {
            event: 'permission_check_failed',
            kind: info.key,
            err: err instanceof Error ? err.message : String(err),
          },
          'could not check the dry-run permission; confirming anyway',
        );
      }
    }
    this.denied = denied;
    if (denied.length > 0)
      this.log.warn(
        { event: 'confirm_permission_denied', kinds: denied },
        `may not dry-run ${denied.join(', ')}: their suspected drift stays unconfirmed; grant create on them (the shipped policy allows dry-runs only) or set drift.confirm: off`,
      );
  }

  state(): ComponentState {
    if (!this.enabled)
      return {
        name: 'confirm',
        ready: true,
        message: 'off (drift.confirm): suspected drift is not confirmed with the API server',
      };
    if (this.denied === null)
      return { name: 'confirm', ready: true, message: 'dry-run: permissions not checked yet' };
    if (this.denied.length === 0)
      return { name: 'confirm', ready: true, message: 'dry-run: may dry-run every tracked kind' };
    const message = `dry-run: forbidden to create (dry-run) ${this.denied.join(', ')}: their suspected drift stays unconfirmed (every other kind is confirmed)`;
    return { name: 'confirm', ready: true, message, warning: message };
  }
}
