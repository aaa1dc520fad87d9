/** URL validation options for variables holding an http(s) URL (`localhost` allowed). */
export const URL_OPTIONS = {
  require_tld: false,
  require_protocol: true,
  protocols: ['http', 'https'],
};

/** class-transformer: a number from its text, `undefined` for unset or empty. */
export const toInt = ({ value }: { value: unknown }): unknown =>
  value === undefined || value === '' ? undefined : Number(value);

/** class-transformer: `true`/`1` and `false`/`0` as booleans; anything else is left to fail. */
export const toBool = ({ value }: { value: unknown }): unknown =>
  value === undefined || value === ''
    ? undefined
    : value === 'true' || value === '1'
      ? true
      : value === 'false' || value === '0'
        ? false
        : value;

/** class-transformer: an empty variable counts as unset. */
export const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  value === '' ? undefined : value;
