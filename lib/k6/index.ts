export { bundleScenario, K6_TARGET, type BundleOptions } from './bundle.ts';
export { k6Options, type K6Options } from './runtime/options.ts';
export { k6InspectOutput } from './inspect.ts';
