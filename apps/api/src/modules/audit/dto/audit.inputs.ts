import { Field, ID, InputType, Int, ArgsType } from 'type-graphql';
import { IsDate, IsOptional, IsUUID, Matches, MaxLength, Max, Min, IsInt } from 'class-validator';

@InputType('AuditEventFilter', { description: 'All given conditions must hold' })
export class AuditEventFilter {
  @Field(() => String, { nullable: true, description: 'e.g. referral.read, group.create' })
  @IsOptional() @MaxLength(100) @Matches(/^[a-zA-Z.]+$/, { message: 'action is a dotted name such as referral.read' })
  action?: string;

  @Field(() => String, { nullable: true, description: 'e.g. Referral, Group' })
  @IsOptional() @MaxLength(100) @Matches(/^[A-Za-z]+$/, { message: 'entityType is a record name such as Referral' })
  entityType?: string;

  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID()
  entityId?: string;

  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID()
  groupId?: string;

  @Field(() => ID, { nullable: true, description: 'The person who acted' }) @IsOptional() @IsUUID()
  actorId?: string;

  @Field(() => Date, { nullable: true }) @IsOptional() @IsDate()
  from?: Date;

  @Field(() => Date, { nullable: true }) @IsOptional() @IsDate()
  to?: Date;
}

@ArgsType()
export class TimelineArgs {
  @Field(() => Int, { defaultValue: 50, description: 'The most recent entries, at most 100' })
  @IsInt() @Min(1) @Max(100)
  first: number;
}
