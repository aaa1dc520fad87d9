import { Messages } from '../../errors/error-messages';

/** The JWS algorithms an id_token may be accepted with: asymmetric signatures only. */
export const ASYMMETRIC_ID_TOKEN_ALGS: readonly string[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

/** A comma- or space-separated list, trimmed, without empty entries. */
export function splitList(text: string): string[] {
  return text
    .slice(0, 1000)
    .split(/[\s,]+/)
    .filter(Boolean);
}

/**
 * Why a list of id_token algorithms (`OIDC_ID_TOKEN_ALGS`) is refused, or undefined: `none` and
 * `HS*` (an unsigned id_token, or one anyone with the client secret can forge) and unknown names.
 */
export function idTokenAlgorithmsProblem(algs: string[]): string | undefined {
  if (algs.length === 0) return Messages.idTokenAlgsEmpty();
  const insecure = algs.filter((a) => a.toLowerCase() === 'none' || /^HS\d+$/i.test(a));
  if (insecure.length > 0) {
    return Messages.idTokenAlgsInsecure(insecure);
  }
  const unknown = algs.filter((a) => !ASYMMETRIC_ID_TOKEN_ALGS.includes(a));
  if (unknown.length > 0) {
    return Messages.idTokenAlgsUnknown(unknown, ASYMMETRIC_ID_TOKEN_ALGS);
  }
  return undefined;
}
