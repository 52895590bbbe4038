import type { Group } from '../groups/group.entity.js';
import { AppError } from '../../common/errors.js';

/** The unmet condition named when a record is added to or changed on a closed group. */
export const GROUP_CLOSED_UNMET = 'the group is closed; reopen it first';

/**
 * A closed group is frozen: administrators, contacts and concerns are neither
 * added nor changed until it is reopened. Answered as TRANSITION_NOT_ALLOWED,
 * like any other move the group's status does not allow.
 */
export function assertGroupOpen(group: Group, refusal: string): void {
  if (group.status === 'CLOSED') {
    throw new AppError('TRANSITION_NOT_ALLOWED', `${refusal}: ${GROUP_CLOSED_UNMET}.`, {
      entity: 'Group',
      from: group.status,
      unmet: GROUP_CLOSED_UNMET,
    });
  }
}
