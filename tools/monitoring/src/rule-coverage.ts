/**
 * Holds the rule tests to their promise: every alert of infra/monitoring/rules has a promtool test
 * in which it fires and one in which it stays quiet. promtool runs the tests; this only reads which
 * alerts they expect at all, from the YAML as the files write it (`- alert: Name` in the rules;
 * `alertname: Name`, then `exp_alerts: []` or a list, in the tests).
 */

export interface AlertCoverage {
  fires: Set<string>;
  quiet: Set<string>;
}

/** The alert names a rule file defines. */
export function alertsDefined(rulesYaml: string): string[] {
  return [...rulesYaml.matchAll(/^\s*-\s*alert:\s*['"]?([A-Za-z_:][\w:]*)['"]?\s*$/gm)].map(
    (match) => match[1] as string,
  );
}

/** Which alerts a test file expects to fire somewhere, and which to be quiet somewhere. */
export function alertsTested(testYaml: string): AlertCoverage {
  const coverage: AlertCoverage = { fires: new Set(), quiet: new Set() };
  // Each alert_rule_test item: its alertname (first or after eval_time), then its exp_alerts.
  const items = testYaml.split(/^\s*(?:-\s*)?alertname:/m).slice(1);
  for (const item of items) {
    const name = /^\s*['"]?([A-Za-z_:][\w:]*)/.exec(item)?.[1];
    const expected = /^\s*exp_alerts:(.*)$/m.exec(item);
    if (!name || !expected) continue;
    if (/^\s*\[\s*\]\s*(#.*)?$/.test(expected[1] ?? '')) coverage.quiet.add(name);
    else coverage.fires.add(name);
  }
  return coverage;
}

/** One line per alert that no test makes fire, or none keeps quiet, or a test names but no rule defines. */
export function coverageProblems(defined: string[], tested: AlertCoverage[]): string[] {
  const fires = new Set(tested.flatMap((coverage) => [...coverage.fires]));
  const quiet = new Set(tested.flatMap((coverage) => [...coverage.quiet]));
  const problems: string[] = [];
  for (const alert of defined) {
    if (!fires.has(alert)) problems.push(`${alert}: no rule test makes it fire`);
    if (!quiet.has(alert)) problems.push(`${alert}: no rule test expects it quiet`);
  }
  const known = new Set(defined);
  for (const alert of new Set([...fires, ...quiet]))
    if (!known.has(alert)) problems.push(`${alert}: tested, but no rule defines it`);
  return problems;
}
