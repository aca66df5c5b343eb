import type { ServerRecipe } from '../recipe.ts';
import { cassandra } from './cassandra.ts';
import { ferretdb } from './ferretdb.ts';
import { jaeger } from './jaeger.ts';
import { kafka } from './kafka.ts';
import { prometheus } from './prometheus.ts';
import { redis } from './redis.ts';
import { toxiproxy } from './toxiproxy.ts';

/** Every server the CLI knows, in the order `up` lists them. Adding a recipe is one import and one entry. */
export const serverRecipes: ServerRecipe[] = [
  redis,
  kafka,
  cassandra,
  ferretdb,
  jaeger,
  prometheus,
  toxiproxy,
];
