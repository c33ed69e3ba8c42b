import { baseConfig, httpUrlSetting, parseConfig, portSetting } from '@bazaar/service-kit/config';
import { type Static, Type } from 'typebox';

const GatewayConfig = Type.Object({
  ...baseConfig,
  PORT: portSetting(8080),
  CATALOG_URL: httpUrlSetting('http://127.0.0.1:8082'),
  UPSTREAM_TIMEOUT_MS: Type.Integer({
    default: 10_000,
    minimum: 100,
    description: 'milliseconds to wait for an upstream service (at least 100)',
  }),
});

export type GatewayConfig = Static<typeof GatewayConfig>;

export function readConfig(): Readonly<GatewayConfig> {
  return parseConfig(GatewayConfig, process.env);
}
