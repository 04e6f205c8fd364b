export { corednsDirectives, isCorednsDirective } from './order.js';
export { createRegistry, type DirectivePosition, type Registry } from './registry.js';
