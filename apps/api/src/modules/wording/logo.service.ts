import { checkTransition, LOGO_STATUS_LABELS, LOGO_TRANSITIONS, type LogoStatus } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { audit } from '../../common/audit.js';
import { transitionNotAllowed } from '../../common/errors.js';
import { assertVersion, updateVersioned } from '../../common/versioned.js';
import { raiseGroupEvents } from '../groups/group-lifecycle.service.js';
import { Group } from '../groups/group.entity.js';
import { assertGroupOpen, lockGroup } from '../groups/group-access.js';
import type { RecordLogoStatusInput } from './dto/logo.inputs.js';

/** Dated, so the notes read as a history of what the team saw and asked for. */
function withLogoNote(notes: string | null, status: LogoStatus, note: string, at: Date): string {
  const line = `${at.toISOString().slice(0, 10)} University logo: ${LOGO_STATUS_LABELS[status].toLowerCase()}: ${note.trim()}`;
  return notes?.trim() ? `${notes.trimEnd()}\n${line}` : line;
}

export async function recordLogoStatus(ctx: RequestContext, input: RecordLogoStatusInput): Promise<Group> {
  const group = await lockGroup(ctx, input.groupId, 'input.groupId');
  assertVersion('Group', group, input.groupVersion);
  assertGroupOpen(group, 'record its logo status');
  const evidence = Boolean(input.evidenceUrl?.trim() || input.note?.trim());
  const move = checkTransition(LOGO_TRANSITIONS, group.logoStatus, input.status, { evidence });
  if (!move.ok) throw transitionNotAllowed('Logo', group.logoStatus, input.status, move.unmet);
  const patch: Partial<Group> = { logoStatus: input.status, logoStatusChangedAt: new Date() };
  // The group has no column for logo notes; its notes are where the team keeps such observations.
  const observation = [input.note?.trim(), input.evidenceUrl?.trim()].filter(Boolean).join(' — ');
  if (observation) patch.notes = withLogoNote(group.notes, input.status, observation, new Date());
  await updateVersioned(ctx, Group, 'Group', group.id, input.groupVersion, patch);
  await audit(ctx, {
    action: 'logo.record',
    entityType: 'Group',
    entityId: group.id,
    groupId: group.id,
    details: { from: group.logoStatus, to: input.status, transition: move.transition, withNote: Boolean(input.note?.trim()), evidenceUrl: Boolean(input.evidenceUrl?.trim()) },
  });
  // A logo back in use takes a compliant group back to WORDING_AGREED; its removal may complete compliance.
  return raiseGroupEvents(ctx, group.id, ['LOGO_CHANGED']);
}
