import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AUDIT_CHAIN_PROBLEMS, type AuditChainProblem } from './audit-chain.js';

const AuditChainProblemEnum = Object.fromEntries(AUDIT_CHAIN_PROBLEMS.map((p) => [p, p])) as { [K in AuditChainProblem]: K };
registerEnumType(AuditChainProblemEnum, {
  name: 'AuditChainProblem',
  description: 'Why the audit hash chain is broken',
  valuesConfig: {
    HASH_MISMATCH: { description: "An event's hash does not match its fields: it was changed after it was written" },
    PREV_HASH_MISMATCH: { description: "An event's prevHash is not the previous event's hash: events were changed, removed or reordered" },
    GAP: { description: 'A seq is missing or out of sequence: an event was removed or renumbered' },
    ANCHOR_MISMATCH: { description: 'A head recorded earlier is no longer in the chain' },
  },
});

@ObjectType('AuditChainStatus', { description: "The audit trail's hash chain, recomputed from the first event" })
export class AuditChainStatusType {
  @Field(() => Boolean, { description: 'Every event is intact and in place' })
  ok: boolean;

  @Field(() => Int, { description: 'Events checked and found intact (all of them when ok)' })
  events: number;

  @Field(() => String, { nullable: true, description: 'The first seq at which the chain breaks' })
  firstBrokenSeq: string | null;

  @Field(() => AuditChainProblemEnum, { nullable: true })
  reason: AuditChainProblem | null;

  @Field(() => String, { nullable: true, description: 'The break, as a sentence' })
  explanation: string | null;

  @Field(() => String, { nullable: true, description: 'The last intact event: record it elsewhere to detect a trail later cut short' })
  headSeq: string | null;

  @Field(() => String, { nullable: true })
  headHash: string | null;

  @Field(() => Int, { description: 'Events committed but not chained yet: the sealer chains them within moments of their commit; not checked here' })
  unsealed: number;
}
