import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createSchema } from './schema.js';

const SNAPSHOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../schema.graphql');

describe('the public GraphQL contract', () => {
  it('matches the committed schema.graphql (run `npm run schema --workspace @signpost/api` after a reviewed change)', async () => {
    const schema = await createSchema();
    const committed = await readFile(SNAPSHOT, 'utf8');
    expect(printSchema(lexicographicSortSchema(schema)).trim()).toBe(committed.replace(/^#.*\n/gm, '').trim());
  });

  it('keeps every name DOMAIN.md promises other services', async () => {
    const schema = await createSchema();
    const query = Object.keys(schema.getQueryType()!.getFields());
    const mutation = Object.keys(schema.getMutationType()!.getFields());
    expect(query).toEqual(expect.arrayContaining(['me', 'groups', 'group', 'referrals', 'referral', 'auditEvents']));
    expect(mutation).toEqual(
      expect.arrayContaining([
        'createGroup', 'updateGroup', 'closeGroup', 'reopenGroup', 'addAdministrator', 'updateAdministrator', 'logContact',
        'proposeWording', 'approveWording', 'recordPlacement', 'recordLogoStatus', 'recordConcern', 'recordReview',
        'draftReferral', 'submitReferral', 'acknowledgeReferral', 'updateReferralStatus', 'addReferralNote',
        'transferReferral', 'closeReferral', 'recordEscalation',
      ]),
    );
    const referral = schema.getType('Referral') as import('graphql').GraphQLObjectType;
    expect(Object.keys(referral.getFields())).toEqual(expect.arrayContaining(['id', 'team', 'status', 'reason', 'summary', 'snapshot', 'group']));
    const group = schema.getType('Group') as import('graphql').GraphQLObjectType;
    expect(Object.keys(group.getFields())).toEqual(expect.arrayContaining(['id', 'name', 'platform', 'status', 'riskLevel']));
    const me = schema.getType('Me') as import('graphql').GraphQLObjectType;
    expect(Object.keys(me.getFields())).toEqual(expect.arrayContaining(['email', 'roles']));
  });
});
