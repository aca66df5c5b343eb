import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dashboardProblems,
  dashboardQueries,
  readDashboards,
  substituteVariables,
  type Dashboard,
} from '../src/dashboards';
import { alertsDefined, alertsTested, coverageProblems } from '../src/rule-coverage';

const prometheus = { type: 'prometheus', uid: 'prometheus' };

function dashboard(overrides: Partial<Dashboard> = {}): Dashboard {
  return {
    uid: 'red',
    title: 'RED',
    templating: {
      list: [
        {
          name: 'service',
          type: 'query',
          datasource: prometheus,
          query: { query: 'label_values(http_server_requests_total, service)' },
          allValue: '.+',
        },
      ],
    },
    panels: [
      {
        id: 1,
        type: 'timeseries',
        title: 'Requests',
        gridPos: { h: 8, w: 12, x: 0, y: 0 },
        targets: [
          {
            refId: 'A',
            datasource: prometheus,
            expr: 'sum(rate(http_server_requests_total{service=~"$service"}[$__rate_interval]))',
          },
        ],
      },
    ],
    ...overrides,
  };
}

describe('dashboard reading', () => {
  it('when a query uses a dashboard variable and a built-in one, then both are replaced as Grafana would for "All"', () => {
    expect(
      substituteVariables(
        'rate(x{service=~"$service"}[$__rate_interval]) or ${service} or [[service]]',
        dashboard(),
      ),
    ).toBe('rate(x{service=~".+"}[1m]) or .+ or .+');
  });

  it('when a query names a variable the dashboard does not define, then it is refused by name', () => {
    expect(() => substituteVariables('x{service=~"$servce"}', dashboard())).toThrow(
      'unknown variable $servce',
    );
  });

  it('when a dashboard has a panel query and a label_values variable, then both are listed, the variable as PromQL', () => {
    expect(dashboardQueries('red.json', dashboard()).map((query) => query.promql)).toEqual([
      'sum(rate(http_server_requests_total{service=~".+"}[1m]))',
      'group by (service) (http_server_requests_total)',
    ]);
  });

  it('when a dashboard is sound, then it has no problems', () => {
    expect(dashboardProblems([{ file: 'red.json', json: dashboard() }])).toEqual([]);
  });

  it('when dashboards break in each way the check knows, then each is named', () => {
    const panel = dashboard().panels![0]!;
    const problems = dashboardProblems([
      { file: 'a.json', json: dashboard() },
      { file: 'b.json', json: dashboard({ title: undefined }) }, // the same uid as a.json, no title
      { file: 'c.json', json: dashboard({ uid: 'c', panels: [{ ...panel, gridPos: undefined }] }) },
      {
        file: 'd.json',
        json: dashboard({
          uid: 'd',
          panels: [{ ...panel, targets: [{ refId: 'A', expr: 'up', datasource: { uid: 'loki' } }] }],
        }),
      },
      { file: 'e.json', parseError: 'Unexpected end of JSON input' },
    ]);
    expect(problems).toEqual([
      "b.json: uid red is also a.json's",
      'b.json: no title',
      'c.json: panel "Requests": no gridPos {h, w, x, y}',
      'd.json: panel "Requests": data source {"uid":"loki"}; expected the provisioned uid "prometheus"',
      'e.json: not JSON: Unexpected end of JSON input',
    ]);
  });

  it('when a directory holds dashboards, then each .json is read and one that does not parse says why', () => {
    const directory = mkdtempSync(join(tmpdir(), 'dashboards-'));
    writeFileSync(join(directory, 'good.json'), JSON.stringify(dashboard()));
    writeFileSync(join(directory, 'bad.json'), '{"uid": ');
    writeFileSync(join(directory, 'notes.md'), '# not a dashboard');
    const files = readDashboards(directory);
    expect(files.map((file) => [file.file, file.json?.uid, Boolean(file.parseError)])).toEqual([
      ['bad.json', undefined, true],
      ['good.json', 'red', false],
    ]);
  });
});

describe('alert coverage', () => {
  const rules =
    'groups:\n  - name: g\n    rules:\n      - alert: BreakerOpen\n        expr: x > 0\n      - record: a:b:c\n        expr: y\n      - alert: LagGrowing\n        expr: z > 0\n';

  it('when a rule file defines alerts and recordings, then only the alerts are listed', () => {
    expect(alertsDefined(rules)).toEqual(['BreakerOpen', 'LagGrowing']);
  });

  it('when the tests make one alert fire and keep it quiet, but never the other, then the other is named twice', () => {
    const tests = alertsTested(
      [
        'tests:',
        '  - alert_rule_test:',
        '      - eval_time: 5m',
        '        alertname: BreakerOpen',
        '        exp_alerts:',
        '          - exp_labels: { service: payment }',
        '      - eval_time: 1m',
        '        alertname: BreakerOpen',
        '        exp_alerts: []',
        '      - eval_time: 1m',
        '        alertname: Renamed',
        '        exp_alerts: []',
      ].join('\n'),
    );
    expect(coverageProblems(alertsDefined(rules), [tests])).toEqual([
      'LagGrowing: no rule test makes it fire',
      'LagGrowing: no rule test expects it quiet',
      'Renamed: tested, but no rule defines it',
    ]);
  });
});
