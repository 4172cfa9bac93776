import dotenv from 'dotenv';
import { loadConfig, type Config } from './config.js';

/** Reads `.env` (if present) into the process environment, then builds the Config: the one place that reads process.env. */
export function loadConfigFromEnvironment(): Config {
  dotenv.config({ quiet: true });
  return loadConfig(process.env);
}
