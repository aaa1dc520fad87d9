import { Logger } from '@nestjs/common';
import { baseUrlOf, checkAuthCodeEnvironment, PROVIDER_DESCRIPTORS } from 'nestjs-auth-code';
import { startProviderFakes, type RunningProviderFakes } from 'nestjs-auth-code/testing';

/** Variables that enable a real provider; any of them set turns demo mode off. */
const CREDENTIAL_VARIABLES = PROVIDER_DESCRIPTORS.flatMap((d) => d.environment.enabledBy);

/** Why demo mode refuses to start under NODE_ENV=production. */
export const DEMO_IN_PRODUCTION =
  'NODE_ENV=production and no provider credentials are set: demo mode (the bundled fake providers) ' +
  'does not start in production. Set the credentials of at least one provider (see the README), ' +
  'or AUTH_DEMO=on to run the fakes anyway, or AUTH_DEMO=off.';

/**
 * Demo mode: with `AUTH_DEMO=auto` (the default) and no provider credentials configured, starts the
 * library's fake of every provider that has one (iSolarCloud, Tencent Cloud CIAM, XT.COM) on
 * loopback and points the environment at them, so a newcomer can log in at once. Returns the
 * running fakes, or undefined when demo mode is off.
 *
 * Never by accident in production: with `NODE_ENV=production` and no credentials, `auto` refuses
 * to start (a deployment that lost its credentials must not quietly log people in to fakes);
 * `AUTH_DEMO=on` runs the fakes there anyway.
 */
export async function startDemoProviders(
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningProviderFakes | undefined> {
  const mode = env.AUTH_DEMO || 'auto';
  if (mode === 'off') return undefined;
  if (CREDENTIAL_VARIABLES.some((v) => env[v])) return undefined;
  if (mode === 'auto' && env.NODE_ENV === 'production') {
    // One round: the library's own problems with this environment are listed beside this one.
    const problems = [DEMO_IN_PRODUCTION, ...checkAuthCodeEnvironment(env).problems];
    throw new Error(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  const demo = await startProviderFakes(baseUrlOf(env));
  Object.assign(env, demo.environment);
  const where = [...demo.fakes]
    .map(
      ([id, fake]) => `${PROVIDER_DESCRIPTORS.find((d) => d.id === id)!.displayName} ${fake.url}`,
    )
    .join(', ');
  new Logger('Demo').warn(
    `Demo mode: no provider credentials configured, so the bundled fake providers run on loopback ` +
      `(${where}). Set real credentials or AUTH_DEMO=off to leave it.`,
  );
  return demo;
}
