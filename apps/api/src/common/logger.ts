import { pino, type Logger } from 'pino';

/** `sync` writes each line before returning, for the last lines before an exit. */
export function createLogger(level: string, options: { sync?: boolean } = {}): Logger {
  const settings = {
    level,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'password', '*.password'], remove: true },
  };
  return options.sync ? pino(settings, pino.destination({ dest: 1, sync: true })) : pino(settings);
}
