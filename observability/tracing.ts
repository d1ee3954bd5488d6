/**
 * Tracing with OpenTelemetry: an agency's request (a server span named by its route template)
 * → the Temporal Update or query it sends (the SDK's client interceptor) → the workflow's
 * handling of it (workflow interceptors in the bundle, their spans handed out through a sink) →
 * the activities it runs (activity interceptors). The context travels in Temporal headers, so a
 * trace crosses the API and worker processes; an incoming W3C `traceparent` is continued.
 *
 * Spans leave the process only when OTEL_EXPORTER_OTLP_ENDPOINT is set (OTLP over HTTP, batched);
 * otherwise no provider is installed and every span is a no-op. Spans carry route templates, step
 * and activity names, workflow and update IDs: no personal data, no request bodies.
 */
import { createRequire } from 'node:module';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ClientInterceptors } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import type { RequestHandler } from 'express';
import { config } from '../config.js';
import { routeTemplate } from './route-template.js';

/** Where this process's spans go: a no-op until installTracing() found an endpoint. */
let spanProcessor: SpanProcessor = new NoopSpanProcessor();
let resource = new Resource({});

export interface Tracing {
  /** Sends the spans still buffered; call at the end of the process. */
  shutdown(): Promise<void>;
}

/** Once per process, before any Temporal client or worker is made. */
export function installTracing(serviceName: 'ppks-api' | 'ppks-worker'): Tracing {
  if (!config.otlpEndpoint) return { shutdown: async () => {} };
  resource = new Resource({ 'service.name': serviceName });
  const url = `${config.otlpEndpoint.replace(/\/+$/, '')}/v1/traces`;
  spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register({ contextManager: new AsyncLocalStorageContextManager(), propagator: new W3CTraceContextPropagator() });
  return { shutdown: () => provider.shutdown() };
}

const tracer = trace.getTracer('ppks-api');

/** A server span per request, named `METHOD /route/template`; the handlers (and the Temporal calls they make) run inside it. */
export const traceRequests: RequestHandler = (req, res, next) => {
  const parent = propagation.extract(context.active(), req.headers);
  const span = tracer.startSpan(req.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } }, parent);
  res.once('finish', () => {
    const route = routeTemplate(req);
    span.updateName(`${req.method} ${route}`);
    span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  context.with(trace.setSpan(parent, span), next);
};

/** The client side (API, and the worker's own client): Updates, queries and starts carry the trace to the workflow. */
export const tracingClientInterceptors: ClientInterceptors = { workflow: [new OpenTelemetryWorkflowClientInterceptor()] };

/**
 * The workflow interceptors, bundled with the workflows: every bundle of the case workflows must
 * include them (the worker cannot add them to a prebuilt bundle). Histories stay as they were:
 * they only add headers, and the SDK flags them off when replaying histories recorded without.
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [
  createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
];

/**
 * The worker side: activity spans, and the sink the workflow spans are exported through (always
 * there: the bundle's interceptors call it). The workflow interceptors are added here only when
 * the worker bundles the workflows itself; a prebuilt bundle has them (bundleCaseWorkflows).
 */
export function workerTracing(bundlesItself: boolean): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  return {
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
      ...(bundlesItself ? { workflowModules: WORKFLOW_INTERCEPTOR_MODULES } : {}),
    },
    sinks: workflowTracingSinks(),
  };
}

/** The sink of the workflow spans, which every worker of the bundle needs, replaying ones too (else each span logs an error). */
export function workflowTracingSinks(): NonNullable<WorkerOptions['sinks']> {
  return { exporter: makeWorkflowExporter(spanProcessor, resource) };
}
