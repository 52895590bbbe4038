import { Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsIn, IsUUID, Matches } from 'class-validator';
import { SERVICE_SCOPES, type ServiceScope } from '@signpost/policy';
import { IsCleanText } from '../../../common/validation.js';
import { SERVICE_CLIENT_NAME } from '../service-client.service.js';

@InputType('CreateServiceClientInput')
export class CreateServiceClientInput {
  @Field(() => String, { description: 'Unique, e.g. "Student Union portal": letters, digits, spaces, dots, dashes, underscores' })
  @IsCleanText() @Matches(SERVICE_CLIENT_NAME, { message: 'name must be 1 to 100 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit.' })
  name: string;

  @Field(() => [String], { description: `At least one of: ${SERVICE_SCOPES.join(', ')}` })
  @ArrayNotEmpty() @ArrayMaxSize(SERVICE_SCOPES.length) @ArrayUnique()
  @IsIn(SERVICE_SCOPES, { each: true, message: `each scope must be one of: ${SERVICE_SCOPES.join(', ')}.` })
  scopes: ServiceScope[];
}

@InputType('RevokeServiceClientInput')
export class RevokeServiceClientInput {
  @Field(() => ID) @IsUUID()
  id: string;
}

@InputType('ApproveServiceClientInput', { description: 'A second administrator approves a client whose scopes read referrals' })
export class ApproveServiceClientInput {
  @Field(() => ID) @IsUUID()
  id: string;
}
