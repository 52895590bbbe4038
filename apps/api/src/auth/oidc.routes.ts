import { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { AppConfig } from '../config.js';

/** OIDC sign-in for people (authorization code + PKCE). */
export function oidcRoutes(_dataSource: DataSource, _config: AppConfig, _logger: Logger): Router {
  return Router();
}
