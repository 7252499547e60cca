// Helm's storage encodings, built here as Helm's storage drivers write them (base64 of gzip of the
// release JSON; the Secret driver's data is base64 once more on the wire): decoded to the fields
// the desired state needs, with clear errors that never quote the payload.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { decodeRelease, ReleasePayloadError } from './release-payload.ts';

const release = {
  name: 'web',
  namespace: 'apps',
  version: 3,
  info: { status: 'deployed' },
  chart: { metadata: { name: 'web', version: '1.2.0' } },
  config: { password: 'hunter2' },
  manifest: '---\n# Source: web/templates/a.yaml\nkind: ConfigMap\n',
  hooks: [{ name: 'migrate', manifest: 'kind: Job' }],
};
const helmEncoded = (json: string, gzip = true): string =>
  (gzip ? gzipSync(Buffer.from(json)) : Buffer.from(json)).toString('base64');
const asSecretData = (s: string): string => Buffer.from(s).toString('base64');

describe('decodeRelease', () => {
  it('reads the Secret driver (base64 twice) and the ConfigMap driver (once)', () => {
    const want = {
      name: 'web',
      namespace: 'apps',
      version: 3,
      status: 'deployed',
      manifest: release.manifest,
      chartName: 'web',
      chart: 'web-1.2.0',
    };
    const encoded = helmEncoded(JSON.stringify(release));
    assert.deepEqual(decodeRelease(asSecretData(encoded), 'secret', 's'), want);
    assert.deepEqual(decodeRelease(encoded, 'configmap', 'c'), want);
    // Helm reads an uncompressed payload too (older releases).
    assert.deepEqual(decodeRelease(helmEncoded(JSON.stringify(release), false), 'configmap', 'c'), want);
  });

  it('fails clearly on a payload that is not a release, quoting none of it', () => {
    const bad = [
      helmEncoded('{"name": "web"}'),
      helmEncoded('not json at all: hunter2'),
      Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), Buffer.from('hunter2')]).toString('base64'),
    ];
    for (const data of bad)
      assert.throws(
        () => decodeRelease(data, 'configmap', 'configmap apps/sh.helm.release.v1.web.v3'),
        (e: Error) =>
          e instanceof ReleasePayloadError &&
          e.message.startsWith('configmap apps/sh.helm.release.v1.web.v3: ') &&
          !e.message.includes('hunter2'),
      );
  });
});
