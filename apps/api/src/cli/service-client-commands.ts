import type { Command } from 'commander';

/** `signpost service-client ...` */
export function registerServiceClientCommands(_program: Command): void {}
