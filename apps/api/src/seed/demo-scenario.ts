import type { EntityManager } from 'typeorm';
import type { DemoRunner } from './demo-seed.js';

const daysAgo = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString();

/** A reply from administrators that leaves out data handling: the wording check fails on it. */
const COUNTER_PROPOSAL = [
  'This is a student-run meme page and is not affiliated with the University.',
  'Struggling? The University wellbeing service is at https://www.example.ac.uk/wellbeing and Samaritans are on 116 123.',
].join('\n\n');

const FIRST_AGREED = [
  'Run by students, not by the University, and not endorsed by it.',
  'Support: https://www.example.ac.uk/wellbeing · Samaritans 116 123.',
  'Your data: submissions are anonymous and deleted after posting.',
].join('\n\n');

/**
 * The demo register: groups on several platforms in every lifecycle state,
 * administrators of every affiliation, contact logs, wording in every state,
 * concerns, an escalation, and submitted referrals routed to each team.
 */
export async function DEMO_SCENARIO(run: DemoRunner, manager: EntityManager, agreedText: string): Promise<void> {
  const createGroup = async (input: Record<string, unknown>): Promise<string> =>
    (await run('officer', `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }`, { input })).createGroup.id;
  const addAdministrator = async (input: Record<string, unknown>): Promise<string> =>
    (await run('officer', `mutation($input: AddAdministratorInput!) { addAdministrator(input: $input) { id } }`, { input })).addAdministrator.id;
  const logContact = (input: Record<string, unknown>) =>
    run('officer', `mutation($input: LogContactInput!) { logContact(input: $input) { id } }`, { input });
  const recordConcern = (input: Record<string, unknown>) =>
    run('officer', `mutation($input: RecordConcernInput!) { recordConcern(input: $input) { concern { id } } }`, { input });
  const groupVersion = async (id: string): Promise<number> =>
    (await run('officer', `query($id: ID!) { group(id: $id) { version } }`, { id })).group.version;
  const proposeWording = async (input: Record<string, unknown>): Promise<{ id: string; version: number }> =>
    (await run('officer', `mutation($input: ProposeWordingInput!) { proposeWording(input: $input) { id version } }`, { input })).proposeWording;
  const approveWording = async (agreement: { id: string; version: number }) =>
    run('lead', `mutation($input: ApproveWordingInput!) { approveWording(input: $input) { id } }`, {
      input: { agreementId: agreement.id, version: agreement.version },
    });
  const placementVersion = async (groupId: string, placement: string): Promise<number> => {
    const { group } = await run('officer', `query($id: ID!) { group(id: $id) { placements { placement version } } }`, { id: groupId });
    return group.placements.find((p: { placement: string }) => p.placement === placement).version;
  };
  const recordPlacement = async (groupId: string, placement: string, state: string, evidenceUrl: string) =>
    run('officer', `mutation($input: RecordPlacementInput!) { recordPlacement(input: $input) { id } }`, {
      input: { groupId, placement, state, evidenceUrl, version: await placementVersion(groupId, placement) },
    });
  const recordLogoStatus = async (groupId: string, status: string, note?: string) =>
    run('officer', `mutation($input: RecordLogoStatusInput!) { recordLogoStatus(input: $input) { id } }`, {
      input: { groupId, groupVersion: await groupVersion(groupId), status, ...(note ? { note } : {}) },
    });
  const draftReferral = async (input: Record<string, unknown>): Promise<{ id: string; version: number }> =>
    (await run('officer', `mutation($input: DraftReferralInput!) { draftReferral(input: $input) { id version } }`, { input })).draftReferral;
  const submitReferral = async (draft: { id: string; version: number }, routing: Record<string, unknown>): Promise<{ id: string; version: number; team: string }[]> =>
    (
      await run('lead', `mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { referrals { id version team } } }`, {
        input: { id: draft.id, version: draft.version, routing },
      })
    ).submitReferral.referrals;
  const outreach = (groupId: string, administratorId: string | null, days: number, steps: string[]) =>
    logContact({
      groupId, administratorId, occurredAt: daysAgo(days), channel: 'PLATFORM_MESSAGE', direction: 'OUTBOUND', steps, outcome: 'NO_RESPONSE',
      summary: 'Introduced the social media team, explained the university position and our support for anonymous pages, and asked how the admins are connected to the university.',
    });
  const INTRO = ['INTRODUCED', 'POSITION_EXPLAINED', 'WORDING_REQUESTED'];

  await run('lead', `mutation($input: CreateWordingTemplateInput!) { createWordingTemplate(input: $input) { id } }`, {
    input: {
      name: 'Standard signposting wording',
      body: agreedText,
      supportLinks: ['https://www.example.ac.uk/wellbeing', 'https://www.example.ac.uk/report-and-support'],
    },
  });

  // 1. COMPLIANT — wording agreed twice (first version superseded), both placements verified, logo removed.
  const compliant = await createGroup({
    name: 'Northfield Uni Confessions', platform: 'INSTAGRAM', handle: '@northfield.confessions', url: 'https://www.instagram.com/northfield.confessions',
    kind: 'CONFESSIONS', marketsToUniversity: true, usesLogo: true, audienceSize: 8400, riskLevel: 'HIGH',
    discoveryMethod: 'Flagged by the students’ union', discoveredAt: daysAgo(60), notes: 'Large following among first-years.',
  });
  const compliantAdmin = await addAdministrator({
    groupId: compliant, handle: '@nf_admin_jo', name: 'Jo Patel', affiliation: 'STUDENT', affiliationMethod: 'Confirmed by the admin over DM; matched in the student record',
    universityId: 'S2301234', contactDetails: 'jo.patel@student.example.ac.uk',
  });
  await outreach(compliant, compliantAdmin, 55, [...INTRO, 'AFFILIATION_ASCERTAINED', 'LOGO_REMOVAL_REQUESTED']);
  await logContact({
    groupId: compliant, administratorId: compliantAdmin, occurredAt: daysAgo(53), channel: 'PLATFORM_MESSAGE', direction: 'INBOUND', steps: [], outcome: 'ENGAGED',
    summary: 'Admin replied, happy to work with us and to pin support information.',
  });
  const firstAgreement = await proposeWording({ groupId: compliant, text: FIRST_AGREED, proposedBy: 'UNIVERSITY' });
  await approveWording(firstAgreement);
  const secondAgreement = await proposeWording({ groupId: compliant, text: agreedText, proposedBy: 'ADMINISTRATORS' });
  await approveWording(secondAgreement);
  await recordLogoStatus(compliant, 'REMOVAL_REQUESTED');
  await recordLogoStatus(compliant, 'REMOVAL_VERIFIED', 'Checked the profile picture and pinned posts: the crest is gone.');
  for (const placement of ['PINNED_MESSAGE', 'AUTO_RESPONSE']) {
    await recordPlacement(compliant, placement, 'PUBLISHED', 'https://www.instagram.com/p/northfield-pinned');
    await recordPlacement(compliant, placement, 'VERIFIED', 'https://www.instagram.com/p/northfield-pinned');
  }
  await recordConcern({
    groupId: compliant, category: 'WELLBEING_SAFETY', severity: 'MEDIUM', seenAt: daysAgo(20), actionTaken: 'SIGNPOSTED',
    link: 'https://www.instagram.com/p/northfield-exam-stress', description: 'Post about exam stress; admins added the support links in the comments.',
  });

  // 2. WORDING_AGREED — agreed, pinned message published, auto-response not yet.
  const agreed = await createGroup({
    name: 'NU Ask Me Anything', platform: 'NGL', handle: 'nu_askme', kind: 'ANONYMOUS_QA', marketsToUniversity: true, riskLevel: 'MEDIUM',
    discoveryMethod: 'Link in a student Instagram bio', discoveredAt: daysAgo(30),
  });
  const agreedAdmin = await addAdministrator({ groupId: agreed, handle: 'askme_runner', affiliation: 'ALUMNI', affiliationMethod: 'Graduated 2024; said so in reply' });
  await outreach(agreed, agreedAdmin, 28, [...INTRO, 'AFFILIATION_ASCERTAINED']);
  await logContact({
    groupId: agreed, administratorId: agreedAdmin, occurredAt: daysAgo(26), channel: 'EMAIL', direction: 'INBOUND', steps: [], outcome: 'RESPONDED',
    summary: 'Replied by email; agreed to add the wording.',
  });
  await approveWording(await proposeWording({ groupId: agreed, text: agreedText, proposedBy: 'UNIVERSITY' }));
  await recordPlacement(agreed, 'PINNED_MESSAGE', 'PUBLISHED', 'https://ngl.link/nu_askme');

  // 3. ENGAGED — the administrators' counter-proposal is missing the data handling statement.
  const engaged = await createGroup({
    name: 'Northfield Memes', platform: 'TIKTOK', handle: '@northfieldmemes', kind: 'MEMES', riskLevel: 'LOW', usesLogo: true, audienceSize: 15200,
    discoveryMethod: 'Officer saw it trending', discoveredAt: daysAgo(21),
  });
  const engagedAdmin = await addAdministrator({ groupId: engaged, handle: '@memelord_nf', affiliation: 'STUDENT', affiliationMethod: 'Said they are in second year' });
  await outreach(engaged, engagedAdmin, 19, [...INTRO, 'LOGO_REMOVAL_REQUESTED']);
  await logContact({
    groupId: engaged, administratorId: engagedAdmin, occurredAt: daysAgo(18), channel: 'PLATFORM_MESSAGE', direction: 'INBOUND', steps: [], outcome: 'ENGAGED',
    summary: 'Admin keen to help; sent their own version of the wording.',
  });
  await proposeWording({ groupId: engaged, text: COUNTER_PROPOSAL, proposedBy: 'ADMINISTRATORS' });
  await recordLogoStatus(engaged, 'REMOVAL_REQUESTED');

  // 4. CONTACTING — first message sent, wording drafted but not yet sent.
  const contacting = await createGroup({
    name: 'NU Crushes', platform: 'SNAPCHAT', handle: 'nu.crushes', kind: 'CONFESSIONS', riskLevel: 'MEDIUM', discoveredAt: daysAgo(6),
    discoveryMethod: 'Reported by a student through Report and Support',
  });
  await outreach(contacting, null, 5, INTRO);
  await proposeWording({ groupId: contacting, text: agreedText, proposedBy: 'UNIVERSITY', asDraft: true });

  // 4b. CONTACTING, three messages over three weeks and no reply: eligible to be marked UNRESPONSIVE (the home page's queue).
  const silent = await createGroup({
    name: 'Library Quiet Zone Confessions', platform: 'X', handle: '@nu_library_conf', kind: 'CONFESSIONS', riskLevel: 'LOW', discoveredAt: daysAgo(25),
    discoveryMethod: 'Library staff mentioned it',
  });
  for (const days of [22, 15, 8]) await outreach(silent, null, days, days === 22 ? INTRO : []);

  // 5. DISCOVERED — just recorded; its first review is overdue.
  const discovered = await createGroup({
    name: 'Library Confessions NU', platform: 'X', handle: '@libconfessNU', kind: 'CONFESSIONS', riskLevel: 'HIGH', discoveredAt: daysAgo(16),
    discoveryMethod: 'Spotted by library staff',
  });
  await recordConcern({
    groupId: discovered, category: 'PREJUDICE', severity: 'HIGH', seenAt: daysAgo(15), actionTaken: 'NONE',
    link: 'https://x.com/libconfessNU/status/1', description: 'Post mocking international students.',
  });

  // 6. UNRESPONSIVE — three messages over three weeks, no reply; a referral is drafted, not yet submitted.
  const unresponsive = await createGroup({
    name: 'Northfield Rants', platform: 'REDDIT', handle: 'r/northfieldrants', url: 'https://www.reddit.com/r/northfieldrants', kind: 'OTHER', riskLevel: 'MEDIUM',
    discoveredAt: daysAgo(40),
  });
  const rantsAdmin = await addAdministrator({ groupId: unresponsive, handle: 'u/rant_mod', affiliation: 'UNKNOWN' });
  for (const days of [35, 28, 21]) await outreach(unresponsive, rantsAdmin, days, INTRO);
  await run('officer', `mutation($input: MarkGroupUnresponsiveInput!) { markGroupUnresponsive(input: $input) { id } }`, {
    input: { id: unresponsive, version: await groupVersion(unresponsive) },
  });
  await draftReferral({ groupId: unresponsive, reason: 'REFUSED_TO_ENGAGE', summary: 'Moderator has not answered three messages over three weeks; identity unknown.' });

  // 7. REFERRED to DISCIPLINE — a student admin refused accountability; the team has acknowledged it.
  const halls = await createGroup({
    name: 'NU Halls Confessions', platform: 'FACEBOOK', url: 'https://www.facebook.com/groups/nuhalls', kind: 'CONFESSIONS', riskLevel: 'HIGH', usesLogo: true,
    marketsToUniversity: true, discoveredAt: daysAgo(45),
  });
  const hallsAdmin = await addAdministrator({
    groupId: halls, handle: 'Sam Halls Admin', name: 'Sam Okafor', affiliation: 'STUDENT', affiliationMethod: 'Named in a post as a hall representative; confirmed in the student record',
    universityId: 'S2209876',
  });
  await outreach(halls, hallsAdmin, 40, [...INTRO, 'AFFILIATION_ASCERTAINED', 'LOGO_REMOVAL_REQUESTED']);
  await logContact({
    groupId: halls, administratorId: hallsAdmin, occurredAt: daysAgo(38), channel: 'PLATFORM_MESSAGE', direction: 'INBOUND', steps: [], outcome: 'REFUSED_ACCOUNTABILITY',
    summary: 'Admin said they are not responsible for what anonymous people post and will not moderate.',
  });
  await recordConcern({
    groupId: halls, category: 'DIGNITY_POLICY', severity: 'HIGH', seenAt: daysAgo(37), actionTaken: 'NONE',
    link: 'https://www.facebook.com/groups/nuhalls/posts/2', description: 'Posts naming individual residents.',
  });
  const [hallsReferral] = await submitReferral(
    await draftReferral({ groupId: halls, reason: 'REFUSED_ACCOUNTABILITY', summary: 'Student administrator refuses to moderate posts that name residents.' }),
    { mode: 'AUTO' },
  );
  const acknowledged = (
    await run('discipline', `mutation($input: AcknowledgeReferralInput!) { acknowledgeReferral(input: $input) { id version } }`, {
      input: { id: hallsReferral!.id, version: hallsReferral!.version },
    })
  ).acknowledgeReferral;
  await run('discipline', `mutation($input: AddReferralNoteInput!) { addReferralNote(input: $input) { id } }`, {
    input: { referralId: acknowledged.id, body: 'Case opened; meeting with the student arranged.' },
  });

  // 8. REFERRED to HR — a staff member refused to engage.
  const staff = await createGroup({ name: 'Staff Room Secrets', platform: 'WHATSAPP', kind: 'CONFESSIONS', riskLevel: 'MEDIUM', discoveredAt: daysAgo(25) });
  const staffAdmin = await addAdministrator({ groupId: staff, handle: '+44 7700 900123', name: 'R. Lewis', affiliation: 'STAFF', affiliationMethod: 'Staff directory match' });
  await outreach(staff, staffAdmin, 22, [...INTRO, 'AFFILIATION_ASCERTAINED']);
  await logContact({
    groupId: staff, administratorId: staffAdmin, occurredAt: daysAgo(20), channel: 'EMAIL', direction: 'INBOUND', steps: [], outcome: 'REFUSED_TO_ENGAGE',
    summary: 'Replied asking us not to contact them again.',
  });
  await submitReferral(
    await draftReferral({ groupId: staff, reason: 'REFUSED_TO_ENGAGE', summary: 'Staff administrator declined any contact about the group.' }),
    { mode: 'AUTO' },
  );

  // 9. REFERRED to LEGAL — unaffiliated administrators refused to engage.
  const anon = await createGroup({ name: 'Northfield Anon', platform: 'TELEGRAM', handle: 't.me/northfieldanon', kind: 'ANONYMOUS_QA', riskLevel: 'HIGH', discoveredAt: daysAgo(33) });
  const anonAdmin = await addAdministrator({ groupId: anon, handle: '@anon_owner', affiliation: 'UNAFFILIATED', affiliationMethod: 'Said they have never studied or worked here' });
  await addAdministrator({ groupId: anon, handle: '@anon_helper', affiliation: 'ALUMNI', affiliationMethod: 'Former student (2019)' });
  await outreach(anon, anonAdmin, 30, [...INTRO, 'AFFILIATION_ASCERTAINED']);
  await logContact({
    groupId: anon, administratorId: anonAdmin, occurredAt: daysAgo(29), channel: 'PLATFORM_MESSAGE', direction: 'INBOUND', steps: [], outcome: 'REFUSED_TO_ENGAGE',
    summary: 'Owner refused to discuss the page and collects submitters’ emails.',
  });
  await recordConcern({
    groupId: anon, category: 'DATA_SECURITY', severity: 'HIGH', seenAt: daysAgo(29), actionTaken: 'NONE',
    description: 'Submission form asks for university email addresses.',
  });
  await submitReferral(
    await draftReferral({ groupId: anon, reason: 'REFUSED_TO_ENGAGE', summary: 'Owner with no university link collects student emails and refused to engage.' }),
    { mode: 'AUTO' },
  );

  // 10. REFERRED, split — a student and a staff member run it together: one referral to DISCIPLINE, one to HR.
  const mixed = await createGroup({ name: 'NU Gaming Society Confessions', platform: 'DISCORD', kind: 'CONFESSIONS', riskLevel: 'MEDIUM', discoveredAt: daysAgo(18) });
  const mixedStudent = await addAdministrator({ groupId: mixed, handle: 'pixel#2041', affiliation: 'STUDENT', affiliationMethod: 'Society committee list' });
  await addAdministrator({ groupId: mixed, handle: 'techie#7788', affiliation: 'STAFF', affiliationMethod: 'IT services staff page' });
  await outreach(mixed, mixedStudent, 15, [...INTRO, 'AFFILIATION_ASCERTAINED']);
  await logContact({
    groupId: mixed, administratorId: mixedStudent, occurredAt: daysAgo(14), channel: 'PLATFORM_MESSAGE', direction: 'INBOUND', steps: [], outcome: 'REFUSED_ACCOUNTABILITY',
    summary: 'Both admins said the server is private and they will not moderate it.',
  });
  await submitReferral(
    await draftReferral({ groupId: mixed, reason: 'REFUSED_ACCOUNTABILITY', summary: 'Student and staff administrators refuse accountability for hateful posts.' }),
    { mode: 'SPLIT' },
  );

  // 11. ESCALATED — a critical wellbeing concern; the lead approved a report to the platform.
  const leaks = await createGroup({ name: 'Exam Leaks NU', platform: 'DISCORD', kind: 'OTHER', riskLevel: 'HIGH', discoveredAt: daysAgo(4) });
  await recordConcern({
    groupId: leaks, category: 'WELLBEING_SAFETY', severity: 'CRITICAL', seenAt: daysAgo(3), actionTaken: 'PASSED_TO_WELLBEING',
    description: 'A post describing self-harm; the wellbeing team was told at once.',
  });
  const escalation = (
    await run('officer', `mutation($input: RecordEscalationInput!) { recordEscalation(input: $input) { id version } }`, {
      input: { groupId: leaks, kind: 'PLATFORM_REPORT', reason: 'Critical wellbeing content and no known administrators to contact.' },
    })
  ).recordEscalation;
  const approved = (
    await run('lead', `mutation($input: ApproveEscalationInput!) { approveEscalation(input: $input) { id version } }`, { input: escalation })
  ).approveEscalation;
  await run('officer', `mutation($input: ReportEscalationInput!) { reportEscalation(input: $input) { id } }`, {
    input: { ...approved, externalReference: 'Discord Trust & Safety ticket 4471920' },
  });

  // 12. REFUSED — refused to engage, referral not yet drafted.
  const refused = await createGroup({ name: 'Northfield After Dark', platform: 'TUMBLR', kind: 'CONFESSIONS', riskLevel: 'MEDIUM', discoveredAt: daysAgo(12) });
  const refusedAdmin = await addAdministrator({ groupId: refused, handle: 'nfafterdark', affiliation: 'UNKNOWN' });
  await outreach(refused, refusedAdmin, 10, INTRO);
  await logContact({
    groupId: refused, administratorId: refusedAdmin, occurredAt: daysAgo(9), channel: 'COMMENT', direction: 'INBOUND', steps: [], outcome: 'REFUSED_TO_ENGAGE',
    summary: 'Replied publicly that they will not talk to the university.',
  });

  // 13. CLOSED — the page was deleted.
  const gone = await createGroup({ name: 'Freshers 2023 Confessions', platform: 'YIK_YAK', kind: 'CONFESSIONS', riskLevel: 'LOW', discoveredAt: daysAgo(300) });
  await run('officer', `mutation($input: CloseGroupInput!) { closeGroup(input: $input) { id } }`, {
    input: { id: gone, version: await groupVersion(gone), reason: 'The page no longer exists.' },
  });

  // Reviews fall due from when groups were found, so the register has overdue ones at the top.
  await manager.query(
    `UPDATE groups SET created_at = discovered_at,
            next_review_due = CASE WHEN id = ANY($1) THEN now() - interval '2 days' ELSE next_review_due END`,
    [[discovered, unresponsive]],
  );
}
