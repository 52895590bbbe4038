import type { RequestContext } from '../../common/context.js';
import type { CreateGroupInput } from './dto/group.inputs.js';
import type { ReportGroupSightingInput } from './dto/group-sighting.inputs.js';
import { createGroup } from './group.service.js';
import type { Group } from './group.entity.js';

/**
 * A service client (scope groups:report) tells the team about a group it has
 * seen. It enters the register as DISCOVERED, exactly as if an officer had
 * recorded it (same defaults, review date and audit event), for the team to
 * triage; the reporter's note goes into the team's notes.
 */
export async function reportSighting(ctx: RequestContext, input: ReportGroupSightingInput): Promise<Group> {
  let reporter = 'a sighting report';
  if (ctx.access.kind === 'service') {
    // Row-level security lets a service read its own row only.
    const rows: { name: string }[] = await ctx.manager.query('SELECT name FROM service_clients WHERE id = $1', [ctx.access.principalId]);
    reporter = `service client "${rows[0]?.name ?? ctx.access.principalId}"`;
  }
  const group: CreateGroupInput = {
    name: input.name,
    platform: input.platform,
    handle: input.handle ?? null,
    url: input.url ?? null,
    kind: input.kind ?? 'OTHER',
    marketsToUniversity: false,
    usesLogo: false,
    discoveryMethod: `Reported by ${reporter}`,
    riskLevel: 'MEDIUM',
    notes: input.note?.trim() || null,
  };
  return createGroup(ctx, group);
}
