// Colours by meaning, so every view paints severity and diff sides the same way.
import type { Severity } from '../../../shared/types.ts';
import type { DetailLine } from '../render/detail.ts';

export const SEVERITY_COLOR: Record<Severity, string> = { high: 'red', medium: 'yellow', low: 'cyan' };

export function toneColor(tone: DetailLine['tone']): string | undefined {
  switch (tone) {
    case undefined:
      return undefined;
    case 'desired':
      return 'green';
    case 'live':
      return 'red';
    case 'dim':
      return 'gray';
    case 'title':
      return 'white';
    default:
      return SEVERITY_COLOR[tone];
  }
}
