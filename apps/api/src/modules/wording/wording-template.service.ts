import { checkWording, type WordingCheck } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { audit } from '../../common/audit.js';
import { badInput, conflict, notFound } from '../../common/errors.js';
import { requireId } from '../../common/ids.js';
import { WordingTemplate } from './wording-template.entity.js';
import type { CreateWordingTemplateInput, ReviseWordingTemplateInput } from './dto/wording-template.inputs.js';

/** Trimmed and without duplicates, in the order given. */
const cleanLinks = (links: readonly string[]): string[] => [...new Set(links.map((l) => l.trim()))];

export function listWordingTemplates(ctx: RequestContext, includeOld: boolean): Promise<WordingTemplate[]> {
  const qb = ctx.manager.createQueryBuilder(WordingTemplate, 't').orderBy('t.name', 'ASC').addOrderBy('t.version', 'DESC');
  if (!includeOld) qb.where('t.current');
  return qb.getMany();
}

export async function createWordingTemplate(ctx: RequestContext, input: CreateWordingTemplateInput): Promise<WordingTemplate> {
  const name = input.name.trim();
  // Case-insensitive: "Standard" and "standard" side by side would confuse everyone.
  const taken = await ctx.manager.createQueryBuilder(WordingTemplate, 't').where('lower(t.name) = lower(:name)', { name }).getExists();
  if (taken) throw badInput('input.name', `A wording template named "${name}" already exists; revise it instead.`);
  let template: WordingTemplate;
  try {
    template = await ctx.manager.save(
      ctx.manager.create(WordingTemplate, {
        name,
        version: 1,
        body: input.body.trim(),
        supportLinks: cleanLinks(input.supportLinks ?? []),
        current: true,
        createdById: ctx.user?.id ?? null,
      }),
    );
  } catch (err) {
    // Someone created the same name at the same moment: the unique index had the last word.
    if ((err as { driverError?: { code?: string } }).driverError?.code === '23505') {
      throw badInput('input.name', `A wording template named "${name}" already exists; revise it instead.`);
    }
    throw err;
  }
  await audit(ctx, {
    action: 'wordingTemplate.create',
    entityType: 'WordingTemplate',
    entityId: template.id,
    details: { version: 1, supportLinks: template.supportLinks.length },
  });
  return template;
}

export async function reviseWordingTemplate(ctx: RequestContext, input: ReviseWordingTemplateInput): Promise<WordingTemplate> {
  const id = requireId(input.id, 'input.id');
  const previous = await ctx.manager.findOneBy(WordingTemplate, { id });
  if (!previous) throw notFound('Wording template');
  // Retire the revised row first, conditionally: of two concurrent revisions only one
  // gets the row (the other waits, then finds it no longer current) and only one next version exists.
  const retired = await ctx.manager
    .createQueryBuilder()
    .update(WordingTemplate)
    .set({ current: false })
    .where('id = :id AND current', { id })
    .execute();
  if (!retired.affected) {
    // Someone revised it since: name the version that is current now, as every CONFLICT does.
    const [current]: { version: number }[] = await ctx.manager.query('SELECT version FROM wording_templates WHERE name = $1 AND current', [previous.name]);
    throw conflict('Wording template', current?.version ?? null);
  }
  const template = await ctx.manager.save(
    ctx.manager.create(WordingTemplate, {
      name: previous.name,
      version: previous.version + 1,
      body: input.body.trim(),
      supportLinks: input.supportLinks ? cleanLinks(input.supportLinks) : previous.supportLinks,
      current: true,
      createdById: ctx.user?.id ?? null,
    }),
  );
  await audit(ctx, {
    action: 'wordingTemplate.revise',
    entityType: 'WordingTemplate',
    entityId: template.id,
    details: { previousId: previous.id, version: template.version, supportLinks: template.supportLinks.length },
  });
  return template;
}

/** The policy's check of a template body against the configured links and bodies. */
export function checkTemplate(ctx: RequestContext, template: WordingTemplate): WordingCheck {
  return checkWording(template.body, ctx.config.wording);
}
