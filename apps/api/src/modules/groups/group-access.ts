import type { RequestContext } from '../../common/context.js';
import { GROUP_CLOSED_UNMET } from '@signpost/policy';
import { notFound, transitionNotAllowed } from '../../common/errors.js';
import { requireId } from '../../common/ids.js';
import { Group } from './group.entity.js';

/**
 * Loads a group for a change and locks its row until the request ends, so two
 * requests about the same group (two proposals, a review and an approval)
 * take turns instead of both creating an open agreement or racing on its
 * version. FOR NO KEY UPDATE still lets other tables' foreign keys point at it.
 */
export async function lockGroup(ctx: RequestContext, id: string, field: string): Promise<Group> {
  const groupId = requireId(id, field);
  const rows: unknown[] = await ctx.manager.query('SELECT id FROM groups WHERE id = $1 FOR NO KEY UPDATE', [groupId]);
  if (rows.length === 0) throw notFound('Group');
  return ctx.manager.findOneByOrFail(Group, { id: groupId });
}

/** Closed groups are out of the workflow until reopened: the same refusal wherever it applies. */
export function assertGroupOpen(group: Group, action: string): void {
  if (group.status !== 'CLOSED') return;
  const error = transitionNotAllowed('Group', 'CLOSED', null, [GROUP_CLOSED_UNMET], action);
  error.message = `This group is closed, so you cannot ${action}: reopen it first.`;
  throw error;
}
