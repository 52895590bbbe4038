import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractError, ErrorCode } from '@signpost/policy';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';
import { expectContractError, type Document, type TestClient } from '../../testing/test-client.js';
import { groupIn, type GroupOptions } from '../../testing/builders.js';
import {
  ReviewsGroupDocument, ReviewsRecordDocument, ReviewsRecordPlacementDocument, ReviewsSetRiskLevelDocument, ReviewsTimelineDocument,
  type RecordReviewInput, type RiskLevel,
} from '../../testing/generated/graphql.js';

const DAY = 86_400_000;
const NOWHERE = '00000000-0000-4000-8000-000000000000';
const OUTSIDERS = ['discipline', 'hr', 'legal', 'dpo', 'admin'] as const;

describe.each(await databaseKinds())('reviews on %s', (kind) => {
  let env: TestEnvironment;
  let officer: TestClient;
  let lead: TestClient;
  let counter = 0;

  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    [officer, lead] = await Promise.all([env.as('officer'), env.as('lead')]);
  });
  afterAll(() => env?.close());

  const readGroup = async (id: string) => (await officer.ok(ReviewsGroupDocument, { id })).group;

  /** A group in `status`, brought there through the real mutations. */
  const built = (status: Parameters<typeof groupIn>[1], options: GroupOptions = {}) =>
    groupIn(env, status, { name: `Review test group ${++counter}`, ...options });

  async function setRiskLevel(groupId: string, riskLevel: RiskLevel) {
    const { version } = await readGroup(groupId);
    const { updateGroup } = await officer.ok(ReviewsSetRiskLevelDocument, { input: { id: groupId, version, riskLevel } });
    expect(updateGroup.riskLevel).toBe(riskLevel);
  }

  /** A WORDING_AGREED group whose two placements are published (with a link each), not yet verified. */
  async function publishedGroup(options: GroupOptions = {}) {
    const { id } = await built('WORDING_AGREED', options);
    for (const placement of ['PINNED_MESSAGE', 'AUTO_RESPONSE'] as const) {
      await officer.ok(ReviewsRecordPlacementDocument, {
        input: { groupId: id, placement, state: 'PUBLISHED', version: 1, evidenceUrl: `https://instagram.com/page/${placement}` },
      });
    }
    return id;
  }

  const review = async (client: TestClient, input: RecordReviewInput) => (await client.ok(ReviewsRecordDocument, { input })).recordReview;

  /** The group's timeline events of these actions, oldest first. */
  async function events(groupId: string, actions: string[]) {
    const { group } = await officer.ok(ReviewsTimelineDocument, { id: groupId });
    return group.timeline.filter((e) => actions.includes(e.action)).map((e) => ({ action: e.action, ...e.details })).reverse();
  }

  /** A mutation that must fail with `code`: the contract's error, no data, the transaction rolled back. */

  it('finds the pinned message removed: COMPLIANT → ENGAGED, and sets the next review date', async () => {
    const { id: groupId } = await built('COMPLIANT');
    const before = await readGroup(groupId);
    expect(before).toMatchObject({ status: 'COMPLIANT', riskLevel: 'MEDIUM' });
    expect(before.firstCompliantAt).not.toBeNull();

    const reviewedAt = new Date(Date.now() - DAY);
    const result = await review(officer, {
      groupId, reviewedAt: reviewedAt.toISOString(), pinnedMessagePresent: false, autoResponsePresent: true, logoStillUsed: false, notes: 'Checked from the team phone',
    });
    // MEDIUM risk: the next review 30 days after this one.
    const due = new Date(reviewedAt.getTime() + 30 * DAY).toISOString();
    expect(result.review).toMatchObject({
      reviewedAt: reviewedAt.toISOString(), pinnedMessagePresent: false, autoResponsePresent: true, logoStillUsed: false,
      notes: 'Checked from the team phone', nextReviewDue: due, reviewer: { email: 'officer@signpost.test' },
    });
    const { group } = result;
    expect(group).toMatchObject({ status: 'ENGAGED', nextReviewDue: due, logoStatus: 'NOT_USED', firstCompliantAt: before.firstCompliantAt });
    const [pinned, auto] = group.placements;
    expect(pinned).toMatchObject({ placement: 'PINNED_MESSAGE', state: 'REMOVED', version: 4, removedAt: reviewedAt.toISOString() });
    // The link to the placement stays; the note says what the review found.
    expect(pinned!.evidenceUrl).toBe(before.placements[0]!.evidenceUrl);
    expect(pinned!.evidenceUrl).not.toBeNull();
    expect(pinned!.evidenceNote).toMatch(/^Not found on the page at the review of \d{4}-\d{2}-\d{2}\.$/);
    // Still there: re-verified as of the review.
    expect(auto).toMatchObject({ placement: 'AUTO_RESPONSE', state: 'VERIFIED', version: 4, verifiedAt: reviewedAt.toISOString() });
    expect(group.reviews.map((r) => r.id)).toEqual([result.review.id]);
    expect(result.findings).toEqual([
      'The pinned message is missing: recorded as ‘Removed’ (it was ‘Verified’).',
      'The auto-response is in place: recorded as ‘Verified’ again.',
      'The group moved from ‘Compliant’ to ‘Engaged’.',
    ]);
    expect(await readGroup(groupId)).toEqual(group);
    // The move was the policy's own.
    expect((await events(groupId, ['group.status'])).at(-1)).toEqual({
      action: 'group.status', from: 'COMPLIANT', to: 'ENGAGED', transition: 'placementRemoved', automatic: true,
    });
  });

  it('verifies published placements and the logo removal by itself: WORDING_AGREED → COMPLIANT in one review', async () => {
    const groupId = await publishedGroup({ usesLogo: true });
    await setRiskLevel(groupId, 'HIGH');
    const before = await readGroup(groupId);
    expect(before).toMatchObject({ status: 'WORDING_AGREED', logoStatus: 'IN_USE', usesLogo: true, firstCompliantAt: null });

    // No note, no link: the review that no longer sees the logo is the evidence of its removal.
    const result = await review(lead, { groupId, pinnedMessagePresent: true, autoResponsePresent: true, logoStillUsed: false });
    expect(result.group).toMatchObject({ status: 'COMPLIANT', logoStatus: 'REMOVAL_VERIFIED', usesLogo: false });
    expect(result.group.logoStatusChangedAt).toBe(result.review.reviewedAt);
    expect(result.group.firstCompliantAt).not.toBeNull();
    expect(result.group.placements.map((p) => [p.state, p.version])).toEqual([['VERIFIED', 3], ['VERIFIED', 3]]);
    expect(result.review.reviewer).toEqual({ email: 'lead@signpost.test' });
    // Defaulted to now: the next review is 14 days (HIGH risk) from now.
    const days = (new Date(result.review.nextReviewDue).getTime() - Date.now()) / DAY;
    expect(Math.round(days)).toBe(14);
    expect(result.findings).toEqual([
      'The pinned message is in place: recorded as ‘Verified’.',
      'The auto-response is in place: recorded as ‘Verified’.',
      'The university logo is no longer used: its removal is verified.',
      'The group moved from ‘Wording agreed’ to ‘Compliant’.',
    ]);
    expect(await events(groupId, ['logo.record', 'group.status']).then((e) => e.slice(-2))).toEqual([
      { action: 'logo.record', from: 'IN_USE', to: 'REMOVAL_VERIFIED', transition: 'verifyRemoval', reviewId: result.review.id },
      { action: 'group.status', from: 'WORDING_AGREED', to: 'COMPLIANT', transition: 'comply', automatic: true },
    ]);
  });

  it('brings a group back by itself: republished, then seen in place → COMPLIANT; the logo back → WORDING_AGREED; first compliance kept', async () => {
    const { id: groupId } = await built('COMPLIANT');
    const { firstCompliantAt } = await readGroup(groupId);
    expect(firstCompliantAt).not.toBeNull();

    const removed = await review(officer, { groupId, pinnedMessagePresent: true, autoResponsePresent: false, logoStillUsed: false });
    expect(removed.group.status).toBe('ENGAGED');
    // Seen on the page again, but recorded as REMOVED: the review does not republish it by itself.
    const seen = await review(officer, { groupId, pinnedMessagePresent: true, autoResponsePresent: true, logoStillUsed: false });
    expect(seen.group.status).toBe('ENGAGED');
    expect(seen.findings).toContain(
      'The auto-response was seen on the page but is recorded as ‘Removed’: record its publication with evidence for it to count.',
    );
    const auto = seen.group.placements.find((p) => p.placement === 'AUTO_RESPONSE')!;
    // The officer records it published again, with evidence: WORDING_AGREED.
    const { recordPlacement } = await officer.ok(ReviewsRecordPlacementDocument, {
      input: { groupId, placement: 'AUTO_RESPONSE', state: 'PUBLISHED', version: auto.version, evidenceNote: 'Auto-reply turned back on' },
    });
    expect(recordPlacement.state).toBe('PUBLISHED');
    expect((await readGroup(groupId)).status).toBe('WORDING_AGREED');
    // The next review sees both in place: COMPLIANT again, first compliance unchanged.
    const back = await review(officer, { groupId, pinnedMessagePresent: true, autoResponsePresent: true, logoStillUsed: false });
    expect(back.group).toMatchObject({ status: 'COMPLIANT', firstCompliantAt });
    expect(back.findings.at(-1)).toBe('The group moved from ‘Wording agreed’ to ‘Compliant’.');

    // The logo seen on the page: in use, so no longer compliant; gone at the next review: compliant again.
    const logo = await review(officer, { groupId, pinnedMessagePresent: true, autoResponsePresent: true, logoStillUsed: true });
    expect(logo.group).toMatchObject({ status: 'WORDING_AGREED', logoStatus: 'IN_USE', usesLogo: true, logoStatusChangedAt: logo.review.reviewedAt });
    expect(logo.findings).toContain('The university logo is in use on the page.');
    const gone = await review(officer, { groupId, pinnedMessagePresent: true, autoResponsePresent: true, logoStillUsed: false });
    expect(gone.group).toMatchObject({ status: 'COMPLIANT', logoStatus: 'REMOVAL_VERIFIED', firstCompliantAt, logoStatusChangedAt: gone.review.reviewedAt });

    expect((await events(groupId, ['group.status'])).slice(-5)).toEqual([
      { action: 'group.status', from: 'COMPLIANT', to: 'ENGAGED', transition: 'placementRemoved', automatic: true },
      { action: 'group.status', from: 'ENGAGED', to: 'WORDING_AGREED', transition: 'agreeWording', automatic: true },
      { action: 'group.status', from: 'WORDING_AGREED', to: 'COMPLIANT', transition: 'comply', automatic: true },
      { action: 'group.status', from: 'COMPLIANT', to: 'WORDING_AGREED', transition: 'complianceLapsed', automatic: true },
      { action: 'group.status', from: 'WORDING_AGREED', to: 'COMPLIANT', transition: 'comply', automatic: true },
    ]);
  });

  it('notes what it cannot record, sees the logo back, and lists reviews newest first', async () => {
    const { id: groupId } = await built('WORDING_AGREED', { usesLogo: true });
    await setRiskLevel(groupId, 'LOW');
    const older = new Date(Date.now() - 10 * DAY);
    const first = await review(officer, {
      groupId, reviewedAt: older.toISOString(), pinnedMessagePresent: true, autoResponsePresent: false, logoStillUsed: true,
    });
    // Seen, but never recorded as published: left alone, and said so in the review.
    expect(first.review.notes).toBe(
      'Noted by Signpost: The pinned message was seen on the page but is recorded as ‘Not published’: record its publication with evidence for it to count.',
    );
    expect(first.group.placements.map((p) => [p.state, p.version])).toEqual([['NOT_PUBLISHED', 1], ['NOT_PUBLISHED', 1]]);
    expect(first.group).toMatchObject({ status: 'WORDING_AGREED', logoStatus: 'IN_USE', usesLogo: true });
    // LOW risk: 90 days after the review.
    expect(first.review.nextReviewDue).toBe(new Date(older.getTime() + 90 * DAY).toISOString());

    const second = await review(officer, { groupId, pinnedMessagePresent: false, autoResponsePresent: false, logoStillUsed: true, notes: 'No change' });
    expect(second.review.notes).toBe('No change');
    expect(second.findings).toEqual([]);
    expect(second.group.reviews.map((r) => r.id)).toEqual([second.review.id, first.review.id]);

    // A group with no agreed wording: nothing to update, but the sighting is noted.
    const bare = await built('DISCOVERED');
    const third = await review(officer, { groupId: bare.id, pinnedMessagePresent: true, autoResponsePresent: false, logoStillUsed: false });
    expect(third.review.notes).toMatch(/^Noted by Signpost: No wording has been agreed with this group yet/);
    expect(third.group).toMatchObject({ status: 'DISCOVERED', placements: [], logoStatus: 'NOT_USED', logoStatusChangedAt: null });
  });

  it('refuses reviews of closed groups, bad input and unknown groups, writing nothing', async () => {
    const closedGroup = await built('CLOSED');
    const closed = await officer.refuses('TRANSITION_NOT_ALLOWED', ReviewsRecordDocument, {
      input: { groupId: closedGroup.id, pinnedMessagePresent: false, autoResponsePresent: false, logoStillUsed: true },
    });
    expect(closed.extensions).toMatchObject({ entity: 'Group', from: 'CLOSED', unmet: ['the group is closed; reopen it first'] });
    expect(closed.message).toBe('This group is closed, so you cannot review it: reopen it first.');
    expect(await readGroup(closedGroup.id)).toMatchObject({
      status: 'CLOSED', version: closedGroup.version, logoStatus: 'NOT_USED', nextReviewDue: null, reviews: [],
    });

    const open = await built('DISCOVERED');
    const before = await readGroup(open.id);
    const base = { groupId: open.id, pinnedMessagePresent: true, autoResponsePresent: true, logoStillUsed: false };
    const cases: [RecordReviewInput, string][] = [
      [{ ...base, reviewedAt: new Date(Date.now() + DAY).toISOString() }, 'input.reviewedAt'],
      [{ ...base, groupId: 'nope' }, 'input.groupId'],
      [{ ...base, notes: 'x'.repeat(10_001) }, 'input.notes'],
      [{ ...base, notes: 'evil \u202e text' }, 'input.notes'],
    ];
    for (const [input, field] of cases) {
      const err = await officer.refuses('BAD_USER_INPUT', ReviewsRecordDocument, { input });
      expect(err.extensions.field).toBe(field);
      expect(err.extensions.fields.map((f) => f.field)).toContain(field);
    }
    // Required observations left out: refused before any resolver runs.
    const missing = await officer.fails('BAD_USER_INPUT', ReviewsRecordDocument, { input: { groupId: open.id, pinnedMessagePresent: true } as RecordReviewInput });
    expect(missing.extensions.field).toMatch(/^input/);
    const unknown = await officer.refuses('NOT_FOUND', ReviewsRecordDocument, { input: { ...base, groupId: NOWHERE } });
    expect(unknown.extensions.entity).toBe('Group');

    for (const who of OUTSIDERS) {
      const refused = await (await env.as(who)).refuses('FORBIDDEN', ReviewsRecordDocument, { input: base });
      expect(refused.extensions.permission).toBe('review.record');
    }
    await env.anonymous().refuses('UNAUTHENTICATED', ReviewsRecordDocument, { input: base });
    expect(await readGroup(open.id)).toEqual(before);
  });
});
