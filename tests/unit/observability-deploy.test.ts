/**
 * What deploy/ ships for Prometheus and Grafana, checked without either: the scrape targets are
 * the metrics ports, every alert rule and dashboard query is PromQL that Prometheus' own grammar
 * parses, the rules the operators rely on are there, and every metric they read is documented in
 * docs/operations.md (tests/e2e/metrics.test.ts sees those metrics on the live endpoints).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectRoot } from '../../config.js';
import { metricsIn } from '../support/promql.js';

const read = (file: string) => readFileSync(path.join(projectRoot, file), 'utf8');
const yamlOf = (file: string) => parse(read(file));

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string; description?: string };
}

const rules: Rule[] = (yamlOf('deploy/prometheus/alerts.yml').groups as { name: string; rules: Rule[] }[]).flatMap((group) => group.rules);
const dashboard = JSON.parse(read('deploy/grafana/dashboards/ppks.json'));
type Panel = { id: number; type: string; title: string; datasource?: { uid: string }; targets?: { expr: string }[]; panels?: Panel[] };
const panels: Panel[] = (dashboard.panels as Panel[]).flatMap((panel) => [panel, ...(panel.panels ?? [])]);
const queries = panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })));

/** Where Prometheus' grammar found no valid PromQL (error nodes), or [] when it parses. */
function promqlErrors(expr: string): number[] {
  const errors: number[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(node.from);
    },
  });
  return errors;
}

describe('deploy/prometheus', () => {
  it('scrapes the API and every worker on their metrics ports, and loads the rules beside it', () => {
    const prometheus = yamlOf('deploy/prometheus/prometheus.yml');
    expect(prometheus.rule_files).toEqual(['alerts.yml']);
    const jobs = Object.fromEntries(
      (prometheus.scrape_configs as { job_name: string; dns_sd_configs: { names: string[]; port: number }[] }[]).map((job) => [
        job.job_name,
        job.dns_sd_configs.map((sd) => `${sd.names.join(',')}:${sd.port}`),
      ]),
    );
    expect(jobs).toEqual({ 'ppks-api': ['api:9464'], 'ppks-worker': ['worker:9465'] });
  });

  it('has the alert rules operators rely on, each parsed by the PromQL grammar, with a severity and a summary', () => {
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'PpksWorkerDown',
        'PpksWorkflowTaskScheduleToStartHigh',
        'PpksActivityScheduleToStartHigh',
        'PpksSlaBreachSurge',
        'PpksWebhookDeliveriesFailed',
      ]),
    );
    expect(new Set(rules.map((rule) => rule.alert)).size).toBe(rules.length);
    for (const rule of rules) {
      expect(promqlErrors(rule.expr), `${rule.alert}: ${rule.expr}`).toEqual([]);
      expect(['critical', 'warning']).toContain(rule.labels.severity);
      expect(rule.annotations.summary).toBeTruthy();
      if (rule.for !== undefined) expect(rule.for).toMatch(/^\d+[smh]$/);
    }
  });

  it('refuses what is not PromQL (the check can fail)', () => {
    expect(promqlErrors('sum(rate(ppks_steps_accepted_total[5m])')).not.toEqual([]);
    expect(promqlErrors('histogram_quantile(0.95, sum by (le) rate(x[5m]))')).not.toEqual([]);
  });
});

describe('deploy/grafana', () => {
  it('provisions the Prometheus data source the dashboard names, and the dashboards folder', () => {
    const datasources = yamlOf('deploy/grafana/provisioning/datasources/prometheus.yml').datasources;
    expect(datasources).toEqual([expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' })]);
    const providers = yamlOf('deploy/grafana/provisioning/dashboards/ppks.yml').providers;
    expect(providers).toEqual([
      expect.objectContaining({ type: 'file', options: expect.objectContaining({ path: '/var/lib/grafana/dashboards' }) }),
    ]);
  });

  it('has a dashboard whose every query is PromQL over that data source', () => {
    expect(dashboard).toMatchObject({ uid: 'ppks', title: expect.any(String) });
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    expect(queries.length).toBeGreaterThan(10);
    for (const panel of panels.filter((p) => p.type !== 'row'))
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: 'prometheus' });
    for (const { panel, expr } of queries) expect(promqlErrors(expr), `${panel}: ${expr}`).toEqual([]);
  });
});

describe('docs/operations.md', () => {
  it('lists every metric the rules and the dashboard read, and every rule', () => {
    const docs = read('docs/operations.md');
    const section = docs.slice(docs.indexOf('## Observability'));
    const referenced = new Set([...rules.map((rule) => rule.expr), ...queries.map((query) => query.expr)].flatMap(metricsIn));
    expect([...referenced].filter((metric) => !section.includes(`\`${metric}\``))).toEqual([]);
    expect(rules.map((rule) => rule.alert).filter((alert) => !section.includes(`\`${alert}\``))).toEqual([]);
  });
});
