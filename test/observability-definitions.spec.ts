import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Histogram } from 'prom-client';
import type { DataSource } from 'typeorm';
import { parse } from 'yaml';
import { createLogger } from '@umg/logging';
import { PlatformMetrics, type ServiceMessaging } from '@umg/platform';
import type { WorkingCalendar } from '../services/applications/src/calendar/working-calendar';
import { DeadlineCheck } from '../services/applications/src/deadlines/deadline-check';
import { DeadlineMetrics } from '../services/applications/src/deadlines/deadline-metrics';
import { AdapterHealthMetrics } from '../services/districts/src/metrics/adapter-health.metrics';
import type { PushWorker } from '../services/districts/src/push/push-worker';
import { PaymentSystemClientMetrics } from '../services/payments/src/payment-system/payment-system-client-metrics';
import type { PaymentSystemClients } from '../services/payments/src/payment-system/payment-system-clients';

const root = join(__dirname, '..');

/**
 * Every series the services can expose, with its labels, from the code itself: the platform's
 * metrics plus each service's own, registered as at boot (nothing is scraped, no database needed).
 */
function registeredSeries(): Map<string, Set<string>> {
  const unused = {} as never;
  const metrics = new PlatformMetrics(
    'test',
    'test',
    unused as DataSource,
    unused as ServiceMessaging,
    createLogger('test', 'silent'),
  );
  metrics.upstreamCircuit('payment-system', () => true);
  new AdapterHealthMetrics(metrics, unused as DataSource, unused as PushWorker).onModuleInit();
  new DeadlineMetrics(metrics, unused as DataSource, unused as WorkingCalendar).onModuleInit();
  new DeadlineCheck(unused, unused, unused, metrics, unused, createLogger('test', 'silent')).onModuleInit();
  new PaymentSystemClientMetrics(metrics, unused as PaymentSystemClients, unused as DataSource).onModuleInit();
  const series = new Map<string, Set<string>>();
  for (const metric of metrics.registry.getMetricsAsArray() as unknown as { name: string; labelNames?: string[] }[]) {
    const labels = new Set(metric.labelNames ?? []);
    if (metric instanceof Histogram) {
      series.set(`${metric.name}_bucket`, new Set([...labels, 'le']));
      series.set(`${metric.name}_count`, labels);
      series.set(`${metric.name}_sum`, labels);
    } else series.set(metric.name, labels);
  }
  return series;
}

/** Labels every series has: the service's default label, and the scrape's own. */
const commonLabels = ['service', 'job', 'instance'];
/** Series Prometheus makes itself. */
const prometheusSeries = new Map([['up', new Set<string>()]]);
/** PromQL's functions, aggregations and keywords (the ones these files use; add when you use more). */
const promqlWords = new Set(
  'sum max min avg count rate increase delta histogram_quantile topk time by without and or unless on ignoring group_left group_right bool offset'.split(
    ' ',
  ),
);

interface Selector {
  metric: string;
  /** Labels the selector matches on. */
  labels: string[];
}

/** The series an expression selects, and the labels it groups or matches by. */
function parseExpression(expr: string): { selectors: Selector[]; grouped: string[] } {
  const selectors: Selector[] = [];
  const grouped: string[] = [];
  const rest = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}/g, (_, metric: string, body: string) => {
      selectors.push({
        metric,
        labels: [...body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)].map((m) => m[1]!),
      });
      return ' ';
    })
    .replace(/\b(?:by|without|on|ignoring)\s*\(([^)]*)\)/g, (_, labels: string) => {
      grouped.push(
        ...labels
          .split(',')
          .map((label) => label.trim())
          .filter(Boolean),
      );
      return ' ';
    })
    .replace(/\[[^\]]*\]/g, ' ');
  for (const [name] of rest.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    if (!promqlWords.has(name)) selectors.push({ metric: name, labels: [] });
  }
  return { selectors, grouped };
}

/** What an expression names that the code does not register. */
function problems(expressions: string[], series: Map<string, Set<string>>): string[] {
  const known = new Map([...series, ...prometheusSeries]);
  const result: string[] = [];
  for (const expr of expressions) {
    const { selectors, grouped } = parseExpression(expr);
    if (selectors.length === 0) result.push(`no metric in: ${expr.trim()}`);
    const available = new Set(commonLabels);
    for (const { metric, labels } of selectors) {
      const labelNames = known.get(metric);
      if (!labelNames) {
        result.push(`${metric} is not registered (in: ${expr.trim()})`);
        continue;
      }
      for (const label of labelNames) available.add(label);
      for (const label of labels) {
        if (!labelNames.has(label) && !commonLabels.includes(label)) result.push(`${metric} has no label ${label}`);
      }
    }
    // A grouping label must be on some series the expression selects.
    for (const label of grouped) {
      if (!available.has(label)) result.push(`no series of "${expr.trim()}" has the label ${label}`);
    }
  }
  return result;
}

interface AlertRule {
  alert: string;
  expr: string;
  labels?: { severity?: string };
  annotations?: { summary?: string };
}

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}

describe('observability definitions match the metrics the code registers', () => {
  const series = registeredSeries();

  it('registers the figures the issue asks for', () => {
    for (const name of [
      'umg_http_request_duration_seconds_count',
      'umg_outbox_backlog_messages',
      'umg_outbox_oldest_unpublished_age_seconds',
      'umg_kafka_consumer_lag_messages',
      'umg_dead_letter_messages',
      'umg_district_circuit_open',
      'umg_district_push_backlog',
      'umg_applications_deadline',
      'umg_exchange_log_append_failures_total',
    ]) {
      expect([name, series.has(name)]).toEqual([name, true]);
    }
  });

  describe('Prometheus alert rules', () => {
    const file = parse(readFileSync(join(root, 'deploy/prometheus/alert-rules.yaml'), 'utf8')) as {
      groups: { name: string; rules: AlertRule[] }[];
    };
    const rules = file.groups.flatMap((group) => group.rules);

    it('alert on backlog, consumer lag, an open district circuit, breached deadlines, dead letters, exchange-log gaps and a service down', () => {
      const watched = rules.map((rule) => rule.expr).join('\n');
      for (const metric of [
        'umg_outbox_oldest_unpublished_age_seconds',
        'umg_kafka_consumer_lag_messages',
        'umg_district_circuit_open',
        'umg_applications_deadline{state="overdue"}',
        'umg_deadline_alerts_total{threshold="overdue"}',
        'umg_dead_letter_messages',
        'umg_exchange_log_append_failures_total',
        'up{',
      ]) {
        expect(watched).toContain(metric);
      }
    });

    it('name only registered metrics and labels', () => {
      expect(
        problems(
          rules.map((rule) => rule.expr),
          series,
        ),
      ).toEqual([]);
    });

    it('give every alert a unique name, a severity and a summary', () => {
      const names = rules.map((rule) => rule.alert);
      expect(new Set(names).size).toBe(names.length);
      for (const rule of rules) {
        expect([rule.alert, rule.labels?.severity]).toEqual([
          rule.alert,
          expect.stringMatching(/^(critical|warning|info)$/),
        ]);
        expect(rule.annotations?.summary).toBeTruthy();
      }
    });
  });

  describe('Grafana dashboard', () => {
    const dashboard = JSON.parse(readFileSync(join(root, 'deploy/grafana/umg-dashboard.json'), 'utf8')) as {
      uid: string;
      panels: Panel[];
      templating: { list: { name: string; definition?: string }[] };
    };
    const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
    const queries = panels.flatMap((panel) => panel.targets ?? []).map((target) => target.expr);

    it('has a query in every panel, on registered metrics and labels', () => {
      for (const panel of panels.filter((candidate) => candidate.type !== 'row')) {
        expect([panel.title, panel.targets?.length ?? 0]).toEqual([panel.title, expect.any(Number)]);
        expect(panel.targets!.length).toBeGreaterThan(0);
      }
      // Grafana's variables stand in for label values; they are not metrics.
      expect(
        problems(
          queries.map((query) => query.replace(/\$\w+/g, 'x')),
          series,
        ),
      ).toEqual([]);
    });

    it('shows districts, deadlines, HTTP, Kafka and outbox figures', () => {
      const shown = queries.join('\n');
      for (const metric of [
        'umg_district_circuit_open',
        'umg_district_push_backlog',
        'umg_applications_deadline',
        'umg_http_request_duration_seconds_bucket',
        'umg_kafka_consumer_lag_messages',
        'umg_outbox_backlog_messages',
        'umg_dead_letter_messages',
      ]) {
        expect(shown).toContain(metric);
      }
    });

    it('offers variables that read registered labels', () => {
      for (const variable of dashboard.templating.list.filter((candidate) => candidate.definition)) {
        const [, metric, label] = /^label_values\((\w+),\s*(\w+)\)$/.exec(variable.definition!)!;
        const labels = series.get(metric!);
        expect([variable.name, labels?.has(label!) || commonLabels.includes(label!)]).toEqual([variable.name, true]);
      }
    });
  });
});
