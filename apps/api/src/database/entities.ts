import { User } from '../modules/users/user.entity.js';
import { Session } from '../auth/session.entity.js';
import { Group } from '../modules/groups/group.entity.js';
import { Administrator } from '../modules/administrators/administrator.entity.js';
import { ContactLogEntry } from '../modules/contacts/contact-log-entry.entity.js';
import { WordingTemplate } from '../modules/wording/wording-template.entity.js';
import { WordingAgreement } from '../modules/wording/wording-agreement.entity.js';
import { WordingVersion } from '../modules/wording/wording-version.entity.js';
import { PlacementRecord } from '../modules/wording/placement-record.entity.js';
import { Concern } from '../modules/concerns/concern.entity.js';
import { Review } from '../modules/reviews/review.entity.js';
import { Referral } from '../modules/referrals/referral.entity.js';
import { ReferralSnapshot } from '../modules/referrals/referral-snapshot.entity.js';
import { ReferralNote } from '../modules/referrals/referral-note.entity.js';
import { ReferralTransfer } from '../modules/referrals/referral-transfer.entity.js';
import { Escalation } from '../modules/escalations/escalation.entity.js';
import { AuditEvent } from '../modules/audit/audit-event.entity.js';
import { IdempotencyKey } from '../common/idempotency.js';
import { ServiceClient } from '../modules/service-clients/service-client.entity.js';
import { OidcSignInState } from '../auth/oidc-sign-in-state.entity.js';

export const ENTITIES = [
  User, Session, Group, Administrator, ContactLogEntry, WordingTemplate, WordingAgreement,
  WordingVersion, PlacementRecord, Concern, Review, Referral, ReferralSnapshot, ReferralNote,
  ReferralTransfer, Escalation, AuditEvent, IdempotencyKey,
  ServiceClient, OidcSignInState,
];
