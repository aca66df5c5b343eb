import type { z } from 'zod';

/**
 * One message type on the wire: its short name (what code and outboxes call it), its versioned
 * wire name (sent as `ce_type`, declared here and never derived from a class name), the topic it
 * travels on, its payload schema and the payload field that is its key (the aggregate id).
 */
export interface MessageDefinition<TName extends string = string, TSchema extends z.ZodObject = z.ZodObject> {
  readonly name: TName;
  readonly type: string;
  readonly topic: string;
  readonly schema: TSchema;
  readonly keyField: keyof z.infer<TSchema> & string;
}

export function defineMessage<const TName extends string, TSchema extends z.ZodObject>(
  definition: MessageDefinition<TName, TSchema>,
): MessageDefinition<TName, TSchema> {
  return Object.freeze(definition);
}

/** The message key of a payload that already passed its schema: the value of its key field. */
export function keyOf(definition: MessageDefinition, data: Record<string, unknown>): string {
  return String(data[definition.keyField]);
}

/** The payload type of a message definition. */
export type PayloadOf<TDefinition> =
  TDefinition extends MessageDefinition<string, infer TSchema> ? z.infer<TSchema> : never;
