import { writeResilienceReport } from './resilience-report';

/** jest's globalTeardown of the fault suite. */
export default function writeReport(): void {
  const written = writeResilienceReport();
  if (written) process.stdout.write(`\nresilience report: ${written}\n`);
}
