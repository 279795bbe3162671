import { ConfigError } from '../../../shared/core/errors';

/** Runs `run` and returns the ConfigError it throws; anything else fails the test. */
export function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}
