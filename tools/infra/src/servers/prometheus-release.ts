/**
 * The Prometheus this repository builds, and how: the infra recipe (tools/infra/src/servers/
 * prometheus.ts) installs it, the monitoring check runs its promtool, the end-to-end test starts
 * its server. Imports nothing, so Node's type stripping and jest load it alike.
 *
 * Prometheus publishes its Go module as v0.<major*100+minor>.<patch>: v0.316.0 is Prometheus 3.16.0.
 * `go install …@v0.316.0` builds it with the Go here (its go.mod asks for go 1.26.7) without a
 * replace directive in the way.
 */

export const prometheusVersion = '3.16.0';
export const prometheusModule = 'github.com/prometheus/prometheus';
export const prometheusModuleVersion = 'v0.316.0';

/** The two commands built, as `go install` arguments. */
export const prometheusPackages = ['cmd/prometheus', 'cmd/promtool'].map(
  (command) => `${prometheusModule}/${command}@${prometheusModuleVersion}`,
);

/**
 * `remove_all_sd` leaves out every service discovery but static, file and HTTP (cloud SDKs,
 * Kubernetes' client): about half the modules to download and compile. Nothing here discovers
 * targets; they are listed.
 */
export const prometheusBuildTags = ['remove_all_sd'];

/** Stamps the version the way upstream's release build does, so `prometheus --version` names it. */
export const prometheusLdflags = `-s -w -X github.com/prometheus/common/version.Version=${prometheusVersion}`;

export interface PrometheusBinaries {
  prometheus: string;
  promtool: string;
}

/** Where `go install` puts the two binaries under an install directory (GOBIN=<installDir>/bin). */
export function prometheusBinariesIn(installDir: string): PrometheusBinaries {
  return {
    prometheus: `${installDir}/bin/prometheus`,
    promtool: `${installDir}/bin/promtool`,
  };
}
