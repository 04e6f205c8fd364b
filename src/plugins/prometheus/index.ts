import type { PluginDefinition } from '../../corefile/types.js';
import { type PrometheusOptions, prometheus } from './prometheus.js';
import { parsePrometheus } from './setup.js';

export { type PrometheusOptions, type PrometheusPlugin, prometheus } from './prometheus.js';

/** The `prometheus` directive: `prometheus [ADDRESS]`, once per block. */
export const prometheusDefinition: PluginDefinition<PrometheusOptions> = {
  name: 'prometheus',
  once: true,
  parse: parsePrometheus,
  create: prometheus,
};
