/**
 * What `serve` warns about at start: settings whose development default is unsafe in production.
 * Printed, not refused, so that a first `serve` on a laptop still starts.
 */
import type { Config } from '../config.js';

export function startupWarnings(config: Config, options: { demo: boolean }): string[] {
  const warnings: string[] = [];
  if (!options.demo && config.corsOrigins.includes('*')) {
    warnings.push(
      'WARNING: CORS_ORIGINS is `*`: any website may call this API from its visitors\' browsers. '
      + 'Set CORS_ORIGINS to the agency\'s own origins (comma-separated, e.g. https://www.agency.example) in production.',
    );
  }
  return warnings;
}
