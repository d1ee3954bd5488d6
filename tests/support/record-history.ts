/**
 * `npm run record-histories` keeps a case's history for the replay test (tests/histories),
 * decrypted by the API's codec endpoint: the suite's payload key lives only as long as its
 * process. Asynchronously, because that endpoint is served by the calling test's own process.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { temporalCliPath } from '../../scripts/temporal-bin.js';
import { caseWorkflowId } from '../../workflows/messages.js';
import type { RunningService } from './service.js';

/** Does nothing unless RECORD_HISTORIES names the recording (a date, say). `runId` picks one run of a case that continued as new. */
export async function recordHistory(service: RunningService, caseNumber: string, name: string, runId?: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const supervisorKey = await service.keyFor({ name: 'History recorder', role: 'supervisor' });
  const { stdout } = await promisify(execFile)(
    await temporalCliPath(),
    [
      'workflow',
      'show',
      '--workflow-id',
      caseWorkflowId(caseNumber),
      ...(runId ? ['--run-id', runId] : []),
      '--address',
      inject('temporalAddress'),
      '--output',
      'json',
      '--codec-endpoint',
      `${service.baseUrl}/codec`,
      '--codec-auth',
      `Bearer ${supervisorKey}`,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  // A new file per recording: the older histories stay, so cases started under older code keep being replayed.
  writeFileSync(new URL(`../histories/${name}.${process.env.RECORD_HISTORIES}.json`, import.meta.url), stdout);
}
