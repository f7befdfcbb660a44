/** Tracing is off unless configured, and a bad endpoint stops the process at start, naming the variable. */
import { loadConfig, tracingFromEnv } from '../../runtime/config';

test('off by default; the OTel SDK variables turn traces on', () => {
  expect(loadConfig({}).tracing).toBeNull();
  expect(loadConfig({}).localJaeger).toBeNull();
  expect(tracingFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({
    endpoint: 'http://collector:4318/v1/traces',
    serviceName: 'caseflow',
  });
  // The signal's own endpoint is taken as it is, and wins over the base one.
  expect(
    tracingFromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp',
      OTEL_SERVICE_NAME: 'caseflow-eu',
    }),
  ).toEqual({ endpoint: 'https://traces.example/otlp', serviceName: 'caseflow-eu' });
  expect(tracingFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBeNull();
});

test('a bad endpoint or CASEFLOW_TRACES value is refused, naming the variable', () => {
  expect(() => tracingFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
    /OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/,
  );
  expect(() => tracingFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://c:4317' })).toThrow(/OTEL_EXPORTER_OTLP_TRACES_ENDPOINT/);
  expect(() => loadConfig({ CASEFLOW_TRACES: 'zipkin' })).toThrow(/CASEFLOW_TRACES must be jaeger or off/);
  expect(loadConfig({ CASEFLOW_TRACES: 'jaeger', JAEGER_UI_PORT: '26686' }).localJaeger).toEqual({ uiPort: 26686, otlpPort: 4318 });
});
