import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The university's standard wording. Each revision is a new row; `current` marks the latest. */
@ObjectType('WordingTemplate', { description: "The university's standard signposting wording, versioned" })
@Entity('wording_templates')
@Index('wording_templates_name_version_key', ['name', 'version'], { unique: true })
export class WordingTemplate {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  @Field(() => Int)
  @Column({ type: 'integer' })
  version: number;

  @Field(() => String)
  @Column({ type: 'text' })
  body: string;

  @Field(() => [String], { description: 'The support links the template must contain' })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  supportLinks: string[];

  @Field(() => Boolean)
  @Column({ type: 'boolean', default: true })
  current: boolean;

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
