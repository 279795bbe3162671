import { readFileSync } from 'node:fs';

/**
 * This process's peak RSS in MB. On Linux, getrusage's maxRSS survives exec:
 * a child starts from the RSS its parent had when it forked (a bench parent
 * holding a large corpus made every child report at least 159 MB). VmHWM
 * belongs to the process's own address space, created at exec; elsewhere
 * maxRSS is all there is.
 */
export function peakRssMb(): number {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
