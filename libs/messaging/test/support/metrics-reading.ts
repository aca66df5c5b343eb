import type { Registry } from 'prom-client';

/** Every sample of a metric, as a scrape sees it. */
export async function metricSamples(registry: Registry, name: string) {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name} in the registry`);
  return (await metric.get()).values;
}

/** The sum of a metric's samples whose labels include `labels` (0 when there are none), as a scrape sees it. */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  return (await metricSamples(registry, name))
    .filter((sample) => Object.entries(labels).every(([label, value]) => sample.labels[label] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}
