import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalPipeline, LocalPipelineOptions } from '../../shared/local/local-pipeline';

/** Starts the emulators and the county's resources in a fresh temp folder. */
export async function startPipeline(options: Partial<LocalPipelineOptions> = {}): Promise<{ pipeline: LocalPipeline; cleanup: () => Promise<void> }> {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-test-'));
  const pipeline = await LocalPipeline.start({ countyId: 'lingshou', stateDir, ...options });
  return {
    pipeline,
    cleanup: async () => {
      await pipeline.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export const submissionFile = (unit: string, indicators: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ $schema: 'yearly-report/submission-file@1', county: 'lingshou', year: 2021, unit, indicators, ...extra });

export { runCli } from '../cli-runner';
