import { IsolarcloudStrategy } from '../../providers/isolarcloud/isolarcloud.strategy';
import { TencentCiamStrategy } from '../../providers/tencent-ciam/tencent-ciam.strategy';
import { XtStrategy } from '../../providers/xt/xt.strategy';
import { AuthCodeStrategy, type AuthCodeStrategyClass } from './auth-code.strategy';

/** The seed providers' own strategy classes; any other provider id gets a generic one. */
const SEED_STRATEGIES: Record<string, AuthCodeStrategyClass> = {
  isolarcloud: IsolarcloudStrategy,
  'tencent-ciam': TencentCiamStrategy,
  xt: XtStrategy,
};

/** The Passport strategy class for a provider id. */
export function strategyClassFor(providerId: string): AuthCodeStrategyClass {
  return SEED_STRATEGIES[providerId] ?? AuthCodeStrategy(providerId);
}
