import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../common/context.js';
import { Idempotent } from '../../common/operation-registry.js';
import { Allow } from '../../common/authorization.js';
import { WordingTemplate } from './wording-template.entity.js';
import { WordingCheckResult } from './wording-check.types.js';
import { CreateWordingTemplateInput, ReviseWordingTemplateInput } from './dto/wording-template.inputs.js';
import * as templates from './wording-template.service.js';

@Resolver(() => WordingTemplate)
@Allow('wordingTemplate.read')
export class WordingTemplateResolver {
  @Allow('wordingTemplate.read')
  @Query(() => [WordingTemplate], { description: "The university's standard wordings, by name; only current versions unless includeOld" })
  wordingTemplates(
    @Ctx() ctx: RequestContext,
    @Arg('includeOld', () => Boolean, { nullable: true, defaultValue: false, description: 'Also list versions that have been revised' })
    includeOld: boolean | null,
  ) {
    return templates.listWordingTemplates(ctx, includeOld === true);
  }

  @Allow('wordingTemplate.manage')
  @Idempotent()
  @Mutation(() => WordingTemplate, { description: 'Add a wording template (version 1)' })
  createWordingTemplate(@Ctx() ctx: RequestContext, @Arg('input', () => CreateWordingTemplateInput) input: CreateWordingTemplateInput) {
    return templates.createWordingTemplate(ctx, input);
  }

  @Allow('wordingTemplate.manage')
  @Idempotent()
  @Mutation(() => WordingTemplate, {
    description: 'Revise a template: a new version with the same name becomes current; CONFLICT if the one you revise is no longer current',
  })
  reviseWordingTemplate(@Ctx() ctx: RequestContext, @Arg('input', () => ReviseWordingTemplateInput) input: ReviseWordingTemplateInput) {
    return templates.reviseWordingTemplate(ctx, input);
  }

  @Allow('wordingTemplate.read')
  @FieldResolver(() => WordingCheckResult, { description: 'The wording check of the body, against the current settings' })
  check(@Ctx() ctx: RequestContext, @Root() template: WordingTemplate) {
    return templates.checkTemplate(ctx, template);
  }
}
