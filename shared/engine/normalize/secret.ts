// Secrets: `type: Opaque` is the default, `stringData` is write-only sugar for base64 `data`, and
// values are replaced by salted hashes before anything else looks at them (see ../secrets.ts).
import { dropIfEqual } from '../json.ts';
import { hashSecretData } from '../secrets.ts';
import { eachSide } from './types.ts';

export const secretNormalizer = eachSide('secret-data', (o, ctx) => {
  if (o.kind !== 'Secret') return;
  dropIfEqual(o, 'type', 'Opaque');
  hashSecretData(o, ctx.opts.secretSalt);
});
