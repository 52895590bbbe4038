import { randomUUID } from 'node:crypto';
import { WORDING_EXAMPLE, type Affiliation, type GroupStatus, type PolicyStep, type ReferralReason } from '@signpost/policy';
import { expect } from 'vitest';
import type { TestEnvironment } from './test-environment.js';
import {
  BuildAddAdministratorDocument, BuildApproveWordingDocument, BuildCloseGroupDocument, BuildCreateGroupDocument, BuildDraftReferralDocument,
  BuildGroupStateDocument, BuildLogContactDocument, BuildMarkUnresponsiveDocument, BuildPlacementVersionsDocument, BuildProposeWordingDocument,
  BuildRecordEscalationDocument, BuildRecordPlacementDocument, BuildReportEscalationDocument, BuildSubmitReferralDocument,
  type Affiliation as GqlAffiliation, type RoutingMode,
} from './generated/graphql.js';

/**
 * Builders that bring a group to any status the way people do: through the
 * real mutations over HTTP, as an officer (recording, contacting, publishing)
 * and a lead (approving, submitting, reporting). No SQL: a spec can only reach
 * the states the lifecycle itself reaches.
 */
export interface BuiltGroup {
  id: string;
  version: number;
  status: GroupStatus;
  administratorIds: string[];
  referralIds: string[];
}

export interface GroupOptions {
  name?: string;
  /** Administrators recorded before any contact (affiliations); none by default. */
  administrators?: Affiliation[];
  usesLogo?: boolean;
  /** For REFERRED: the referral's reason (REFUSED_TO_ENGAGE by default) and how the lead routes it. */
  referralReason?: ReferralReason;
  routing?: RoutingMode;
}

const DAY = 24 * 60 * 60 * 1000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

/** The statuses on the way to each status, in order (each step is a change people make). */
const PATHS: Record<GroupStatus, GroupStatus[]> = {
  DISCOVERED: ['DISCOVERED'],
  CONTACTING: ['DISCOVERED', 'CONTACTING'],
  ENGAGED: ['DISCOVERED', 'CONTACTING', 'ENGAGED'],
  WORDING_AGREED: ['DISCOVERED', 'CONTACTING', 'ENGAGED', 'WORDING_AGREED'],
  COMPLIANT: ['DISCOVERED', 'CONTACTING', 'ENGAGED', 'WORDING_AGREED', 'COMPLIANT'],
  UNRESPONSIVE: ['DISCOVERED', 'CONTACTING', 'UNRESPONSIVE'],
  REFUSED: ['DISCOVERED', 'CONTACTING', 'REFUSED'],
  REFERRED: ['DISCOVERED', 'CONTACTING', 'REFUSED', 'REFERRED'],
  ESCALATED: ['DISCOVERED', 'CONTACTING', 'ESCALATED'],
  CLOSED: ['DISCOVERED', 'CLOSED'],
};

/** A group brought to `status` through the real mutations; fails the test if the lifecycle does not get it there. */
export async function groupIn(env: TestEnvironment, status: GroupStatus, options: GroupOptions = {}): Promise<BuiltGroup> {
  const officer = await env.as('officer');
  const lead = await env.as('lead');
  const built: BuiltGroup = { id: '', version: 1, status: 'DISCOVERED', administratorIds: [], referralIds: [] };
  const refresh = async () => {
    const { group } = await officer.ok(BuildGroupStateDocument, { id: built.id });
    built.version = group.version;
    built.status = group.status;
  };
  const contact = async (direction: 'OUTBOUND' | 'INBOUND', outcome: 'NO_RESPONSE' | 'RESPONDED' | 'REFUSED_TO_ENGAGE', steps: PolicyStep[], daysAgo = 1) => {
    await officer.ok(BuildLogContactDocument, {
      input: { groupId: built.id, occurredAt: ago(daysAgo), channel: 'PLATFORM_MESSAGE', direction, summary: `Built ${direction.toLowerCase()} contact`, steps, outcome },
    });
  };

  for (const step of PATHS[status]) {
    switch (step) {
      case 'DISCOVERED': {
        const { createGroup } = await officer.ok(BuildCreateGroupDocument, {
          input: {
            name: options.name ?? `Built group ${randomUUID().slice(0, 8)}`,
            platform: 'INSTAGRAM',
            kind: 'CONFESSIONS',
            handle: `@built_${randomUUID().slice(0, 6)}`,
            usesLogo: options.usesLogo ?? false,
            marketsToUniversity: true,
            riskLevel: 'MEDIUM',
          },
        });
        built.id = createGroup.id;
        for (const affiliation of options.administrators ?? []) {
          const { addAdministrator } = await officer.ok(BuildAddAdministratorDocument, {
            input: { groupId: built.id, handle: `@admin_${randomUUID().slice(0, 6)}`, affiliation: affiliation as GqlAffiliation },
          });
          built.administratorIds.push(addAdministrator.id);
        }
        break;
      }
      case 'CONTACTING':
        if (status === 'UNRESPONSIVE') {
          // Three attempts, the first three weeks ago, and never a reply (the default policy: 3 attempts, 14 days).
          for (const days of [21, 14, 7]) await contact('OUTBOUND', 'NO_RESPONSE', days === 21 ? ['INTRODUCED'] : [], days);
        } else {
          await contact('OUTBOUND', 'NO_RESPONSE', ['INTRODUCED', 'AFFILIATION_ASCERTAINED'], 3);
        }
        break;
      case 'ENGAGED':
        await contact('INBOUND', 'RESPONDED', [], 2);
        break;
      case 'WORDING_AGREED': {
        await contact('OUTBOUND', 'NO_RESPONSE', ['POSITION_EXPLAINED', 'WORDING_REQUESTED'], 1);
        const { proposeWording } = await officer.ok(BuildProposeWordingDocument, { input: { groupId: built.id, text: WORDING_EXAMPLE, proposedBy: 'UNIVERSITY' } });
        await lead.ok(BuildApproveWordingDocument, { input: { agreementId: proposeWording.id, version: proposeWording.version } });
        break;
      }
      case 'COMPLIANT':
        for (const placement of ['PINNED_MESSAGE', 'AUTO_RESPONSE'] as const) {
          for (const state of ['PUBLISHED', 'VERIFIED'] as const) {
            const { group } = await officer.ok(BuildPlacementVersionsDocument, { id: built.id });
            const record = group.placements.find((p) => p.placement === placement)!;
            await officer.ok(BuildRecordPlacementDocument, {
              input: { groupId: built.id, placement, state, version: record.version, evidenceUrl: `https://instagram.com/p/${placement.toLowerCase()}` },
            });
          }
        }
        break;
      case 'UNRESPONSIVE':
        await refresh();
        await officer.ok(BuildMarkUnresponsiveDocument, { input: { id: built.id, version: built.version } });
        break;
      case 'REFUSED':
        await contact('INBOUND', 'REFUSED_TO_ENGAGE', [], 1);
        break;
      case 'REFERRED': {
        const { draftReferral } = await officer.ok(BuildDraftReferralDocument, {
          input: { groupId: built.id, reason: options.referralReason ?? 'REFUSED_TO_ENGAGE', summary: 'The administrators refused to engage with the university.' },
        });
        const { submitReferral } = await lead.ok(BuildSubmitReferralDocument, {
          input: { id: draftReferral.id, version: draftReferral.version, routing: { mode: options.routing ?? 'SPLIT' } },
        });
        built.referralIds = submitReferral.referrals.map((r) => r.id);
        break;
      }
      case 'ESCALATED': {
        const { recordEscalation } = await officer.ok(BuildRecordEscalationDocument, {
          input: { groupId: built.id, kind: 'PLATFORM_REPORT', reason: 'Posts encourage self-harm; the administrators do not answer.' },
        });
        await lead.ok(BuildReportEscalationDocument, { input: { id: recordEscalation.id, version: recordEscalation.version, externalReference: 'IG-TICKET-1' } });
        break;
      }
      case 'CLOSED':
        await refresh();
        await officer.ok(BuildCloseGroupDocument, { input: { id: built.id, version: built.version, reason: 'The page was deleted by its administrators.' } });
        break;
    }
  }
  await refresh();
  expect(built.status, `the builder could not bring the group to ${status}`).toBe(status);
  return built;
}
