/**
 * What Prometheus scrapes and which rules it loads, for the Prometheus servers this repository
 * starts itself: the local profile's (the infra recipe) and the end-to-end test's. The compose
 * profile's is the checked-in infra/monitoring/prometheus.yml, with the same jobs. Imports nothing,
 * so Node's type stripping and jest load it alike.
 */

/** One job per service, named like the `service` label every metric of that service carries. */
export const scrapedServices = [
  'gateway',
  'auth',
  'order',
  'payment',
  'inventory',
  'notification',
  'payment-provider-sim',
] as const;

export type ScrapedService = (typeof scrapedServices)[number];

/**
 * Where each service answers /metrics in the local profile: its default PORT, except the gateway,
 * which serves /metrics on its operations port (OPS_PORT 8081), not on the public 8080.
 */
export const localMetricsPorts: Record<ScrapedService, number> = {
  gateway: 8081,
  auth: 3001,
  order: 3002,
  payment: 3003,
  inventory: 3004,
  notification: 3005,
  'payment-provider-sim': 3006,
};

export interface PrometheusConfigOptions {
  /** `host:port` of each service's /metrics. */
  targets: Record<ScrapedService, string>;
  /** Rule files or globs, absolute. */
  ruleFiles: string[];
  scrapeInterval: string;
  evaluationInterval: string;
}

/** `127.0.0.1:<port>` of every service's default port. */
export function localTargets(): Record<ScrapedService, string> {
  return Object.fromEntries(
    scrapedServices.map((service) => [service, `127.0.0.1:${localMetricsPorts[service]}`]),
  ) as Record<ScrapedService, string>;
}

/** A prometheus.yml. JSON is YAML, so it is written as JSON: nothing here needs a YAML library. */
export function prometheusConfig(options: PrometheusConfigOptions): string {
  const config = {
    global: {
      scrape_interval: options.scrapeInterval,
      scrape_timeout: options.scrapeInterval,
      evaluation_interval: options.evaluationInterval,
    },
    rule_files: options.ruleFiles,
    scrape_configs: scrapedServices.map((service) => ({
      job_name: service,
      static_configs: [{ targets: [options.targets[service]] }],
    })),
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
