import { In } from 'typeorm';
import { eventsOfContact, POLICY_STEPS } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { groupRows } from '../../common/context.js';
import { audit } from '../../common/audit.js';
import { FieldErrors } from '../../common/errors.js';
import { requireId } from '../../common/ids.js';
import { requireGroup } from '../groups/group.service.js';
import { raiseGroupEvents } from '../groups/group-lifecycle.service.js';
import { loadAdministrator } from '../administrators/administrator.service.js';
import { assertGroupOpen } from '../groups/group-access.js';
import { ContactLogEntry } from './contact-log-entry.entity.js';
import type { LogContactInput } from './dto/contact.inputs.js';

/** Clocks differ a little between a phone and the server; more than this is a mistake. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

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

export async function logContact(ctx: RequestContext, input: LogContactInput): Promise<ContactLogEntry> {
  // Every field at fault is named at once.
  const faults = new FieldErrors();
  if (input.occurredAt.getTime() > Date.now() + FUTURE_TOLERANCE_MS) {
    faults.add('input.occurredAt', 'occurredAt is in the future; give the time the contact happened.');
  }
  // An inbound contact is itself a response, and the lifecycle counts it as one.
  if (input.direction === 'INBOUND' && input.outcome === 'NO_RESPONSE') {
    faults.add('input.outcome', 'An inbound contact is a response from the administrators, so its outcome cannot be NO_RESPONSE.');
  }
  const group = await requireGroup(ctx, input.groupId, 'input.groupId');
  const administratorId = input.administratorId ? requireId(input.administratorId, 'input.administratorId') : null;
  if (administratorId) {
    const admin = await loadAdministrator(ctx, administratorId);
    if (!admin || admin.groupId !== group.id) {
      faults.add('input.administratorId', 'administratorId is not an administrator recorded for this group.');
    }
  }
  faults.throwIfAny();
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

  // The policy decides where the group goes: e.g. the first outbound contact starts CONTACTING, a reply ENGAGED.
  const current = await raiseGroupEvents(ctx, group.id, eventsOfContact(entry));
  // The group as it now stands, for ContactLogEntry.group in this response (the request's group loader still holds the old one).
  entry.group = current;
  return entry;
}
