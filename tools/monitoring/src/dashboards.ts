/**
 * The Grafana dashboards of infra/monitoring/grafana/dashboards as data: their PromQL, ready to be
 * sent to a Prometheus, and what is wrong with them as files. The monitoring check and the
 * end-to-end test read them through this module. Imports only Node, so Node's type stripping and
 * jest load it alike.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The uid of the Prometheus data source that Grafana's provisioning creates. */
export const prometheusDatasourceUid = 'prometheus';

export interface DashboardFile {
  file: string;
  /** The parsed JSON, or undefined when it does not parse. */
  json?: Dashboard;
  parseError?: string;
}

interface Datasource {
  type?: string;
  uid?: string;
}

interface Target {
  refId?: string;
  expr?: string;
  datasource?: Datasource;
}

interface Panel {
  id?: number;
  type?: string;
  title?: string;
  datasource?: Datasource;
  gridPos?: { h?: number; w?: number; x?: number; y?: number };
  targets?: Target[];
  panels?: Panel[];
}

interface Variable {
  name?: string;
  type?: string;
  datasource?: Datasource;
  query?: string | { query?: string };
  allValue?: string;
}

export interface Dashboard {
  uid?: string;
  title?: string;
  panels?: Panel[];
  templating?: { list?: Variable[] };
}

/** One PromQL query of a dashboard, its Grafana variables replaced as the "All" choice would. */
export interface DashboardQuery {
  dashboard: string;
  /** Panel title and refId, or the variable's name. */
  where: string;
  /** As written in the dashboard. */
  written: string;
  /** What Prometheus gets. */
  promql: string;
}

/** Grafana's built-in interval variables, as Grafana would fill them in for a short time range. */
const builtInVariables: Record<string, string> = {
  __rate_interval: '1m',
  __interval: '15s',
  __range: '1h',
};

export function readDashboards(directory: string): DashboardFile[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(directory, file), 'utf8');
      try {
        return { file, json: JSON.parse(text) as Dashboard };
      } catch (error) {
        return { file, parseError: (error as Error).message };
      }
    });
}

function panelsOf(dashboard: Dashboard): Panel[] {
  const all: Panel[] = [];
  const visit = (panels: Panel[] | undefined) => {
    for (const panel of panels ?? []) {
      all.push(panel);
      visit(panel.panels);
    }
  };
  visit(dashboard.panels);
  return all;
}

function variablesOf(dashboard: Dashboard): Variable[] {
  return dashboard.templating?.list ?? [];
}

function variableQuery(variable: Variable): string {
  return typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
}

/**
 * `label_values(metric{…}, label)` is Grafana's, not PromQL: its PromQL counterpart asks for the
 * same series, so a misspelt metric shows as no data here too.
 */
function variablePromql(query: string): string | undefined {
  const labelValues = /^\s*label_values\(\s*(.+)\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$/.exec(query);
  if (labelValues) return `group by (${labelValues[2]}) (${labelValues[1]})`;
  return undefined;
}

/** Replaces `$name`, `${name}` and `[[name]]` with the built-ins above or a dashboard variable's "All" value. */
export function substituteVariables(expr: string, dashboard: Dashboard): string {
  const allValues = new Map<string, string>(
    variablesOf(dashboard).map((variable) => [variable.name ?? '', variable.allValue ?? '.+']),
  );
  return expr.replace(
    /\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g,
    (whole, braced?: string, bare?: string, bracketed?: string) => {
      const name = braced ?? bare ?? bracketed ?? '';
      const value = builtInVariables[name] ?? allValues.get(name);
      if (value === undefined) throw new Error(`unknown variable ${whole}`);
      return value;
    },
  );
}

/** Every query of a dashboard: its panels' targets and its query variables. */
export function dashboardQueries(file: string, dashboard: Dashboard): DashboardQuery[] {
  const queries: DashboardQuery[] = [];
  const name = dashboard.title ?? file;
  for (const panel of panelsOf(dashboard)) {
    for (const target of panel.targets ?? []) {
      if (!target.expr) continue;
      queries.push({
        dashboard: name,
        where: `panel "${panel.title ?? panel.id}" ${target.refId ?? ''}`.trim(),
        written: target.expr,
        promql: substituteVariables(target.expr, dashboard),
      });
    }
  }
  for (const variable of variablesOf(dashboard)) {
    if (variable.type !== 'query') continue;
    const written = variableQuery(variable);
    const promql = variablePromql(written);
    queries.push({
      dashboard: name,
      where: `variable $${variable.name}`,
      written,
      promql: promql === undefined ? written : substituteVariables(promql, dashboard),
    });
  }
  return queries;
}

/**
 * What is wrong with the dashboards as files: JSON that does not parse, a missing or repeated uid,
 * a panel without a place on the grid or with a query but no expression, a data source other than
 * the provisioned Prometheus, an unknown variable, a variable query Grafana cannot run here.
 * PromQL syntax is Prometheus' business (the check sends each query to promtool).
 */
export function dashboardProblems(files: DashboardFile[]): string[] {
  const problems: string[] = [];
  const uids = new Map<string, string>();
  for (const { file, json, parseError } of files) {
    if (!json) {
      problems.push(`${file}: not JSON: ${parseError}`);
      continue;
    }
    if (!json.uid) problems.push(`${file}: no uid (links and the provisioning key on it)`);
    else if (uids.has(json.uid)) problems.push(`${file}: uid ${json.uid} is also ${uids.get(json.uid)}'s`);
    else uids.set(json.uid, file);
    if (!json.title) problems.push(`${file}: no title`);
    const panels = panelsOf(json);
    if (panels.length === 0) problems.push(`${file}: no panels`);
    const ids = new Set<number>();
    for (const panel of panels) {
      const where = `${file}: panel "${panel.title ?? panel.id ?? '?'}"`;
      if (panel.id === undefined || ids.has(panel.id)) problems.push(`${where}: missing or repeated id`);
      else ids.add(panel.id);
      const grid = panel.gridPos;
      if (!grid || [grid.h, grid.w, grid.x, grid.y].some((value) => typeof value !== 'number'))
        problems.push(`${where}: no gridPos {h, w, x, y}`);
      if (panel.type === 'row' || panel.type === 'text') continue;
      if ((panel.targets ?? []).length === 0) problems.push(`${where}: no queries`);
      for (const target of panel.targets ?? []) {
        if (!target.expr?.trim()) problems.push(`${where} ${target.refId ?? ''}: a query without expr`);
        const datasource = target.datasource ?? panel.datasource;
        if (datasource?.uid !== prometheusDatasourceUid)
          problems.push(
            `${where}: data source ${JSON.stringify(datasource)}; expected the provisioned uid "${prometheusDatasourceUid}"`,
          );
      }
    }
    for (const variable of variablesOf(json)) {
      if (variable.type !== 'query') continue;
      if (variable.datasource?.uid !== prometheusDatasourceUid)
        problems.push(`${file}: variable $${variable.name}: data source is not "${prometheusDatasourceUid}"`);
      if (variablePromql(variableQuery(variable)) === undefined)
        problems.push(
          `${file}: variable $${variable.name}: only label_values(metric, label) is checked here`,
        );
    }
    try {
      dashboardQueries(file, json);
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
    }
  }
  return problems;
}
