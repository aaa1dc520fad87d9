/**
 * `nestjs-auth-code/testing`: real fake providers (HTTP servers on loopback) to test your own app with,
 * and the base class to write your own.
 */
export * from './server/fake-server';
export * from './server/consent-page';
export * from './server/free-port';
export * from './fake-oauth2.fake';
export * from './fake-oidc.fake';
export * from './provider-fakes';
export { FakeIsolarcloud } from '../providers/isolarcloud/isolarcloud.fake';
export type {
  FakeIsolarcloudOptions,
  FakeIsolarcloudPlant,
} from '../providers/isolarcloud/isolarcloud.fake';
export { FakeTencentCiam } from '../providers/tencent-ciam/tencent-ciam.fake';
export type { FakeTencentCiamOptions } from '../providers/tencent-ciam/tencent-ciam.fake';
export { FakeXt } from '../providers/xt/xt.fake';
export type { FakeXtOptions } from '../providers/xt/xt.fake';
