export { ConfigError, envName, loadConfig, parseConfig } from './load.ts';
export { agentConfigSchema, configSections } from './schema.ts';
export type {
  AgentConfig,
  DatabaseConfig,
  DriftConfig,
  GitAuthConfig,
  GitConfig,
  KubernetesConfig,
  LoggingConfig,
  ServerConfig,
} from './schema.ts';
export { parseDuration, parseSize } from '../../shared/units.ts';
