// The wording module's resolver classes, registered in ../resolvers.ts.
import { WordingTemplateResolver } from './wording-template.resolver.js';
import { GroupWordingFieldResolver, WordingResolver, WordingVersionFieldResolver } from './wording.resolver.js';
import { PlacementResolver } from './placement.resolver.js';
import { LogoResolver } from './logo.resolver.js';

export const RESOLVERS: Function[] = [
  WordingTemplateResolver, WordingResolver, WordingVersionFieldResolver, GroupWordingFieldResolver, PlacementResolver, LogoResolver,
];
