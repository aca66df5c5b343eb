import type { BenchContext } from '../bench-context.ts';

/**
 * The order figures run unpinned. Pinning exists for the gateway figure's equal cores; six services
 * squeezed onto the services' CPUs while the load generator idles on its own one (a few orders per
 * second cost it ~2% of a core) would measure the pinning, not the saga.
 */
export function unpinned(context: BenchContext): BenchContext {
  return { ...context, layout: { unpinnedBecause: 'the order figures need every CPU for the services' } };
}

export const unpinnedNote = 'not pinned: the services and the load generator share every CPU';
