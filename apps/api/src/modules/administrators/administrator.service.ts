import { In } from 'typeorm';
import type { RequestContext } from '../../common/context.js';
import { groupRows, indexRows } from '../../common/context.js';
import { audit } from '../../common/audit.js';
import { badInput, notFound } from '../../common/errors.js';
import { requireId } from '../../common/ids.js';
import { assertVersion, updateVersioned } from '../../common/versioned.js';
import { requireGroup } from '../groups/group.service.js';
import { Administrator } from './administrator.entity.js';
import type { AddAdministratorInput, UpdateAdministratorInput } from './dto/administrator.inputs.js';
import { assertGroupOpen } from '../groups/group-access.js';

/** Optional free text: trimmed, and blank means "not known". */
const optionalText = (v: string | null | undefined): string | null => v?.trim() || null;

/** One administrator by id, batched with the others this request asks for. */
export function loadAdministrator(ctx: RequestContext, id: string): Promise<Administrator | null> {
  return ctx
    .loader<string, Administrator | null>('administratorById', async (ids) =>
      indexRows(ids, await ctx.manager.findBy(Administrator, { id: In([...ids]) }), (a) => a.id))
    .load(id);
}

/** A group's administrators in the order they were recorded, batched across groups. */
export function administratorsOfGroup(ctx: RequestContext, groupId: string): Promise<Administrator[]> {
  return ctx
    .loader<string, Administrator[]>('administratorsByGroup', async (groupIds) =>
      groupRows(
        groupIds,
        await ctx.manager.find(Administrator, { where: { groupId: In([...groupIds]) }, order: { createdAt: 'ASC', id: 'ASC' } }),
        (a) => a.groupId,
      ))
    .load(groupId);
}

export async function addAdministrator(ctx: RequestContext, input: AddAdministratorInput): Promise<Administrator> {
  const group = await requireGroup(ctx, input.groupId, 'input.groupId');
  assertGroupOpen(group, 'add an administrator to it');
  const admin = await ctx.manager.save(
    ctx.manager.create(Administrator, {
      groupId: group.id,
      handle: input.handle.trim(),
      name: optionalText(input.name),
      affiliation: input.affiliation,
      affiliationMethod: optionalText(input.affiliationMethod),
      universityId: optionalText(input.universityId),
      contactDetails: optionalText(input.contactDetails),
      notes: optionalText(input.notes),
      createdById: ctx.user?.id ?? null,
    }),
  );
  // The affiliation is an enum, not personal data; it explains later routing decisions.
  await audit(ctx, {
    action: 'administrator.add',
    entityType: 'Administrator',
    entityId: admin.id,
    groupId: group.id,
    details: { affiliation: admin.affiliation },
  });
  return admin;
}

export async function updateAdministrator(ctx: RequestContext, input: UpdateAdministratorInput): Promise<Administrator> {
  const admin = await ctx.manager.findOneBy(Administrator, { id: requireId(input.id, 'input.id') });
  if (!admin) throw notFound('Administrator');
  assertVersion('Administrator', admin, input.version);
  const group = await requireGroup(ctx, admin.groupId);
  assertGroupOpen(group, 'change its administrators');

  // GraphQL lets a nullable field be sent as null; for these two that would lose what routing depends on.
  if (input.handle === null) throw badInput('input.handle', 'handle cannot be cleared; every administrator has a handle.');
  if (input.affiliation === null) throw badInput('input.affiliation', 'affiliation cannot be cleared; use UNKNOWN when it is not known.');

  const patch: Partial<Administrator> = {};
  if (input.handle !== undefined) patch.handle = input.handle.trim();
  if (input.affiliation !== undefined) patch.affiliation = input.affiliation;
  for (const key of ['name', 'affiliationMethod', 'universityId', 'contactDetails', 'notes'] as const) {
    if (input[key] !== undefined) patch[key] = optionalText(input[key]);
  }
  const updated = await updateVersioned(ctx, Administrator, 'Administrator', admin.id, input.version, patch);
  await audit(ctx, {
    action: 'administrator.update',
    entityType: 'Administrator',
    entityId: admin.id,
    groupId: admin.groupId,
    details: {
      fields: Object.keys(patch),
      ...(patch.affiliation && patch.affiliation !== admin.affiliation ? { affiliationFrom: admin.affiliation, affiliationTo: patch.affiliation } : {}),
    },
  });
  return updated;
}
