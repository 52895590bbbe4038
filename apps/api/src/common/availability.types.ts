import { Field, ObjectType, registerEnumType, type ClassType } from 'type-graphql';
import {
  ESCALATION_ACTIONS, GROUP_TRANSITIONS, REFERRAL_ACTIONS, WORDING_ACTIONS, type ActionAvailability, type GroupStatus,
} from '@signpost/policy';
import { EscalationStatusEnum, GroupStatusEnum, ReferralStatusEnum, WordingStatusEnum } from './graphql-enums.js';

const enumOf = <T extends string>(values: readonly T[], name: string, description: string) => {
  const obj = Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
  registerEnumType(obj, { name, description });
  return obj;
};

export const RefusedByEnum = enumOf(['role', 'lifecycle'] as const, 'RefusedBy', 'What stops an action: the caller\'s roles (FORBIDDEN) or the record\'s state (TRANSITION_NOT_ALLOWED)');
export const GroupTransitionEnum = enumOf([...new Set(GROUP_TRANSITIONS.map((t) => t.name))], 'GroupTransition', 'A move of the group lifecycle (policy package, GROUP_TRANSITIONS)');
export const ReferralActionEnum = enumOf(REFERRAL_ACTIONS, 'ReferralAction', 'Something a person can do to a referral');
export const EscalationActionEnum = enumOf(ESCALATION_ACTIONS, 'EscalationAction', 'Something a person can do to an escalation');
export const WordingActionEnum = enumOf(WORDING_ACTIONS, 'WordingAction', 'Something a person can do to a wording agreement');

@ObjectType('AvailableTransition', {
  description: 'A move of the group from where it is, for the caller: allowed now, or why not. Automatic moves happen by themselves on their trigger once nothing is unmet; manual ones are made with their mutation',
})
export class AvailableTransition {
  @Field(() => GroupTransitionEnum) action: string;
  @Field(() => GroupStatusEnum) to: GroupStatus;
  @Field(() => Boolean, { description: 'For a manual move: the caller may make it now. For an automatic one: its conditions hold' }) allowed: boolean;
  @Field(() => [String], { description: 'Every reason it is not allowed, in words; empty when allowed' }) unmet: string[];
  @Field(() => RefusedByEnum, { nullable: true }) refusedBy: 'role' | 'lifecycle' | null;
  @Field(() => Boolean, { description: 'True when the move happens by itself (on `trigger`); false when a person makes it' }) automatic: boolean;
  @Field(() => String, { nullable: true, description: 'For an automatic move: when it happens' }) trigger: string | null;
  @Field(() => String, { nullable: true, description: 'For a manual move: the mutation that makes it' }) mutation: string | null;
}

/** `XAvailableAction { action, to, allowed, unmet, refusedBy, mutation }` for one kind of record. */
function AvailableActionType(name: string, actionEnum: object, statusEnum: object, record: string): ClassType<ActionAvailability> {
  @ObjectType(name, { description: `An action on the ${record}, for the caller: allowed now, or every reason why not` })
  class AvailableActionClass implements ActionAvailability {
    @Field(() => actionEnum) action: string;
    @Field(() => statusEnum, { nullable: true, description: 'The status it moves to, or null when it changes none' }) to: string | null;
    @Field(() => String, { description: 'The mutation that performs it' }) mutation: string;
    @Field(() => Boolean) allowed: boolean;
    @Field(() => [String], { description: 'Every reason it is not allowed, roles first, in words; empty when allowed' }) unmet: string[];
    @Field(() => RefusedByEnum, { nullable: true }) refusedBy: 'role' | 'lifecycle' | null;
  }
  return AvailableActionClass;
}

@ObjectType('ReferralAvailableAction', { description: 'An action on the referral, for the caller: allowed now, or every reason why not' })
export class ReferralAvailableAction extends AvailableActionType('ReferralAvailableAction', ReferralActionEnum, ReferralStatusEnum, 'referral') {}
@ObjectType('EscalationAvailableAction', { description: 'An action on the escalation, for the caller: allowed now, or every reason why not' })
export class EscalationAvailableAction extends AvailableActionType('EscalationAvailableAction', EscalationActionEnum, EscalationStatusEnum, 'escalation') {}
@ObjectType('WordingAvailableAction', { description: 'An action on the wording agreement, for the caller: allowed now, or every reason why not' })
export class WordingAvailableAction extends AvailableActionType('WordingAvailableAction', WordingActionEnum, WordingStatusEnum, 'wording agreement') {}
