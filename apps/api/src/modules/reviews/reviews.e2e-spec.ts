import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORDING_EXAMPLE } from '@signpost/policy';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';
import type { TestClient } from '../../testing/test-client.js';

const DAY = 86_400_000;
const NOWHERE = '00000000-0000-4000-8000-000000000000';
const OUTSIDERS = ['discipline', 'hr', 'legal', 'dpo', 'admin'] as const;

const CREATE_GROUP = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id version status nextReviewDue } }`;
const PROPOSE = `mutation($input: ProposeWordingInput!) { proposeWording(input: $input) { id version } }`;
const APPROVE = `mutation($input: ApproveWordingInput!) { approveWording(input: $input) { id status } }`;
const RECORD_PLACEMENT = `mutation($input: RecordPlacementInput!) { recordPlacement(input: $input) { state version } }`;
const GROUP_FIELDS = `id status version logoStatus usesLogo nextReviewDue
  placements { placement state version evidenceUrl evidenceNote verifiedAt removedAt }
  reviews { id reviewedAt pinnedMessagePresent autoResponsePresent logoStillUsed notes nextReviewDue reviewer { email } }`;
const RECORD_REVIEW = `mutation($input: RecordReviewInput!) { recordReview(input: $input) {
  review { id reviewedAt pinnedMessagePresent autoResponsePresent logoStillUsed notes nextReviewDue reviewer { email } }
  group { ${GROUP_FIELDS} }
  findings
} }`;
const GROUP = `query($id: ID!) { group(id: $id) { ${GROUP_FIELDS} } }`;

describe.each(await databaseKinds())('reviews on %s', (kind) => {
  let env: TestEnvironment;
  let officer: TestClient;
  let lead: TestClient;
  let counter = 0;

  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    officer = await env.as('officer');
    lead = await env.as('lead');
  });
  afterAll(() => env?.close());

  async function newGroup(extra: Record<string, unknown> = {}) {
    const { createGroup } = await officer.ok(CREATE_GROUP, {
      input: { name: `Review test group ${++counter}`, platform: 'TIKTOK', kind: 'ANONYMOUS_QA', riskLevel: 'HIGH', ...extra },
    });
    return createGroup as { id: string; version: number };
  }

  const readGroup = async (id: string) => (await officer.ok(GROUP, { id })).group;

  /** ENGAGED through logged contacts when the contacts module is there, else by writing the same facts directly. */
  async function engage(groupId: string) {
    const { __type } = await officer.ok(`{ __type(name: "Mutation") { fields { name } } }`);
    if (__type.fields.some((f: { name: string }) => f.name === 'logContact')) {
      for (const [direction, outcome, minutesAgo] of [['OUTBOUND', 'NO_RESPONSE', 120], ['INBOUND', 'ENGAGED', 60]] as const) {
        await officer.ok(`mutation($input: LogContactInput!) { logContact(input: $input) { id } }`, {
          input: {
            groupId, direction, outcome, channel: 'EMAIL', summary: `${direction} contact`,
            occurredAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(), steps: [],
          },
        });
      }
    } else {
      await env.server.dataSource.query(
        `INSERT INTO contact_log_entries (group_id, occurred_at, channel, direction, summary, outcome)
         VALUES ($1, now() - interval '2 hours', 'EMAIL', 'OUTBOUND', 'Introduced the team', 'NO_RESPONSE'),
                ($1, now() - interval '1 hour', 'EMAIL', 'INBOUND', 'They replied', 'ENGAGED')`,
        [groupId],
      );
      await env.server.dataSource.query(`UPDATE groups SET status = 'ENGAGED', version = version + 1 WHERE id = $1`, [groupId]);
    }
    expect((await readGroup(groupId)).status).toBe('ENGAGED');
  }

  /** A WORDING_AGREED group; `upTo` says how far both placements get. */
  async function agreedGroup(upTo: 'NOT_PUBLISHED' | 'PUBLISHED' | 'VERIFIED', extra: Record<string, unknown> = {}) {
    const g = await newGroup(extra);
    await engage(g.id);
    const { proposeWording } = await officer.ok(PROPOSE, { input: { groupId: g.id, text: WORDING_EXAMPLE } });
    await lead.ok(APPROVE, { input: { agreementId: proposeWording.id, version: proposeWording.version } });
    for (const placement of ['PINNED_MESSAGE', 'AUTO_RESPONSE']) {
      if (upTo === 'NOT_PUBLISHED') break;
      await officer.ok(RECORD_PLACEMENT, {
        input: { groupId: g.id, placement, state: 'PUBLISHED', version: 1, evidenceUrl: `https://www.tiktok.com/@page/${placement}` },
      });
      if (upTo === 'VERIFIED') {
        await officer.ok(RECORD_PLACEMENT, { input: { groupId: g.id, placement, state: 'VERIFIED', version: 2, evidenceNote: 'Checked' } });
      }
    }
    return g.id;
  }

  it('finds the pinned message removed: COMPLIANT → ENGAGED, and sets the next review date', async () => {
    const groupId = await agreedGroup('VERIFIED');
    const before = await readGroup(groupId);
    expect(before.status).toBe('COMPLIANT');

    const reviewedAt = new Date(Date.now() - DAY);
    const { recordReview } = await officer.ok(RECORD_REVIEW, {
      input: { groupId, reviewedAt: reviewedAt.toISOString(), pinnedMessagePresent: false, autoResponsePresent: true, logoStillUsed: false, notes: 'Checked from the team phone' },
    });
    const due = new Date(reviewedAt.getTime() + 14 * DAY).toISOString();
    expect(recordReview.review).toMatchObject({
      reviewedAt: reviewedAt.toISOString(), pinnedMessagePresent: false, autoResponsePresent: true, logoStillUsed: false,
      notes: 'Checked from the team phone', nextReviewDue: due, reviewer: { email: 'officer@signpost.test' },
    });
    const { group } = recordReview;
    expect(group).toMatchObject({ status: 'ENGAGED', nextReviewDue: due, logoStatus: 'NOT_USED' });
    const [pinned, auto] = group.placements;
    expect(pinned).toMatchObject({ placement: 'PINNED_MESSAGE', state: 'REMOVED', version: 4, removedAt: reviewedAt.toISOString() });
    expect(pinned.evidenceUrl).toBe('https://www.tiktok.com/@page/PINNED_MESSAGE');
    expect(pinned.evidenceNote).toMatch(/^Not found on the page at the review of \d{4}-\d{2}-\d{2}\.$/);
    // Still there: re-verified as of the review.
    expect(auto).toMatchObject({ placement: 'AUTO_RESPONSE', state: 'VERIFIED', version: 4, verifiedAt: reviewedAt.toISOString() });
    expect(group.reviews.map((r: any) => r.id)).toEqual([recordReview.review.id]);
    expect(recordReview.findings).toEqual([
      'The pinned message is missing: recorded as REMOVED (it was VERIFIED).',
      'The auto-response is in place: recorded as VERIFIED again.',
      'The group moved from COMPLIANT to ENGAGED.',
    ]);
    expect(await readGroup(groupId)).toEqual(group);
  });

  it('verifies published placements and the logo removal: WORDING_AGREED → COMPLIANT in one review', async () => {
    const groupId = await agreedGroup('PUBLISHED', { usesLogo: true });
    expect(await readGroup(groupId)).toMatchObject({ status: 'WORDING_AGREED', logoStatus: 'IN_USE' });
    const { recordReview } = await lead.ok(RECORD_REVIEW, {
      input: { groupId, pinnedMessagePresent: true, autoResponsePresent: true, logoStillUsed: false },
    });
    expect(recordReview.group).toMatchObject({ status: 'COMPLIANT', logoStatus: 'REMOVAL_VERIFIED', usesLogo: false });
    expect(recordReview.group.placements.map((p: any) => [p.state, p.version])).toEqual([['VERIFIED', 3], ['VERIFIED', 3]]);
    expect(recordReview.review.reviewer).toEqual({ email: 'lead@signpost.test' });
    // Defaulted to now: the next review is 14 days (HIGH risk) from now.
    const days = (new Date(recordReview.review.nextReviewDue).getTime() - Date.now()) / DAY;
    expect(Math.round(days)).toBe(14);
    expect(recordReview.findings).toContain('The university logo is no longer used: its removal is verified.');
  });

  it('notes what it cannot record, sees the logo back, and lists reviews newest first', async () => {
    const groupId = await agreedGroup('NOT_PUBLISHED', { riskLevel: 'LOW' });
    const older = new Date(Date.now() - 10 * DAY);
    const first = (await officer.ok(RECORD_REVIEW, {
      input: { groupId, reviewedAt: older.toISOString(), pinnedMessagePresent: true, autoResponsePresent: false, logoStillUsed: true },
    })).recordReview;
    // Seen, but never recorded as published: left alone, and said so in the review.
    expect(first.review.notes).toBe(
      'Noted by Signpost: The pinned message was seen on the page but is recorded as NOT_PUBLISHED: record its publication with evidence for it to count.',
    );
    expect(first.group.placements.map((p: any) => [p.state, p.version])).toEqual([['NOT_PUBLISHED', 1], ['NOT_PUBLISHED', 1]]);
    expect(first.group).toMatchObject({ status: 'WORDING_AGREED', logoStatus: 'IN_USE', usesLogo: true });
    expect(first.review.nextReviewDue).toBe(new Date(older.getTime() + 90 * DAY).toISOString());

    const second = (await officer.ok(RECORD_REVIEW, {
      input: { groupId, pinnedMessagePresent: false, autoResponsePresent: false, logoStillUsed: true, notes: 'No change' },
    })).recordReview;
    expect(second.review.notes).toBe('No change');
    expect(second.findings).toEqual([]);
    expect(second.group.reviews.map((r: any) => r.id)).toEqual([second.review.id, first.review.id]);

    // A group with no agreed wording: nothing to update, but the sighting is noted.
    const bare = await newGroup();
    const { recordReview: third } = await officer.ok(RECORD_REVIEW, {
      input: { groupId: bare.id, pinnedMessagePresent: true, autoResponsePresent: false, logoStillUsed: false },
    });
    expect(third.review.notes).toMatch(/^Noted by Signpost: No wording has been agreed with this group yet/);
    expect(third.group).toMatchObject({ status: 'DISCOVERED', placements: [], logoStatus: 'NOT_USED' });
  });

  it('refuses reviews of closed groups, bad input and unknown groups, writing nothing', async () => {
    const g = await newGroup();
    const { closeGroup } = await officer.ok(`mutation($input: CloseGroupInput!) { closeGroup(input: $input) { version } }`, {
      input: { id: g.id, version: g.version, reason: 'No longer relevant' },
    });
    const closed = await officer.fails('TRANSITION_NOT_ALLOWED', RECORD_REVIEW, {
      input: { groupId: g.id, pinnedMessagePresent: false, autoResponsePresent: false, logoStillUsed: true },
    });
    expect(closed.extensions?.unmet).toBe('the group is closed; reopen it first');
    expect(closed.message).toBe('This group is closed, so you cannot review it: reopen it first.');
    expect(await readGroup(g.id)).toMatchObject({ status: 'CLOSED', version: closeGroup.version, logoStatus: 'NOT_USED', nextReviewDue: null, reviews: [] });

    const open = await newGroup();
    const before = await readGroup(open.id);
    const base = { groupId: open.id, pinnedMessagePresent: true, autoResponsePresent: true, logoStillUsed: false };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, reviewedAt: new Date(Date.now() + DAY).toISOString() }, 'input.reviewedAt'],
      [{ ...base, groupId: 'nope' }, 'input.groupId'],
      [{ ...base, notes: 'x'.repeat(10_001) }, 'input.notes'],
      [{ ...base, notes: 'evil \u202e text' }, 'input.notes'],
    ];
    for (const [input, field] of cases) {
      const err = await officer.fails('BAD_USER_INPUT', RECORD_REVIEW, { input });
      expect(err.extensions?.field).toBe(field);
    }
    const missing = await officer.fails('BAD_USER_INPUT', RECORD_REVIEW, { input: { groupId: open.id, pinnedMessagePresent: true } });
    expect(missing.extensions?.field).toMatch(/^input/);
    await officer.fails('NOT_FOUND', RECORD_REVIEW, { input: { ...base, groupId: NOWHERE } });

    for (const who of OUTSIDERS) {
      await (await env.as(who)).fails('FORBIDDEN', RECORD_REVIEW, { input: base });
    }
    await env.anonymous().fails('UNAUTHENTICATED', RECORD_REVIEW, { input: base });
    expect(await readGroup(open.id)).toEqual(before);
  });
});
