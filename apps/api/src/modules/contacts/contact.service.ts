import { In } from 'typeorm';
import { GROUP_TRANSITIONS, POLICY_STEPS, reachableTargets, type ContactOutcome, type GroupStatus } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { groupRows } from '../../common/context.js';
import { audit } from '../../common/audit.js';
import { badInput } from '../../common/errors.js';
import { requireId } from '../../common/ids.js';
import type { Group } from '../groups/group.entity.js';
import { requireGroup } from '../groups/group.service.js';
import { advanceGroup } from '../groups/group-lifecycle.service.js';
import { loadAdministrator } from '../administrators/administrator.service.js';
import { assertGroupOpen } from '../groups/group-access.js';
import { ContactLogEntry } from './contact-log-entry.entity.js';
import type { LogContactInput } from './dto/contact.inputs.js';

/** Clocks differ a little between a phone and the server; more than this is a mistake. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

const REFUSALS: readonly ContactOutcome[] = ['REFUSED_TO_ENGAGE', 'REFUSED_ACCOUNTABILITY'];
const RESPONSES: readonly ContactOutcome[] = ['RESPONDED', 'ENGAGED'];

/** A group's contact log, newest first, batched across groups. */
export function contactLogOfGroup(ctx: RequestContext, groupId: string): Promise<ContactLogEntry[]> {
  return ctx
    .loader<string, ContactLogEntry[]>('contactLogByGroup', async (groupIds) =>
      groupRows(
        groupIds,
        await ctx.manager.find(ContactLogEntry, {
          where: { groupId: In([...groupIds]) },
          order: { occurredAt: 'DESC', createdAt: 'DESC', id: 'DESC' },
        }),
        (e) => e.groupId,
      ))
    .load(groupId);
}

/**
 * The moves a contact may cause, in order; each is tried in turn and taken
 * only if the policy's guard passes (advanceGroup). DISCOVERED → CONTACTING
 * needs an outbound contact, so when the administrators write first the group
 * stays DISCOVERED until the team has contacted them; a reply or a refusal
 * then carries it on from CONTACTING in the same request.
 */
function movesFor(entry: ContactLogEntry): GroupStatus[] {
  const moves: GroupStatus[] = ['CONTACTING'];
  if (entry.direction === 'INBOUND' && RESPONSES.includes(entry.outcome)) moves.push('ENGAGED');
  if (REFUSALS.includes(entry.outcome)) moves.push('REFUSED');
  return moves;
}

export async function logContact(ctx: RequestContext, input: LogContactInput): Promise<ContactLogEntry> {
  if (input.occurredAt.getTime() > Date.now() + FUTURE_TOLERANCE_MS) {
    throw badInput('input.occurredAt', 'occurredAt is in the future; give the time the contact happened.');
  }
  // An inbound contact is itself a response, and the lifecycle counts it as one.
  if (input.direction === 'INBOUND' && input.outcome === 'NO_RESPONSE') {
    throw badInput('input.outcome', 'An inbound contact is a response from the administrators, so its outcome cannot be NO_RESPONSE.');
  }
  const group = await requireGroup(ctx, input.groupId, 'input.groupId');
  const administratorId = input.administratorId ? requireId(input.administratorId, 'input.administratorId') : null;
  if (administratorId) {
    const admin = await loadAdministrator(ctx, administratorId);
    if (!admin || admin.groupId !== group.id) {
      throw badInput('input.administratorId', 'administratorId is not an administrator recorded for this group.');
    }
  }
  assertGroupOpen(group, 'log a contact with it');

  const steps = POLICY_STEPS.filter((s) => input.steps.includes(s));
  const entry = await ctx.manager.save(
    ctx.manager.create(ContactLogEntry, {
      groupId: group.id,
      administratorId,
      occurredAt: input.occurredAt,
      channel: input.channel,
      direction: input.direction,
      withWhom: input.withWhom?.trim() || null,
      summary: input.summary.trim(),
      steps,
      outcome: input.outcome,
      createdById: ctx.user?.id ?? null,
    }),
  );
  await audit(ctx, {
    action: 'contact.log',
    entityType: 'ContactLogEntry',
    entityId: entry.id,
    groupId: group.id,
    details: { direction: entry.direction, channel: entry.channel, outcome: entry.outcome, steps },
  });

  let current: Group = group;
  for (const to of movesFor(entry)) {
    // Only moves the table lists from where the group now is: the others cannot pass, so skip their queries.
    if (reachableTargets(GROUP_TRANSITIONS, current.status).includes(to)) current = await advanceGroup(ctx, group.id, [to]);
  }
  // The group as it now stands, for ContactLogEntry.group in this response (the request's group loader still holds the old one).
  entry.group = current;
  return entry;
}
