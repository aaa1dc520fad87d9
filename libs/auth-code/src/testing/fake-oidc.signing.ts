import { createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/** How {@link FakeOidc} signs its id_tokens; everything but `rs256` is an attack or a bug. */
export type FakeOidcSigning =
  /** RS256 with the current published key. */
  | 'rs256'
  /** Unsigned: `alg: none`, empty signature. */
  | 'none'
  /** HS256 with the current public key's PEM as the HMAC secret (key-confusion attack). */
  | 'hs256-public-key'
  /** RS256 with a key that is not in the JWKS, under the current key's `kid`. */
  | 'foreign-key';

/** An RSA signing key of the fake OP. */
export interface FakeOidcKey {
  /** Key id. */
  kid: string;
  /** Private half. */
  privateKey: KeyObject;
  /** Public half (published in the JWKS). */
  publicKey: KeyObject;
}

/** How one id_token is signed. */
export interface FakeOidcSignOptions {
  /** @default 'rs256' */
  signing?: FakeOidcSigning;
  /** Leave `kid` out of the header. */
  omitKid?: boolean;
  /** Put this `kid` in the header instead of the key's. */
  kid?: string;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A new 2048-bit RSA key with a random `kid`. */
export function newFakeOidcKey(): FakeOidcKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: randomBytes(8).toString('hex'), privateKey, publicKey };
}

/** Signs `claims` as a compact JWS with `key` (or, for `foreign-key`, with `foreign`). */
export function signFakeIdToken(
  claims: Record<string, unknown>,
  key: FakeOidcKey,
  foreign: FakeOidcKey,
  opts: FakeOidcSignOptions,
): string {
  const signing = opts.signing ?? 'rs256';
  if (signing === 'none') return `${b64({ alg: 'none' })}.${b64(claims)}.`;
  const alg = signing === 'hs256-public-key' ? 'HS256' : 'RS256';
  const header = { alg, typ: 'JWT', ...(opts.omitKid ? {} : { kid: opts.kid ?? key.kid }) };
  const input = `${b64(header)}.${b64(claims)}`;
  const signature =
    signing === 'hs256-public-key'
      ? createHmac('sha256', key.publicKey.export({ type: 'spki', format: 'pem' }))
          .update(input)
          .digest()
      : sign(
          'sha256',
          Buffer.from(input),
          signing === 'foreign-key' ? foreign.privateKey : key.privateKey,
        );
  return `${input}.${signature.toString('base64url')}`;
}
