import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ConfigurationError } from '../../errors/auth-code.errors';
import { isInstalled } from '../../core/optional-dependency';
import { Messages } from '../../errors/error-messages';
import { parseKeyList } from '../../tokens/crypto/key-format';
import { ENCRYPTION_KEYS_VARIABLE } from '../../tokens/crypto/key-ring';
import { PROVIDER_DESCRIPTORS } from '../../providers/provider-list';
import { AuthCodeEnvironment } from './auth-code.environment';

const RANGE_CHECKS = new Set(['min', 'max', 'minLength', 'maxLength']);

/**
 * Validates the environment with class-validator and the cross-variable rules (a provider's
 * variables come together; production needs real secrets). Throws ONE `ConfigurationError` whose
 * message lists every problem by variable name.
 */
export function validateAuthCodeEnvironment(env: Record<string, unknown>): AuthCodeEnvironment {
  const { parsed, problems } = checkAuthCodeEnvironment(env);
  if (problems.length > 0) {
    throw new ConfigurationError({
      code: 'invalid_config',
      operation: 'config',
      message: Messages.envInvalid(problems),
    });
  }
  return parsed;
}

/**
 * Every problem of the environment, in one round: values, variables that must come together,
 * encryption keys, what production requires, optional packages the configuration needs. An app
 * that checks more of its own (the sample's demo mode) can list its problems beside these.
 */
export function checkAuthCodeEnvironment(env: Record<string, unknown>): {
  /** The typed environment (meaningful only without problems). */
  parsed: AuthCodeEnvironment;
  /** One sentence per problem, naming the variable; empty when the environment is valid. */
  problems: string[];
} {
  const parsed = plainToInstance(AuthCodeEnvironment, env, { exposeDefaultValues: true });
  const problems = schemaProblems(parsed);
  parsed.enabledProviders = [];
  for (const descriptor of PROVIDER_DESCRIPTORS) {
    const { schema, enabledBy, requires, check } = descriptor.environment;
    const own = plainToInstance(schema, env, { exposeDefaultValues: true }) as Record<
      string,
      unknown
    >;
    problems.push(...schemaProblems(own), ...(check?.(own as never) ?? []));
    if (!enabledBy.some((k) => own[k] !== undefined)) continue;
    for (const k of requires) {
      if (own[k] === undefined)
        problems.push(Messages.envRequiredWith(k, enabledBy, descriptor.id));
    }
    parsed.enabledProviders.push({ descriptor, env: own });
  }
  if (parsed.NODE_ENV === 'production' && !parsed.AUTH_SESSION_SECRET) {
    problems.push(Messages.envRequiredInProduction('AUTH_SESSION_SECRET'));
  }
  problems.push(...keyProblems(parsed), ...packageProblems(parsed), ...logoutProblems(parsed));
  return { parsed, problems: [...new Set(problems)] };
}

/** What class-validator finds wrong with an instance of a schema, one sentence per variable. */
function schemaProblems(instance: object): string[] {
  return validateSync(instance, { skipMissingProperties: false, whitelist: false }).map((err) => {
    // A value of the wrong type fails its range checks too: report the type, not "greater than".
    const failed = Object.entries(err.constraints ?? {});
    const first =
      (failed.find(([name]) => !RANGE_CHECKS.has(name)) ?? failed[0])?.[1] ?? 'is invalid';
    return first.startsWith(err.property) ? first : `${err.property}: ${first}`;
  });
}

/** AUTH_ENCRYPTION_KEYS: well formed, and present in production. */
function keyProblems(env: AuthCodeEnvironment): string[] {
  if (!env.AUTH_ENCRYPTION_KEYS) {
    return env.NODE_ENV === 'production'
      ? [Messages.encryptionKeysMissing(ENCRYPTION_KEYS_VARIABLE)]
      : [];
  }
  try {
    parseKeyList(env.AUTH_ENCRYPTION_KEYS, ENCRYPTION_KEYS_VARIABLE);
    return [];
  } catch (err) {
    if (err instanceof ConfigurationError) return [err.message];
    throw err;
  }
}

/** AUTH_PROVIDER_LOGOUT as a list names enabled providers only (`yes` or `true` is not one). */
function logoutProblems(env: AuthCodeEnvironment): string[] {
  const value = env.AUTH_PROVIDER_LOGOUT;
  if (value === undefined || value === 'on' || value === 'off') return [];
  const enabled = (env.enabledProviders ?? []).map((p) => p.descriptor.id);
  const unknown = value
    .split(',')
    .map((id) => id.trim())
    .filter((id) => !enabled.includes(id));
  return unknown.length > 0 ? [Messages.envProviderLogoutUnknown(unknown, enabled)] : [];
}

/** Optional packages the configuration needs. */
function packageProblems(env: AuthCodeEnvironment): string[] {
  if (env.AUTH_STORE?.startsWith('redis') && !isInstalled('ioredis'))
    return [Messages.optionalDependencyMissing('ioredis', 'AUTH_STORE=redis://…')];
  return [];
}
