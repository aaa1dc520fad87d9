import type { JWK } from 'jose';
import { allowedAlgorithms } from './id-token.validator';
import { selectSigningKey } from './signing-key.select';

const rsa: JWK = { kty: 'RSA', kid: 'r1', n: 'x', e: 'AQAB' };
const ec256: JWK = { kty: 'EC', crv: 'P-256', kid: 'e1', x: 'x', y: 'y' };
const ec384: JWK = { kty: 'EC', crv: 'P-384', kid: 'e2', x: 'x', y: 'y' };

describe('signing key selection', () => {
  it('picks the key of the kid among keys of several types', () => {
    expect(selectSigningKey([rsa, ec256], { alg: 'ES256', kid: 'e1' })).toEqual({
      kind: 'found',
      key: ec256,
    });
    expect(selectSigningKey([rsa, ec256], { alg: 'PS256', kid: 'r1' })).toEqual({
      kind: 'found',
      key: rsa,
    });
  });

  it('counts only keys usable for the algorithm when there is no kid', () => {
    expect(selectSigningKey([rsa, ec256, ec384], { alg: 'ES256' })).toEqual({
      kind: 'found',
      key: ec256,
    });
    expect(selectSigningKey([rsa, { ...rsa, kid: 'r2' }], { alg: 'RS256' })).toEqual({
      kind: 'ambiguous',
      count: 2,
    });
  });

  it('ignores encryption keys, keys for another alg and keys without the verify operation', () => {
    const keys: JWK[] = [
      { ...rsa, use: 'enc' },
      { ...rsa, alg: 'RS512' },
      { ...rsa, key_ops: ['encrypt'] },
    ];
    expect(selectSigningKey(keys, { alg: 'RS256', kid: 'r1' })).toEqual({ kind: 'none' });
  });

  it('allows RS256 by default, asymmetric algorithms when configured, and never HS* or none', () => {
    expect(allowedAlgorithms('p')).toEqual(['RS256']);
    expect(allowedAlgorithms('p', ['ES256', 'PS256'])).toEqual(['ES256', 'PS256']);
    for (const bad of [['HS256'], ['none'], []]) {
      expect(() => allowedAlgorithms('p', bad)).toThrow(/must be asymmetric/);
    }
  });
});
