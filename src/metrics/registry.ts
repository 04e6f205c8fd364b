import {
  Counter,
  type CounterConfiguration,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  type Registry,
} from 'prom-client';

// Several instances of one plugin can share a server (one per server block, several `forward`
// lines): the first registers a metric in the server's registry, the others reuse it, since
// prom-client refuses a name registered twice.

/** The counter of this name in `registry`, registering it from `config` the first time. */
export function counterIn<L extends string>(registry: Registry, config: CounterConfiguration<L>): Counter<L> {
  return (
    (registry.getSingleMetric(config.name) as Counter<L> | undefined) ??
    new Counter({ ...config, registers: [registry] })
  );
}

/** The gauge of this name in `registry`, registering it from `config` the first time. */
export function gaugeIn<L extends string>(registry: Registry, config: GaugeConfiguration<L>): Gauge<L> {
  return (
    (registry.getSingleMetric(config.name) as Gauge<L> | undefined) ??
    new Gauge({ ...config, registers: [registry] })
  );
}

/** The histogram of this name in `registry`, registering it from `config` the first time. */
export function histogramIn<L extends string>(
  registry: Registry,
  config: HistogramConfiguration<L>,
): Histogram<L> {
  return (
    (registry.getSingleMetric(config.name) as Histogram<L> | undefined) ??
    new Histogram({ ...config, registers: [registry] })
  );
}
