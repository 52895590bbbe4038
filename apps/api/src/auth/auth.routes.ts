import { Router, type Request, type Response } from 'express';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { AppConfig } from '../config.js';
import { createSession, deleteSession, readCookie, SESSION_COOKIE } from './session.service.js';
import { dummyPasswordHash, verifyPassword } from './password.js';
import { LoginThrottle } from './login-throttle.js';
import { errorBody } from '../common/errors.js';
import type { AuditAction } from '@signpost/policy';

const GENERIC_FAILURE = 'That email and password do not match an active account.';

/** The audit action of a sign-in (the registry's; written here directly, before there is a request context). */
const SIGNED_IN: AuditAction = 'auth.login';

/** Local sign-in: `POST /auth/login {email, password}` sets an HttpOnly SameSite=Strict cookie. */
export function authRoutes(dataSource: DataSource, config: AppConfig, logger: Logger): Router {
  const router = Router();
  const throttle = new LoginThrottle(config.loginMaxFailures, 15 * 60_000);

  // How people may sign in here, for the sign-in page: the password form always, OIDC when it is configured.
  router.get('/auth/methods', (_req: Request, res: Response) => {
    res.set('cache-control', 'no-store');
    res.json({ password: true, oidc: config.oidc ? { label: config.oidc.label, path: '/auth/oidc/login' } : null });
  });

  router.post('/auth/login', async (req: Request, res: Response) => {
    if (!req.is('application/json')) {
      const message = 'Send JSON: {"email": "...", "password": "..."}.';
      return void res.status(415).json(errorBody('BAD_USER_INPUT', message, { field: 'body', fields: [{ field: 'body', message }] }));
    }
    const { email, password } = (req.body ?? {}) as { email?: unknown; password?: unknown };
    // Every field at fault at once, as GraphQL's BAD_USER_INPUT does.
    const fields = (['email', 'password'] as const)
      .filter((field) => {
        const value = field === 'email' ? email : password;
        return typeof value !== 'string' || value.length === 0 || value.length > 500;
      })
      .map((field) => ({ field, message: `${field} is required (at most 500 characters).` }));
    if (fields.length > 0) return void res.status(400).json(errorBody('BAD_USER_INPUT', fields[0]!.message, { field: fields[0]!.field, fields }));
    const normalised = (email as string).trim().toLowerCase();
    const address = req.ip ?? 'unknown';
    const retryAfter = throttle.retryAfter(normalised, address);
    if (retryAfter > 0) {
      logger.warn({ event: 'login_throttled' }, 'sign-in throttled');
      res.setHeader('Retry-After', String(retryAfter));
      return void res.status(429).json(errorBody('RATE_LIMITED', `Too many failed sign-ins. Try again in ${Math.ceil(retryAfter / 60)} minute(s).`, { retryAfterSeconds: retryAfter }));
    }
    const result = await dataSource.transaction(async (manager) => {
      const rows: { id: string; email: string; display_name: string; roles: string[]; password_hash: string | null }[] =
        await manager.query('SELECT id, email, display_name, roles, password_hash FROM users WHERE email = $1 AND NOT disabled', [
          (email as string).trim().toLowerCase(),
        ]);
      const user = rows[0];
      const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password as string);
      if (!user || !user.password_hash || !ok) return null;
      await manager.query('UPDATE users SET last_sign_in_at = now() WHERE id = $1', [user.id]);
      await manager.query(
        `INSERT INTO audit_events (actor_id, actor_label, action, entity_type, entity_id, details) VALUES ($1, $2, $3, 'User', $1, '{}')`,
        [user.id, user.email, SIGNED_IN],
      );
      const session = await createSession(manager, user.id, config.sessionTtlHours);
      return { user, session };
    });
    if (!result) {
      throttle.recordFailure(normalised, address);
      logger.info({ event: 'login_failed' }, 'sign-in refused');
      return void res.status(401).json(errorBody('UNAUTHENTICATED', GENERIC_FAILURE, { reason: 'BAD_CREDENTIALS' }));
    }
    throttle.recordSuccess(normalised);
    res.cookie(SESSION_COOKIE, result.session.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: config.cookieSecure,
      path: '/',
      expires: result.session.expiresAt,
    });
    res.json({ data: { user: { id: result.user.id, email: result.user.email, displayName: result.user.display_name, roles: result.user.roles } } });
  });

  router.post('/auth/logout', async (req: Request, res: Response) => {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token) await dataSource.transaction((manager) => deleteSession(manager, token));
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: config.cookieSecure, path: '/' });
    res.status(204).end();
  });

  return router;
}
