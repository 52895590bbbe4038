import type { Command } from 'commander';

/** `signpost audit ...` */
export function registerAuditCommands(_program: Command): void {}
